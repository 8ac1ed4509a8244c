package fr.gardien.sim.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for the gateway's HTTP telemetry endpoint: checks Basic credentials against the
 * devices' secrets, records each pack and answers 204. It can be stopped and started again on
 * the same port, as a restarted gateway is.
 */
public final class FakeHttpGateway implements AutoCloseable {

  /** One pack as received: the device, its media type and body. */
  public record Received(String device, String contentType, byte[] body) {}

  private final Map<String, String> secrets;
  private final List<Received> received = new ArrayList<>();
  private HttpServer server;
  private int port;

  public FakeHttpGateway(Map<String, String> secrets) {
    this.secrets = Map.copyOf(secrets);
  }

  /** Starts on a free loopback port, or again on the port it had. */
  public synchronized FakeHttpGateway start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    server.createContext("/health/live", exchange -> answer(exchange, 200));
    server.createContext("/api/v1/telemetry", this::telemetry);
    server.start();
    port = server.getAddress().getPort();
    return this;
  }

  /** Stops at once: the port refuses connections until {@link #start} again. */
  public synchronized void stop() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  public String uri() {
    return "http://127.0.0.1:" + port;
  }

  public synchronized List<Received> received() {
    return List.copyOf(received);
  }

  private void telemetry(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    String device = device(exchange.getRequestHeaders().getFirst("Authorization"));
    if (device == null) {
      answer(exchange, 401);
      return;
    }
    synchronized (this) {
      received.add(new Received(device, exchange.getRequestHeaders().getFirst("Content-Type"), body));
    }
    answer(exchange, 204);
  }

  private String device(String authorization) {
    if (authorization == null || !authorization.startsWith("Basic ")) {
      return null;
    }
    String[] idSecret = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8).split(":", 2);
    return idSecret.length == 2 && idSecret[1].equals(secrets.get(idSecret[0])) ? idSecret[0] : null;
  }

  private static void answer(HttpExchange exchange, int status) throws IOException {
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  @Override
  public void close() {
    stop();
  }
}
