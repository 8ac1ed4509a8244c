package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.ADMIN_TOKEN;
import static fr.gardien.gateway.GatewayHarness.DEVICE;
import static fr.gardien.gateway.GatewayHarness.SECRET;
import static fr.gardien.gateway.GatewayHarness.SUPPLY;
import static fr.gardien.gateway.GatewayHarness.boilerPack;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gardien.storage.db.EmbeddedDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a device was told is stored stays stored: across a gateway restart on the embedded
 * database, and never acknowledged when the commit fails.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DurabilityIT {

    private static final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path dir;

    /**
     * With no db.url the gateway runs on an embedded PostgreSQL under data.dir; readings
     * acknowledged before a restart are served after it.
     */
    @Test
    void readingsAcknowledgedBeforeARestartAreThereAfterIt() throws Exception {
        long t0 = Instant.now().getEpochSecond() - 60;
        try (GatewayHarness first = GatewayHarness.start(dir, null, Map.of())) {
            MqttAsyncClient client = connect(first, "restart");
            for (int i = 0; i < 10; i++) {
                client.publish("telemetry/" + DEVICE, qos1(boilerPack(t0 + i, 60 + i, 45))).waitForCompletion(10_000);
            }
            client.disconnect().waitForCompletion(5000);
            client.close();
        }
        try (GatewayHarness second = GatewayHarness.start(dir, null, Map.of())) {
            HttpResponse<String> response = second.get("/api/v1/series?point=" + SUPPLY + "&from=" + Instant.ofEpochSecond(t0)
                    + "&to=" + Instant.ofEpochSecond(t0 + 10), ADMIN_TOKEN);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(mapper.readTree(response.body()).get("values")).hasSize(10);
        }
    }

    /**
     * A graceful stop commits the publishes it accepted and sends their PUBACKs before closing:
     * publishes still waiting in the writer's queue when the stop begins are acknowledged and
     * stored.
     */
    @Test
    void aGracefulStopAcknowledgesWhatItAccepted() throws Exception {
        long t0 = Instant.now().getEpochSecond() - 120;
        List<IMqttDeliveryToken> tokens = new ArrayList<>();
        // A long batch delay and gap keep the publishes queued when the stop begins.
        try (GatewayHarness harness = GatewayHarness.start(dir, null,
                Map.of("writer.batch-max-delay", "5s", "writer.batch-gap", "5s"))) {
            MqttAsyncClient client = connect(harness, "graceful-stop");
            for (int i = 0; i < 20; i++) {
                tokens.add(client.publish("telemetry/" + DEVICE, qos1(boilerPack(t0 + i, 50 + i, 40))));
            }
            Thread.sleep(1000); // read by the gateway, held by the writer's delay
            assertThat(tokens).noneMatch(IMqttDeliveryToken::isComplete);
            harness.close();
            for (IMqttDeliveryToken token : tokens) {
                token.waitForCompletion(10_000);
                assertThat(token.getException()).isNull();
            }
            client.close(true);
        }
        try (GatewayHarness again = GatewayHarness.start(dir, null, Map.of())) {
            assertThat(again.countReadings(SUPPLY)).isEqualTo(20);
        }
    }

    /**
     * When the database stops, readiness fails and a QoS 1 publish is never acknowledged; once it
     * is back, the gateway is ready again and new publishes are acknowledged.
     */
    @Test
    void aFailedCommitIsNeverAcknowledged() throws Exception {
        Path dbDir = dir.resolve("external-db");
        EmbeddedDatabase database = EmbeddedDatabase.start(dbDir, 0);
        int port = database.port();
        try (GatewayHarness harness = GatewayHarness.start(dir, database.config(4), Map.of())) {
            MqttAsyncClient client = connect(harness, "commit-failure");
            client.publish("telemetry/" + DEVICE, qos1(boilerPack(Instant.now().getEpochSecond(), 61, 44))).waitForCompletion(10_000);

            database.close();
            assertThat(harness.get("/health/ready", null).statusCode()).as("not ready without a database").isEqualTo(503);
            IMqttDeliveryToken token = client.publish("telemetry/" + DEVICE, qos1(boilerPack(Instant.now().getEpochSecond(), 62, 44)));
            // No PUBACK while the database is down: the token stays incomplete until the gateway
            // gives up on the commit and closes the connection, which fails the token.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (client.isConnected() && System.nanoTime() < deadline) {
                assertThat(token.isComplete() && token.getException() == null).as("acknowledged without commit").isFalse();
                Thread.sleep(100);
            }
            assertThat(client.isConnected()).as("the gateway gave up on the commit and closed the connection").isFalse();
            assertThat(token.getException() != null || !token.isComplete()).isTrue();
            client.close(true);

            database = EmbeddedDatabase.start(dbDir, port);
            long readyDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (harness.get("/health/ready", null).statusCode() != 200 && System.nanoTime() < readyDeadline) {
                Thread.sleep(200);
            }
            assertThat(harness.get("/health/ready", null).statusCode()).isEqualTo(200);
            MqttAsyncClient again = connect(harness, "after-recovery");
            long before = harness.countReadings(SUPPLY);
            again.publish("telemetry/" + DEVICE, qos1(boilerPack(Instant.now().getEpochSecond(), 63, 44))).waitForCompletion(60_000);
            assertThat(harness.countReadings(SUPPLY)).isEqualTo(before + 1);
            again.disconnect().waitForCompletion(5000);
            again.close();
        } finally {
            database.close();
        }
    }

    private static MqttMessage qos1(byte[] payload) {
        MqttMessage message = new MqttMessage(payload);
        message.setQos(1);
        return message;
    }

    private static MqttAsyncClient connect(GatewayHarness harness, String clientId) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient(harness.mqttUri(), clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(DEVICE);
        options.setPassword(SECRET.toCharArray());
        options.setAutomaticReconnect(false);
        options.setMaxInflight(64);
        client.connect(options).waitForCompletion(10_000);
        return client;
    }
}
