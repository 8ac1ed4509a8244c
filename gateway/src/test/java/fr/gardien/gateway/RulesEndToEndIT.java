package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.ADMIN_TOKEN;
import static fr.gardien.gateway.GatewayHarness.DEVICE;
import static fr.gardien.gateway.GatewayHarness.SECRET;
import static fr.gardien.gateway.GatewayHarness.storagePack;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readings in over MQTT, through the built-in catalog, to an alert in the API and on the SSE
 * stream; and rule timers that survive a restart.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RulesEndToEndIT {

    private static final String RULE = "hot-water-storage-cold";
    private static final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path dir;

    /**
     * A hot-water tank below 55 °C for over an hour of event time, published over MQTT, opens the
     * legionella alert: the API lists it with its explanation, and the SSE stream carries it.
     */
    @Test
    void coldHotWaterOverMqttOpensAnAlertInTheApiAndOnTheStream() throws Exception {
        try (GatewayHarness harness = GatewayHarness.start(dir, null, Map.of())) {
            HttpClient http = HttpClient.newHttpClient();
            try (SseClient stream = SseClient.connect(http, harness.httpBase() + "/api/v1/alerts/stream", ADMIN_TOKEN, null, "en")) {
                assertThat(stream.status()).isEqualTo(200);
                long now = Instant.now().getEpochSecond();
                publish(harness, storagePack(now - 80 * 60, now - 5 * 60, 48.0));

                SseClient.Event event = stream.nextEvent(Duration.ofSeconds(20));
                assertThat(event).isNotNull();
                JsonNode data = mapper.readTree(event.data());
                assertThat(data.toString()).contains(RULE);

                JsonNode alerts = mapper.readTree(harness.get("/api/v1/alerts?state=open", ADMIN_TOKEN).body()).get("alerts");
                JsonNode alert = null;
                for (JsonNode a : alerts) {
                    if (a.get("rule").asText().equals(RULE)) {
                        alert = a;
                    }
                }
                assertThat(alert).as("open alerts: %s", alerts).isNotNull();
                assertThat(alert.get("site").asText()).isEqualTo("tilleuls");
                assertThat(alert.get("equipment").asText()).isEqualTo("ecs-1");
                assertThat(alert.get("severity").asText()).isEqualTo("critical");
                assertThat(alert.get("summaryFr").asText()).contains("48").contains("55");
                assertThat(alert.get("summaryEn").asText()).contains("Legionella").contains("48");
            }
        }
    }

    /** The active catalog is served with the reason of each rule. */
    @Test
    void rulesAreListedWithTheirReasons() throws Exception {
        try (GatewayHarness harness = GatewayHarness.start(dir, null, Map.of())) {
            JsonNode body = mapper.readTree(harness.get("/api/v1/rules", ADMIN_TOKEN).body());
            assertThat(body.get("source").asText()).isEqualTo("built-in catalog");
            assertThat(body.get("rules").size()).isGreaterThanOrEqualTo(20);
            assertThat(body.get("rules")).anySatisfy(r -> {
                assertThat(r.get("id").asText()).isEqualTo(RULE);
                assertThat(r.get("description").asText()).contains("legionella");
                assertThat(r.get("for").asText()).isEqualTo("PT1H");
            });
            assertThat(harness.get("/api/v1/rules", null).statusCode()).isEqualTo(401);
        }
    }

    /**
     * A condition that started before a restart keeps its timer: 35 minutes before and 35 after
     * make the hour the rule needs, so the alert opens only because the state was saved.
     */
    @Test
    void ruleTimersSurviveARestart() throws Exception {
        long now = Instant.now().getEpochSecond();
        try (GatewayHarness first = GatewayHarness.start(dir, null, Map.of())) {
            publish(first, storagePack(now - 75 * 60, now - 40 * 60, 47.0));
            Thread.sleep(500);
        }
        try (GatewayHarness second = GatewayHarness.start(dir, null, Map.of())) {
            assertThat(openAlerts(second)).doesNotContain(RULE);
            publish(second, storagePack(now - 35 * 60, now - 5 * 60, 47.0));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!openAlerts(second).contains(RULE) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(openAlerts(second)).contains(RULE);
        }
    }

    private static String openAlerts(GatewayHarness harness) throws Exception {
        return harness.get("/api/v1/alerts?state=open", ADMIN_TOKEN).body();
    }


    private static void publish(GatewayHarness harness, byte[] payload) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient(harness.mqttUri(), "rules-e2e", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(DEVICE);
        options.setPassword(SECRET.toCharArray());
        client.connect(options).waitForCompletion(10_000);
        MqttMessage message = new MqttMessage(payload);
        message.setQos(1);
        client.publish("telemetry/" + DEVICE, message).waitForCompletion(10_000);
        client.disconnect().waitForCompletion(5000);
        client.close();
    }
}
