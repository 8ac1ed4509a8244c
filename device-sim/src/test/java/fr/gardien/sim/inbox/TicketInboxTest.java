package fr.gardien.sim.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The demo's ticket inbox over loopback: signed deliveries kept, others refused, and closing calls the signed callback. */
@Timeout(30)
class TicketInboxTest {
  private static final String WEBHOOK_SECRET = "webhook-secret-0123456789";
  private static final String CALLBACK_SECRET = "callback-secret-0123456789abcdef0123";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final CompletableFuture<String[]> callback = new CompletableFuture<>();
  private HttpServer gardien;
  private TicketInbox inbox;

  @BeforeEach
  void start() throws Exception {
    gardien = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    gardien.createContext("/api/v1/tickets/callback", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      callback.complete(new String[] {ex.getRequestHeaders().getFirst("X-Gardien-Timestamp"),
          ex.getRequestHeaders().getFirst("X-Gardien-Signature"), new String(body, StandardCharsets.UTF_8)});
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    gardien.start();
    inbox = new TicketInbox(0, WEBHOOK_SECRET,
        URI.create("http://127.0.0.1:" + gardien.getAddress().getPort() + "/api/v1/tickets/callback"), CALLBACK_SECRET, "inbox",
        Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    inbox.close();
    gardien.stop(0);
  }

  private HttpResponse<String> post(String path, String contentType, String body, String signature) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + inbox.port() + path))
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
    if (signature != null) {
      b.header("X-Gardien-Signature", signature).header("X-Gardien-Delivery", "12:1");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + inbox.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /**
   * A delivery signed with the webhook's secret becomes a ticket on the page; one unsigned or
   * signed with another secret is refused with 401 and kept nowhere.
   */
  @Test
  void onlySignedDeliveriesBecomeTickets() throws Exception {
    String body = "{\"alertId\":12,\"transition\":\"opened\",\"site\":\"tilleuls\",\"siteName\":\"Les Tilleuls\","
        + "\"equipment\":\"lift-a\",\"equipmentType\":\"lift\",\"rule\":\"lift-out-of-service\",\"severity\":\"critical\","
        + "\"state\":\"open\",\"summary\":\"Lift <stuck>\",\"dashboardUrl\":\"http://localhost:8080/#/alerts/12\"}";
    assertThat(post("/hook", "application/json", body, null).statusCode()).isEqualTo(401);
    assertThat(post("/hook", "application/json", body, "sha256=" + TicketInbox.hmac("another-secret-123456".getBytes(), body.getBytes()))
        .statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(get("/tickets.json")).get("tickets")).isEmpty();

    String signature = "sha256=" + TicketInbox.hmac(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), body.getBytes(StandardCharsets.UTF_8));
    assertThat(post("/hook", "application/json", body, signature).statusCode()).isEqualTo(204);
    assertThat(post("/hook", "application/json", body, signature).statusCode()).as("a retry of the same delivery").isEqualTo(204);
    JsonNode tickets = JSON.readTree(get("/tickets.json"));
    assertThat(tickets.get("tickets")).hasSize(1);
    assertThat(tickets.get("tickets").get(0).get("transitions").toString()).isEqualTo("[\"opened\"]");
    assertThat(tickets.get("refused").asInt()).isEqualTo(2);
    String page = get("/");
    assertThat(page).contains("Lift &lt;stuck&gt;").doesNotContain("<stuck>").contains("data-alert=\"12\"");
  }

  /**
   * Closing a ticket from the page's form calls Gardien's callback, signed over the timestamp
   * and the body with the callback secret; a form without the page's token closes nothing.
   */
  @Test
  void closingATicketCallsTheSignedCallback() throws Exception {
    String body = "{\"alertId\":7,\"transition\":\"opened\",\"state\":\"open\",\"summary\":\"No heat\"}";
    String signature = "sha256=" + TicketInbox.hmac(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), body.getBytes(StandardCharsets.UTF_8));
    assertThat(post("/hook", "application/json", body, signature).statusCode()).isEqualTo(204);

    assertThat(post("/close", "application/x-www-form-urlencoded", "token=forged&alert=7", null).statusCode()).isEqualTo(403);
    assertThat(callback).isNotDone();

    Matcher token = Pattern.compile("name=\"token\" value=\"([0-9a-f]+)\"").matcher(get("/"));
    assertThat(token.find()).isTrue();
    HttpResponse<String> closed = post("/close", "application/x-www-form-urlencoded",
        "token=" + token.group(1) + "&alert=7&note=valve+replaced", null);
    assertThat(closed.statusCode()).isEqualTo(303);
    String[] call = callback.get(10, TimeUnit.SECONDS);
    assertThat(call[1]).isEqualTo("sha256=" + TicketInbox.hmac(CALLBACK_SECRET.getBytes(StandardCharsets.UTF_8),
        (call[0] + "." + call[2]).getBytes(StandardCharsets.UTF_8)));
    assertThat(Math.abs(Long.parseLong(call[0]) - System.currentTimeMillis() / 1000)).isLessThan(60);
    JsonNode sent = JSON.readTree(call[2]);
    assertThat(sent.get("alertId").asLong()).isEqualTo(7);
    assertThat(sent.get("action").asText()).isEqualTo("close");
    assertThat(sent.get("by").asText()).isEqualTo("inbox");
    assertThat(sent.get("note").asText()).isEqualTo("valve replaced");
    assertThat(JSON.readTree(get("/tickets.json")).get("tickets").get(0).has("closeError")).isFalse();
  }
}
