package fr.gardien.sim.inbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A small ticketing system for the demo, on the loopback interface only: it receives Gardien's
 * signed webhook deliveries ({@code POST /hook}, README "Webhook connector"), keeps one ticket per
 * alert with its transitions, lists them on a page ({@code GET /}, and {@code GET /tickets.json}),
 * and closes a ticket on request ({@code POST /close}) by calling Gardien's signed ticket callback
 * (README "Callback from the ticketing system"), which resolves the alert. A delivery whose
 * signature does not verify is refused with 401 and not kept.
 */
public final class TicketInbox implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY_BYTES = 1 << 20;

  /** One ticket: the alert's latest allow-listed fields and the transitions received. */
  record Ticket(String key, String ref, JsonNode latest, List<String> transitions, Instant openedAt, String closeError) {}

  private final byte[] webhookSecret;
  private final byte[] callbackSecret;
  private final URI callback;
  private final String actor;
  private final HttpServer server;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Clock clock;
  /** The form token of this process: a cross-site page cannot close tickets through the user's browser. */
  private final String formToken = HexFormat.of().formatHex(SecureRandom.getSeed(16));
  private final Map<String, Ticket> tickets = new LinkedHashMap<>();
  private final Map<String, Boolean> deliveries = new HashMap<>();
  private int next = 1;
  private long refused;

  /**
   * Starts the inbox on {@code 127.0.0.1:port} (0: a free port).
   *
   * @param callback Gardien's {@code /api/v1/tickets/callback} URL
   * @param actor the {@code by} of the callbacks it sends (shown as {@code ticket:<actor>} in Gardien)
   */
  public TicketInbox(int port, String webhookSecret, URI callback, String callbackSecret, String actor, Clock clock)
      throws IOException {
    this.webhookSecret = webhookSecret.getBytes(StandardCharsets.UTF_8);
    this.callbackSecret = callbackSecret.getBytes(StandardCharsets.UTF_8);
    this.callback = callback;
    this.actor = actor;
    this.clock = clock;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "inbox-http");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    server.start();
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The tickets as JSON (newest first), as {@code GET /tickets.json} answers. */
  public synchronized ObjectNode json() {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode list = root.putArray("tickets");
    List<Ticket> all = new ArrayList<>(tickets.values());
    for (int i = all.size() - 1; i >= 0; i--) {
      Ticket t = all.get(i);
      ObjectNode o = list.addObject();
      o.put("ref", t.ref());
      o.put("openedAt", t.openedAt().toString());
      o.set("alert", t.latest());
      o.putPOJO("transitions", t.transitions());
      if (t.closeError() != null) {
        o.put("closeError", t.closeError());
      }
    }
    root.put("refused", refused);
    return root;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      ex.getResponseHeaders().add("X-Content-Type-Options", "nosniff");
      if (method.equals("POST") && path.equals("/hook")) {
        hook(ex);
      } else if (method.equals("POST") && path.equals("/close")) {
        close(ex);
      } else if (method.equals("GET") && path.equals("/tickets.json")) {
        send(ex, 200, "application/json", JSON.writeValueAsBytes(json()));
      } else if (method.equals("GET") && path.equals("/")) {
        ex.getResponseHeaders().add("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
        ex.getResponseHeaders().add("X-Frame-Options", "DENY");
        send(ex, 200, "text/html; charset=utf-8", InboxPage.render(snapshot(), formToken).getBytes(StandardCharsets.UTF_8));
      } else {
        send(ex, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private synchronized List<Ticket> snapshot() {
    List<Ticket> all = new ArrayList<>(tickets.values());
    java.util.Collections.reverse(all);
    return all;
  }

  private void hook(HttpExchange ex) throws IOException {
    byte[] body = read(ex.getRequestBody());
    String signature = ex.getRequestHeaders().getFirst("X-Gardien-Signature");
    if (body == null || signature == null
        || !MessageDigest.isEqual(("sha256=" + hmac(webhookSecret, body)).getBytes(StandardCharsets.US_ASCII),
            signature.getBytes(StandardCharsets.US_ASCII))) {
      synchronized (this) {
        refused++;
      }
      send(ex, 401, "text/plain; charset=utf-8", "signature missing or wrong\n".getBytes(StandardCharsets.UTF_8));
      return;
    }
    JsonNode alert;
    try {
      alert = JSON.readTree(body);
    } catch (IOException e) {
      send(ex, 400, "text/plain; charset=utf-8", "not JSON\n".getBytes(StandardCharsets.UTF_8));
      return;
    }
    String delivery = ex.getRequestHeaders().getFirst("X-Gardien-Delivery");
    receive(alert, delivery == null ? alert.path("idempotencyKey").asText() : delivery);
    send(ex, 204, null, null);
  }

  /** Files a verified delivery: a new ticket for an alert's first one, an update after (a retry changes nothing). */
  synchronized void receive(JsonNode alert, String delivery) {
    if (deliveries.put(delivery, Boolean.TRUE) != null) {
      return;
    }
    boolean digest = "digest".equals(alert.path("kind").asText());
    String key = digest ? "digest:" + alert.path("digestId").asText() : "alert:" + alert.path("alertId").asText();
    Ticket t = tickets.get(key);
    String transition = digest ? "digest" : alert.path("transition").asText();
    if (t == null) {
      List<String> transitions = new ArrayList<>();
      transitions.add(transition);
      tickets.put(key, new Ticket(key, "T-" + next++, alert, transitions, clock.instant(), null));
    } else {
      t.transitions().add(transition);
      tickets.put(key, new Ticket(key, t.ref(), alert, t.transitions(), t.openedAt(), null));
    }
  }

  private void close(HttpExchange ex) throws IOException {
    byte[] body = read(ex.getRequestBody());
    Map<String, String> form = body == null ? Map.of() : form(new String(body, StandardCharsets.UTF_8));
    if (!MessageDigest.isEqual(formToken.getBytes(StandardCharsets.UTF_8),
        form.getOrDefault("token", "").getBytes(StandardCharsets.UTF_8))) {
      send(ex, 403, "text/plain; charset=utf-8", "form token missing or wrong: reload the page\n".getBytes(StandardCharsets.UTF_8));
      return;
    }
    String key = "alert:" + form.getOrDefault("alert", "");
    Ticket t;
    synchronized (this) {
      t = tickets.get(key);
    }
    if (t == null) {
      send(ex, 404, "text/plain; charset=utf-8", "no such ticket\n".getBytes(StandardCharsets.UTF_8));
      return;
    }
    String error = closeAlert(t.latest().path("alertId").asLong(), form.getOrDefault("note", ""));
    synchronized (this) {
      Ticket now = tickets.get(key);
      tickets.put(key, new Ticket(key, now.ref(), now.latest(), now.transitions(), now.openedAt(), error));
    }
    ex.getResponseHeaders().add("Location", "/");
    send(ex, 303, null, null);
  }

  /** Sends the signed callback closing the alert; null when Gardien accepted it, else why not. */
  String closeAlert(long alertId, String note) {
    ObjectNode o = JSON.createObjectNode().put("alertId", alertId).put("action", "close").put("by", actor);
    if (!note.isBlank()) {
      o.put("note", note.length() > 4000 ? note.substring(0, 4000) : note);
    }
    try {
      byte[] body = JSON.writeValueAsBytes(o);
      String ts = Long.toString(clock.instant().getEpochSecond());
      byte[] signed = (ts + ".").getBytes(StandardCharsets.UTF_8);
      byte[] text = new byte[signed.length + body.length];
      System.arraycopy(signed, 0, text, 0, signed.length);
      System.arraycopy(body, 0, text, signed.length, body.length);
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(callback).timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/json").header("X-Gardien-Timestamp", ts)
          .header("X-Gardien-Signature", "sha256=" + hmac(callbackSecret, text))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 204 ? null : "Gardien answered " + r.statusCode();
    } catch (IOException e) {
      return "Gardien did not answer: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  static String hmac(byte[] secret, byte[] text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(text));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e); // HmacSHA256 is required of every Java platform
    }
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  /** The body, or null when larger than {@link #MAX_BODY_BYTES}. */
  private static byte[] read(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
    return bytes.length > MAX_BODY_BYTES ? null : bytes;
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    if (type != null) {
      ex.getResponseHeaders().add("Content-Type", type);
    }
    ex.getResponseHeaders().add("Cache-Control", "no-store");
    ex.sendResponseHeaders(status, body == null ? -1 : body.length);
    if (body != null) {
      ex.getResponseBody().write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
