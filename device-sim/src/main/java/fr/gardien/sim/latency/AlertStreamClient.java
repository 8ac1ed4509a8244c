package fr.gardien.sim.latency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Server-Sent Events client for the gateway's {@code GET /api/v1/alerts/stream} (WHATWG HTML
 * §9.2 parsing: {@code event:}, {@code data:} lines joined with newlines, {@code id:}, comments,
 * dispatch on a blank line), over java.net.http and HTTP/1.1. A daemon thread reads the lines
 * and hands each {@code alert} event to the listener with the monotonic instant
 * ({@link System#nanoTime()}) at which its last line arrived.
 */
final class AlertStreamClient implements AutoCloseable {

  /** Receives the stream's alert events, on the reading thread. */
  interface Listener {
    void alert(long arrivedNanos, JsonNode alert);

    /** Called once if the stream ends or fails before {@link #close()} ({@code cause} null for a clean end). */
    void ended(Throwable cause);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final InputStream body;
  private final Thread reader;
  private final AtomicLong malformed = new AtomicLong();
  private volatile boolean closing;

  private AlertStreamClient(InputStream body, Listener listener) {
    this.body = body;
    this.reader = new Thread(() -> read(listener), "alert-stream");
    this.reader.setDaemon(true);
  }

  /**
   * Opens the stream and waits for the response headers (the gateway sends them once the
   * subscription is live); fails on any status other than 200 with the status and body start.
   */
  static AlertStreamClient open(String httpBase, String token, Duration connectTimeout, Listener listener)
      throws IOException, InterruptedException {
    String base = httpBase.endsWith("/") ? httpBase.substring(0, httpBase.length() - 1) : httpBase;
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/alerts/stream"))
        .header("Authorization", "Bearer " + token)
        .header("Accept", "text/event-stream")
        .GET().build();
    HttpResponse<InputStream> response;
    try {
      response = client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
          .get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException("alert stream " + base + "/api/v1/alerts/stream: " + e.getCause(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IOException("alert stream " + base + "/api/v1/alerts/stream: no response within " + connectTimeout);
    }
    if (response.statusCode() != 200) {
      String start;
      try (InputStream in = response.body()) {
        start = new String(in.readNBytes(300), StandardCharsets.UTF_8);
      }
      throw new IOException("alert stream " + base + "/api/v1/alerts/stream answered " + response.statusCode()
          + (start.isBlank() ? "" : ": " + start.strip()));
    }
    AlertStreamClient c = new AlertStreamClient(response.body(), listener);
    c.reader.start();
    return c;
  }

  /** Events whose {@code data} was not JSON. */
  long malformed() {
    return malformed.get();
  }

  private void read(Listener listener) {
    Throwable failure = null;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String event = null;
      StringBuilder data = null;
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isEmpty()) {
          if (data != null && (event == null || event.equals("alert"))) {
            long arrived = System.nanoTime();
            JsonNode node;
            try {
              node = JSON.readTree(data.toString());
            } catch (IOException e) {
              node = null;
              malformed.incrementAndGet();
            }
            if (node != null) {
              listener.alert(arrived, node);
            }
          }
          event = null;
          data = null;
          continue;
        }
        if (line.startsWith(":")) {
          continue;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
          value = value.substring(1);
        }
        switch (field) {
          case "event" -> event = value;
          case "data" -> {
            if (data == null) {
              data = new StringBuilder(value);
            } else {
              data.append('\n').append(value);
            }
          }
          default -> {
            // id and retry: not needed to measure.
          }
        }
      }
    } catch (IOException e) {
      failure = e;
    }
    if (!closing) {
      listener.ended(failure);
    }
  }

  @Override
  public void close() {
    closing = true;
    try {
      body.close();
    } catch (IOException ignored) {
      // Closing anyway.
    }
  }
}
