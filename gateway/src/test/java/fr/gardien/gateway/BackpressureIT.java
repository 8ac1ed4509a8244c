package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.DEVICE;
import static fr.gardien.gateway.GatewayHarness.SECRET;
import static fr.gardien.gateway.GatewayHarness.SUPPLY;
import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.storage.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the writer falls behind (here: the readings table is locked, so no transaction can
 * commit), every protocol applies its back-pressure and nothing accepted is lost.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BackpressureIT {

    private static final Pattern DROPPED = Pattern.compile(
            "gardien_ingest_readings_total\\{outcome=\"dropped\",protocol=\"mqtt\"} ([0-9.]+)");

    @TempDir
    Path dir;

    /**
     * With the writer saturated: HTTP answers 503 with Retry-After, a QoS 0 publish is dropped
     * and counted, a QoS 1 publish gets no PUBACK; once the writer can commit again the QoS 1
     * publish is acknowledged and everything accepted is stored.
     */
    @Test
    void aSaturatedWriterPushesBackOnEveryProtocolAndLosesNothingAccepted() throws Exception {
        try (GatewayHarness harness = GatewayHarness.start(dir, TestPostgres.shared().newDatabase(),
                GatewayHarness.SMALL_WRITER);
                Connection lock = harness.connect()) {
            MqttAsyncClient client = connect(harness);
            GatewayHarness.lockReadings(lock);

            long t0 = Instant.now().getEpochSecond() - 3600;
            List<CompletableFuture<HttpResponse<String>>> accepted = new ArrayList<>();
            HttpResponse<String> refused = null;
            for (int i = 0; i < 10 && refused == null; i++) {
                CompletableFuture<HttpResponse<String>> response = postAsync(harness, pack(t0 + i * 100L, 50));
                try {
                    HttpResponse<String> done = response.get(3, TimeUnit.SECONDS);
                    assertThat(done.statusCode()).as("only a refusal can answer while the table is locked").isEqualTo(503);
                    refused = done;
                } catch (java.util.concurrent.TimeoutException stillWaiting) {
                    accepted.add(response);
                }
            }
            assertThat(refused).as("a 503 once the writer's queue is full").isNotNull();
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(accepted).hasSizeGreaterThanOrEqualTo(2);

            double droppedBefore = dropped(harness);
            client.publish("telemetry/" + DEVICE, message(pack(t0 + 2000, 1), 0)).waitForCompletion(5000);
            IMqttDeliveryToken qos1 = client.publish("telemetry/" + DEVICE, message(pack(t0 + 2100, 1), 1));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (dropped(harness) <= droppedBefore && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(dropped(harness)).as("the QoS 0 publish dropped and counted").isGreaterThan(droppedBefore);
            Thread.sleep(1000);
            assertThat(qos1.isComplete()).as("no PUBACK while the writer is saturated").isFalse();

            lock.rollback();

            qos1.waitForCompletion(30_000);
            assertThat(qos1.getException()).isNull();
            // A refusal slower than the wait above was counted as waiting: it is a 503 still, and stored nothing.
            long stored = 0;
            for (CompletableFuture<HttpResponse<String>> response : accepted) {
                int status = response.get(30, TimeUnit.SECONDS).statusCode();
                assertThat(status).isIn(204, 503);
                stored += status == 204 ? 1 : 0;
            }
            assertThat(stored).as("packs that waited for the writer, then accepted").isGreaterThanOrEqualTo(2);
            assertThat(harness.countReadings(SUPPLY)).isEqualTo(stored * 50L + 1);
            client.disconnect().waitForCompletion(5000);
            client.close();
        }
    }

    /**
     * An MQTT 3.1.1 client that keeps publishing while more than mqtt.max-pending-per-connection
     * of its publishes wait for the writer is disconnected (3.1.1 has no negative PUBACK); its
     * unacknowledged publishes are not stored, so it can resend them.
     */
    @Test
    void aConnectionOverItsParkingLimitIsClosed() throws Exception {
        Map<String, String> config = Map.of("writer.queue-capacity", "1000", "writer.batch-max-rows", "1000",
                "ingest.max-records-per-pack", "1000", "mqtt.max-pending-per-connection", "2");
        try (GatewayHarness harness = GatewayHarness.start(dir, TestPostgres.shared().newDatabase(), config);
                Connection lock = harness.connect()) {
            MqttAsyncClient client = connect(harness);
            GatewayHarness.lockReadings(lock);
            long t0 = Instant.now().getEpochSecond() - 3600;
            // One transaction of 1000 rows fills the writer's queue and waits on the lock.
            CompletableFuture<HttpResponse<String>> first = postAsync(harness, pack(t0, 1000));
            Thread.sleep(1000);
            for (int i = 0; i < 4; i++) {
                try {
                    client.publish("telemetry/" + DEVICE, message(pack(t0 + 2000 + i, 1), 1));
                } catch (MqttException e) {
                    // Closed as soon as the third publish was parked: what the test waits for below.
                    assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_CLIENT_NOT_CONNECTED);
                    assertThat(i).as("closed only past the limit").isGreaterThanOrEqualTo(3);
                    break;
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (client.isConnected() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(client.isConnected()).as("closed once more than 2 publishes were parked").isFalse();
            lock.rollback();
            assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
            assertThat(harness.countReadings(SUPPLY)).isEqualTo(1000);
            client.close(true);
        }
    }

    private static double dropped(GatewayHarness harness) throws Exception {
        Matcher m = DROPPED.matcher(harness.get("/metrics", null, "text/plain").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static CompletableFuture<HttpResponse<String>> postAsync(GatewayHarness harness, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(harness.httpBase() + "/api/v1/telemetry"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/senml+json")
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((DEVICE + ":" + SECRET).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** {@code records} supply temperatures one second apart from {@code epochSeconds}. */
    private static byte[] pack(long epochSeconds, int records) {
        StringBuilder json = new StringBuilder("[{\"bn\":\"tilleuls/boiler-1/\",\"bt\":").append(epochSeconds)
                .append(",\"n\":\"supply_temp\",\"u\":\"Cel\",\"v\":60,\"t\":0}");
        for (int i = 1; i < records; i++) {
            json.append(",{\"n\":\"supply_temp\",\"u\":\"Cel\",\"v\":").append(60 + i % 10).append(",\"t\":").append(i).append('}');
        }
        return json.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static MqttMessage message(byte[] payload, int qos) {
        MqttMessage message = new MqttMessage(payload);
        message.setQos(qos);
        return message;
    }

    private static MqttAsyncClient connect(GatewayHarness harness) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient(harness.mqttUri(), "backpressure", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(DEVICE);
        options.setPassword(SECRET.toCharArray());
        client.connect(options).waitForCompletion(10_000);
        return client;
    }
}
