package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.ADMIN_TOKEN;
import static fr.gardien.gateway.GatewayHarness.DEVICE;
import static fr.gardien.gateway.GatewayHarness.RETURN;
import static fr.gardien.gateway.GatewayHarness.SECRET;
import static fr.gardien.gateway.GatewayHarness.SUPPLY;
import static fr.gardien.gateway.GatewayHarness.boilerPack;
import static fr.gardien.gateway.GatewayHarness.storagePack;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gardien.cluster.KafkaBroker;
import fr.gardien.cluster.TestKafka;
import fr.gardien.storage.db.DatabaseConfig;
import fr.gardien.storage.testing.TestPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode end to end (issue 13): edges and a worker as separate gateways on one PostgreSQL,
 * a real Kafka broker between them, devices over MQTT and HTTP on loopback.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterIT {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ClusterIT.class);
    private static final AtomicInteger topics = new AtomicInteger();
    private final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path dir;

    private static Map<String, String> role(String role, String servers, String topic) {
        return Map.of("cluster.role", role, "cluster.kafka.bootstrap-servers", servers, "cluster.kafka.topic", topic,
                "cluster.kafka.partitions", "4");
    }

    private static String newTopic() {
        return "gardien-it-" + ProcessHandle.current().pid() + "-" + topics.incrementAndGet();
    }

    private GatewayHarness start(String name, DatabaseConfig db, Map<String, String> keys) throws Exception {
        Path sub = Files.createDirectories(dir.resolve(name));
        return GatewayHarness.start(sub, db, keys);
    }

    /**
     * Packs published with QoS 1 to two edges, each acknowledged: once the worker has them, each
     * reading is stored exactly once; a cold hot-water tank reported through an edge raises the
     * worker's alert, which the edge's API lists; each role's readiness says what it depends on.
     */
    @Test
    void aPubackFromAnEdgeMeansTheReadingIsStoredOnceByAWorker() throws Exception {
        String servers = TestKafka.shared().bootstrapServers();
        String topic = newTopic();
        DatabaseConfig db = TestPostgres.shared().newDatabase();
        try (GatewayHarness worker = start("worker", db, role("worker", servers, topic));
                GatewayHarness edgeA = start("edge-a", db, role("edge", servers, topic));
                GatewayHarness edgeB = start("edge-b", db, role("edge", servers, topic))) {
            assertThat(worker.gateway.mqttPort()).as("a worker takes no telemetry").isEqualTo(-1);
            // Hours before the hot-water readings below: a site's rules judge in event time, and late readings are dropped.
            long start = Instant.now().getEpochSecond() - 4 * 3_600;
            MqttAsyncClient a = connect(edgeA, "cluster-a");
            MqttAsyncClient b = connect(edgeB, "cluster-b");
            for (int i = 0; i < 30; i++) {
                MqttMessage message = new MqttMessage(boilerPack(start + i * 60L, 70 + i, 50));
                message.setQos(1);
                IMqttToken acked = (i % 2 == 0 ? a : b).publish("telemetry/" + DEVICE, message);
                acked.waitForCompletion(20_000);
            }
            HttpResponse<String> posted = edgeB.post("/api/v1/telemetry", "application/senml+json",
                    boilerPack(start + 31 * 60L, 71, 51), DEVICE, SECRET);
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(204);
            await(Duration.ofSeconds(30), () -> count(worker, SUPPLY) >= 31 && count(worker, RETURN) >= 31, "stored by the worker");
            Thread.sleep(1_000);
            assertThat(worker.countReadings(SUPPLY)).isEqualTo(31);
            assertThat(worker.countReadings(RETURN)).isEqualTo(31);

            long now = Instant.now().getEpochSecond();
            MqttMessage cold = new MqttMessage(storagePack(now - 80 * 60, now - 5 * 60, 48.0));
            cold.setQos(1);
            a.publish("telemetry/" + DEVICE, cold).waitForCompletion(20_000);
            await(Duration.ofSeconds(30), () -> openAlerts(edgeB).contains("hot-water-storage-cold"), "the worker's alert listed by an edge");

            JsonNode workerReady = mapper.readTree(worker.get("/health/ready", null).body());
            assertThat(workerReady.get("status").asText()).isEqualTo("UP");
            assertThat(workerReady.get("checks").get("partitions").get("held")).hasSize(4);
            JsonNode edgeReady = mapper.readTree(edgeA.get("/health/ready", null).body());
            assertThat(edgeReady.get("checks").get("kafka").get("status").asText()).isEqualTo("UP");
            assertThat(worker.get("/metrics", null).body()).contains("gardien_cluster_consumer_lag_records{partition=\"3\"}");
            for (MqttAsyncClient client : List.of(a, b)) {
                client.disconnect().waitForCompletion(5_000);
                client.close();
            }
        }
    }

    /**
     * An edge whose Kafka stops answers HTTP telemetry with 503 and Retry-After (MQTT and CoAP
     * share its sink's "full" outcome) and reports Kafka down in its readiness, then takes packs
     * again by itself once Kafka is back; a worker stores what was acknowledged, once.
     */
    @Test
    void anEdgeWithoutKafkaRefusesThenRecoversByItself() throws Exception {
        Path kafkaDir = TestKafka.tempDir();
        KafkaBroker broker = KafkaBroker.start(kafkaDir, "127.0.0.1", 0);
        int port = broker.port();
        String topic = newTopic();
        DatabaseConfig db = TestPostgres.shared().newDatabase();
        try (GatewayHarness worker = start("worker", db, role("worker", broker.bootstrapServers(), topic));
                GatewayHarness edge = start("edge", db, role("edge", broker.bootstrapServers(), topic))) {
            long start = Instant.now().getEpochSecond() - 3_600;
            assertThat(edge.post("/api/v1/telemetry", "application/senml+json", boilerPack(start, 70, 50), DEVICE, SECRET)
                    .statusCode()).isEqualTo(204);
            broker.close();

            List<Integer> statuses = new ArrayList<>();
            String retryAfter = null;
            for (int i = 1; i < 40 && retryAfter == null; i++) {
                HttpResponse<String> r;
                try {
                    r = edge.post("/api/v1/telemetry", "application/senml+json", boilerPack(start + i * 60L, 70, 50), DEVICE,
                            SECRET);
                } catch (java.net.http.HttpTimeoutException e) {
                    statuses.add(-1); // held past the client's patience: not acknowledged either
                    continue;
                }
                statuses.add(r.statusCode());
                retryAfter = r.statusCode() == 503 ? r.headers().firstValue("Retry-After").orElse(null) : null;
            }
            assertThat(statuses).as("nothing acknowledged while Kafka is down").doesNotContain(204).contains(503);
            assertThat(retryAfter).isNotNull();
            JsonNode ready = mapper.readTree(edge.get("/health/ready", null).body());
            assertThat(ready.get("checks").get("kafka").get("status").asText()).isEqualTo("DOWN");

            broker = KafkaBroker.start(kafkaDir, "127.0.0.1", port);
            long back = start + 50 * 60L;
            await(Duration.ofSeconds(40), () -> post(edge, boilerPack(back, 72, 52)) == 204, "the edge takes packs again");
            await(Duration.ofSeconds(40), () -> count(worker, SUPPLY) >= 2, "stored by the worker");
            Thread.sleep(1_000);
            assertThat(worker.countReadings(SUPPLY)).as("the two acknowledged packs, once each").isEqualTo(2);
        } finally {
            broker.close();
            TestKafka.delete(kafkaDir);
        }
    }

    private static int post(GatewayHarness edge, byte[] pack) {
        try {
            return edge.post("/api/v1/telemetry", "application/senml+json", pack, DEVICE, SECRET).statusCode();
        } catch (Exception e) {
            log.warn("post failed", e);
            return -1;
        }
    }

    private static MqttAsyncClient connect(GatewayHarness edge, String id) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient(edge.mqttUri(), id, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(DEVICE);
        options.setPassword(SECRET.toCharArray());
        client.connect(options).waitForCompletion(10_000);
        return client;
    }

    private String openAlerts(GatewayHarness edge) {
        try {
            return edge.get("/api/v1/alerts?state=open", ADMIN_TOKEN).body();
        } catch (Exception e) {
            return "";
        }
    }

    static long count(GatewayHarness harness, String point) {
        try {
            return harness.countReadings(point);
        } catch (Exception e) {
            return -1;
        }
    }


    static void await(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting for: " + what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
