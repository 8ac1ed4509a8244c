package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.DEVICE;
import static fr.gardien.gateway.GatewayHarness.OTHER_DEVICE;
import static fr.gardien.gateway.GatewayHarness.OTHER_SECRET;
import static fr.gardien.gateway.GatewayHarness.OTHER_SITE_POINT;
import static fr.gardien.gateway.GatewayHarness.SECRET;
import static fr.gardien.gateway.GatewayHarness.SUPPLY;
import static fr.gardien.gateway.QosLoad.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gardien.cluster.KafkaBroker;
import fr.gardien.cluster.TestKafka;
import fr.gardien.storage.db.DatabaseConfig;
import fr.gardien.storage.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's "the broker stopped for 30 s under load", end to end: an edge and a worker as
 * gateways, devices publishing with QoS 1 over MQTT 5 all along. While Kafka is down the edge
 * acknowledges nothing (publishes are withheld; those the producer held fail after its delivery
 * timeout and their connections are closed) and says so in its readiness; it takes packs again by itself once Kafka is back; every reading it acknowledged is
 * stored exactly once, and nothing is stored twice.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class KafkaOutageUnderLoadIT {

    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void nothingAcknowledgedIsLostOrDoubledWhenTheBrokerStopsForThirtySeconds() throws Exception {
        Path kafkaDir = TestKafka.tempDir();
        KafkaBroker broker = KafkaBroker.start(kafkaDir, "127.0.0.1", 0);
        int port = broker.port();
        String topic = "gardien-outage-" + ProcessHandle.current().pid();
        DatabaseConfig db = TestPostgres.shared().newDatabase();
        Map<String, String> cluster = Map.of("cluster.kafka.bootstrap-servers", broker.bootstrapServers(),
                "cluster.kafka.topic", topic, "cluster.kafka.partitions", "4");
        Map<String, String> edgeKeys = with(cluster, "cluster.role", "edge");
        try (GatewayHarness worker = GatewayHarness.start(Files.createDirectories(dir.resolve("worker")), db,
                        with(cluster, "cluster.role", "worker"));
                GatewayHarness edge = GatewayHarness.start(Files.createDirectories(dir.resolve("edge")), db, edgeKeys);
                QosLoad load = new QosLoad(List.of(
                        new QosLoad.Target(edge.mqttUri(), DEVICE, SECRET, SUPPLY),
                        new QosLoad.Target(edge.mqttUri(), DEVICE, SECRET, SUPPLY),
                        new QosLoad.Target(edge.mqttUri(), OTHER_DEVICE, OTHER_SECRET, OTHER_SITE_POINT),
                        new QosLoad.Target(edge.mqttUri(), OTHER_DEVICE, OTHER_SECRET, OTHER_SITE_POINT)),
                        Instant.now().getEpochSecond() - 12 * 3_600, Duration.ofMillis(20))) {
            load.start();
            await(Duration.ofSeconds(30), () -> load.acked().size() >= 100, "the edge acknowledges before the outage");

            broker.close();
            long stopped = System.nanoTime();
            // The producer holds what it was given for its delivery timeout (20 s), unacknowledged;
            // once a delivery fails the edge closes those connections and refuses packs.
            await(OUTAGE, () -> kafkaStatus(edge).equals("DOWN"), "the edge's readiness says Kafka is down", load::describe);
            Thread.sleep(Math.max(0, OUTAGE.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped)));
            broker = KafkaBroker.start(kafkaDir, "127.0.0.1", port);
            long restarted = System.nanoTime();

            // Kafka's last acknowledgements reach the devices within a second of its stop; after
            // that, nothing until it is back.
            long graceEnd = stopped + TimeUnit.SECONDS.toNanos(1);
            assertThat(load.acks()).as("success PUBACKs while Kafka was down")
                    .noneMatch(a -> a.ackedNanos() > graceEnd && a.ackedNanos() < restarted);

            await(Duration.ofSeconds(40), () -> load.acks().stream().anyMatch(a -> a.sentNanos() > restarted),
                    "the edge acknowledges again by itself");
            await(Duration.ofSeconds(15), () -> kafkaStatus(edge).equals("UP"), "the edge's readiness says Kafka is up");
            load.stop(Duration.ofSeconds(30));

            QosLoad.assertStoredExactlyOnce(worker, Set.of(SUPPLY, OTHER_SITE_POINT), load.acked(), Duration.ofSeconds(40));
        } finally {
            broker.close();
            TestKafka.delete(kafkaDir);
        }
    }

    private static Map<String, String> with(Map<String, String> keys, String key, String value) {
        Map<String, String> all = new java.util.HashMap<>(keys);
        all.put(key, value);
        return all;
    }

    private String kafkaStatus(GatewayHarness edge) {
        try {
            return mapper.readTree(edge.get("/health/ready", null).body()).get("checks").get("kafka").get("status").asText();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
