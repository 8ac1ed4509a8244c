package fr.gardien.sim.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static fr.gardien.sim.testing.SimRun.execute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gardien.sim.testing.FakeMqttServer;
import fr.gardien.sim.testing.SimRun;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code alert-latency} against a tiny fake gateway: an MQTT server that PUBACKs every publish,
 * and an SSE endpoint that sends an {@code opened} alert event for the published record's site
 * and equipment {@value #ALERT_DELAY_MS} ms after each publish, except for equipment told to stay silent.
 */
@Timeout(60)
class AlertLatencyAgainstFakeGatewayIT {
  private static final Path PORTFOLIO = Path.of("src/test/resources/portfolio-three-boilers.yaml");
  private static final String TOKEN = "test-token";
  private static final long ALERT_DELAY_MS = 40;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx = Vertx.vertx();
  private final Set<HttpServerResponse> streams = ConcurrentHashMap.newKeySet();
  private final Set<String> silent = ConcurrentHashMap.newKeySet();
  private final AtomicLong transitionIds = new AtomicLong();
  private FakeMqttServer mqtt;
  private HttpServer http;

  @BeforeEach
  void startFakeGateway() throws Exception {
    mqtt = new FakeMqttServer(Map.of("dev-1", "secret-1", "dev-2", "secret-2", "dev-3", "secret-3",
        "dev-4", "secret-4")).start();
    mqtt.onPublish(r -> {
      String key = firstRecordEquipment(r.payload());
      if (!silent.contains(key)) {
        String[] se = key.split("/");
        vertx.setTimer(ALERT_DELAY_MS, id -> {
          // An event on equipment no probe targets first: the command must not match it.
          broadcast("other-site", "boiler", "opened");
          broadcast(se[0], se[1], "opened");
        });
      }
    });
    http = vertx.createHttpServer().requestHandler(req -> {
      if (!req.path().equals("/api/v1/alerts/stream")) {
        req.response().setStatusCode(404).end();
      } else if (!("Bearer " + TOKEN).equals(req.getHeader("Authorization"))) {
        req.response().setStatusCode(401).putHeader("Content-Type", "application/problem+json")
            .end("{\"type\":\"urn:gardien:problem:unauthorized\"}");
      } else {
        HttpServerResponse response = req.response().setChunked(true)
            .putHeader("Content-Type", "text/event-stream; charset=utf-8");
        response.write(": fake alert stream\nretry: 5000\n\n");
        streams.add(response);
        response.closeHandler(v -> streams.remove(response));
      }
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stopFakeGateway() throws Exception {
    mqtt.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** "site/equipment" of the first SenML record: base name plus name, less the point. */
  private static String firstRecordEquipment(byte[] pack) {
    try {
      JsonNode first = JSON.readTree(pack).get(0);
      String key = first.path("bn").asText("") + first.path("n").asText();
      return key.substring(0, key.lastIndexOf('/'));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void broadcast(String site, String equipment, String kind) {
    long id = transitionIds.incrementAndGet();
    String data = JSON.createObjectNode().put("id", id).put("site", site).put("equipment", equipment)
        .put("rule", "sensor-impossible-heating").put("state", "open")
        .set("transition", JSON.createObjectNode().put("id", id).put("kind", kind)).toString();
    // The data split over two lines, as SSE allows: the client must join them.
    int cut = data.indexOf(",\"rule\"");
    String event = "id: " + id + "\nevent: alert\ndata: " + data.substring(0, cut + 1) + "\ndata:" + data.substring(cut + 1)
        + "\n\n";
    streams.forEach(s -> s.write(event));
  }

  private SimRun alertLatency(String... extra) {
    String[] base = {"alert-latency", "--portfolio", PORTFOLIO.toString(), "--mqtt", mqtt.uri(),
        "--http", "http://127.0.0.1:" + http.actualPort(), "--interval", "50ms", "--json"};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return execute(args);
  }

  @Test
  void reportsTheLatencyFromPubackToTheAlertOfEveryProbe() throws Exception {
    SimRun o = alertLatency("--token", TOKEN);

    assertThat(o.exitCode()).as(o.out() + o.err()).isZero();
    JsonNode r = JSON.readTree(o.out());
    assertThat(r.get("probes").asInt()).isEqualTo(3);
    assertThat(r.get("probesSent").asInt()).isEqualTo(3);
    assertThat(r.get("probesAcknowledged").asInt()).isEqualTo(3);
    assertThat(r.get("alertsMatched").asInt()).isEqualTo(3);
    assertThat(r.get("alertsSeen").asInt()).isEqualTo(6);
    assertThat(r.get("alertsOnOtherEquipment").asInt()).isEqualTo(3);
    assertThat(r.get("failures").asInt()).isZero();
    JsonNode latency = r.get("alertLatencyMs");
    assertThat(latency.get("count").asInt()).isEqualTo(3);
    // The fake sends the event ALERT_DELAY_MS after it received the publish, which it PUBACKs at once.
    assertThat(latency.get("p50").asDouble()).isBetween(ALERT_DELAY_MS - 15.0, 5_000.0);
    assertThat(latency.get("max").asDouble()).isGreaterThanOrEqualTo(latency.get("p99").asDouble());
    assertThat(o.err()).contains("alert − PUBACK      p50 ").contains("failures            0");
    // One QoS 1 record of the point at the probe value, from each site's device, on its topic.
    assertThat(mqtt.received()).hasSize(3).allSatisfy(p -> {
      assertThat(p.topic()).isEqualTo("telemetry/" + p.username());
      assertThat(p.qos()).isEqualTo(1);
      JsonNode pack = JSON.readTree(p.payload());
      assertThat(pack).hasSize(1);
      assertThat(pack.get(0).path("bn").asText() + pack.get(0).path("n").asText()).endsWith("/boiler/supply_temp");
      assertThat(pack.get(0).path("v").asDouble()).isEqualTo(150.0);
      assertThat(pack.get(0).path("u").asText()).isEqualTo("Cel");
    });
  }

  @Test
  void countsAProbeWhoseAlertNeverComesAsAFailure() throws Exception {
    silent.add("site-2/boiler");

    SimRun o = alertLatency("--token", TOKEN, "--timeout", "1s");

    assertThat(o.exitCode()).as(o.out() + o.err()).isEqualTo(1);
    JsonNode r = JSON.readTree(o.out());
    assertThat(r.get("probesSent").asInt()).isEqualTo(3);
    assertThat(r.get("probesAcknowledged").asInt()).isEqualTo(3);
    assertThat(r.get("alertsMatched").asInt()).isEqualTo(2);
    assertThat(r.get("failures").asInt()).isEqualTo(1);
    assertThat(r.get("failuresByReason").get(ProbeBook.NO_ALERT).asInt()).isEqualTo(1);
    assertThat(r.get("alertLatencyMs").get("count").asInt()).isEqualTo(2);
    assertThat(o.err()).contains("failures            1").contains(ProbeBook.NO_ALERT);
  }

  @Test
  void limitsTheProbesAndStopsOnARefusedStream() {
    SimRun refused = alertLatency("--token", "wrong");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("answered 401");
    assertThat(mqtt.received()).isEmpty();

    SimRun one = alertLatency("--token", TOKEN, "--probes", "1");
    assertThat(one.exitCode()).as(one.out() + one.err()).isZero();
    assertThat(one.out()).contains("\"probesSent\":1").contains("\"alertsMatched\":1");
  }
}
