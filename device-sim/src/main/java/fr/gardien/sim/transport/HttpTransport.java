package fr.gardien.sim.transport;

import fr.gardien.sim.mqtt.PublishException;
import fr.gardien.sim.senml.PackFormat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

/**
 * A device over HTTP: {@code POST /api/v1/telemetry} with Basic credentials (contract: "Device
 * protocols"). 204, or 200 when some records were quarantined, acknowledge the pack; 503 and
 * an unreachable gateway are retryable (with the Retry-After asked for); other answers are not.
 */
final class HttpTransport extends ExchangeTransport {
  private final HttpClient client;
  private final URI telemetry;
  private final URI health;
  private final String authorization;
  private final PackFormat format;
  private final Duration timeout;

  /** @param client shared by the devices of a run: it pools connections to the gateway */
  HttpTransport(HttpClient client, URI base, String deviceId, String secret, PackFormat format, Duration timeout) {
    this.client = client;
    this.telemetry = base.resolve("/api/v1/telemetry");
    this.health = base.resolve("/health/live");
    this.authorization = "Basic " + Base64.getEncoder().encodeToString((deviceId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    this.format = format;
    this.timeout = timeout;
  }

  @Override
  public void connect() throws PublishException {
    try {
      client.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.discarding());
    } catch (java.io.IOException e) {
      throw new PublishException("gateway unreachable at " + health.resolve("/") + " (" + e + ")", e, true, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishException("interrupted", e);
    }
  }

  @Override
  public CompletableFuture<Void> send(byte[] pack) {
    HttpRequest request = HttpRequest.newBuilder(telemetry).timeout(timeout)
        .header("Authorization", authorization).header("Content-Type", format.mediaType())
        .POST(HttpRequest.BodyPublishers.ofByteArray(pack)).build();
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
      if (error != null) {
        lost();
        throw new java.util.concurrent.CompletionException(
            new PublishException("gateway unreachable", error, true, null));
      }
      answered();
      int status = response.statusCode();
      if (status == 204 || status == 200) {
        return null;
      }
      if (status == 503) {
        Duration retryAfter = response.headers().firstValue("Retry-After").map(HttpTransport::seconds).orElse(null);
        throw new java.util.concurrent.CompletionException(
            new PublishException("503 service unavailable", null, true, retryAfter));
      }
      throw new java.util.concurrent.CompletionException(new PublishException("HTTP " + status, null));
    });
  }

  private static Duration seconds(String value) {
    try {
      return Duration.ofSeconds(Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public void close(Duration quiesce) {
    // The client is shared by the run and closed with it.
  }
}
