package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.ADMIN_TOKEN;
import static fr.gardien.gateway.GatewayHarness.DEVICE;
import static fr.gardien.gateway.GatewayHarness.SECRET;
import static fr.gardien.gateway.ClusterIT.await;
import static fr.gardien.gateway.ClusterIT.count;
import static fr.gardien.gateway.GatewayHarness.storagePack;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gardien.cluster.PackConsumer;
import fr.gardien.cluster.ReadingsTopic;
import fr.gardien.cluster.TestKafka;
import fr.gardien.storage.db.DatabaseConfig;
import fr.gardien.storage.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules per partition (issue 13): two workers and an edge as gateways on one PostgreSQL, a real
 * Kafka broker between them. The worker holding a site's partition leaves in the middle of a
 * rule's {@code for:} hold; the other takes the partition over with its rule state.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterRulesIT {

    private static final String STORAGE = "tilleuls/ecs-1/storage_temp";
    private static final String RULE = "hot-water-storage-cold";
    private final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path dir;

    private GatewayHarness start(String name, DatabaseConfig db, String role, String topic) throws Exception {
        return GatewayHarness.start(Files.createDirectories(dir.resolve(name)), db, Map.of("cluster.role", role,
                "cluster.kafka.bootstrap-servers", TestKafka.shared().bootstrapServers(), "cluster.kafka.topic", topic,
                "cluster.kafka.partitions", "4"));
    }

    private static Set<Integer> held(GatewayHarness worker) {
        return worker.gateway.worker().map(PackConsumer::partitions).orElse(Set.of());
    }

    /**
     * A tank cold from t0 (rule: below 55 °C for 1 h): its first half hour reaches the worker
     * holding the site's partition, which then stops (a rolling restart, a scale-down); the rest
     * reaches the other worker. Exactly one alert is raised, by the second worker, with
     * {@code firstSeen} one hour after t0 — not an hour after the takeover, as a hold restarted
     * from nothing would give.
     */
    @Test
    void aRebalanceDuringAForHoldRaisesExactlyOneAlertWithTheRightFirstSeen() throws Exception {
        String topic = "gardien-rules-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        DatabaseConfig db = TestPostgres.shared().newDatabase();
        List<GatewayHarness> workers = new ArrayList<>();
        workers.add(start("worker-a", db, "worker", topic));
        workers.add(start("worker-b", db, "worker", topic));
        try (GatewayHarness edge = start("edge", db, "edge", topic)) {
            await(Duration.ofSeconds(60), () -> !held(workers.get(0)).isEmpty() && !held(workers.get(1)).isEmpty()
                    && held(workers.get(0)).size() + held(workers.get(1)).size() == 4, "both workers hold partitions");
            int partition = ReadingsTopic.partitionOf("tilleuls", 4);
            GatewayHarness owner = held(workers.get(0)).contains(partition) ? workers.get(0) : workers.get(1);
            GatewayHarness other = owner == workers.get(0) ? workers.get(1) : workers.get(0);

            long t0 = Instant.now().getEpochSecond() / 300 * 300 - 3 * 3_600;
            assertThat(edge.post("/api/v1/telemetry", "application/senml+json", storagePack(t0, t0 + 1_800, 48.0), DEVICE,
                    SECRET).statusCode()).isEqualTo(204);
            await(Duration.ofSeconds(30), () -> count(owner, STORAGE) == 7, "the first half hour stored by the site's worker");

            owner.close();
            workers.remove(owner);
            await(Duration.ofSeconds(60), () -> held(other).size() == 4, "the other worker takes every partition");
            assertThat(edge.post("/api/v1/telemetry", "application/senml+json", storagePack(t0 + 2_100, t0 + 4_500, 48.0),
                    DEVICE, SECRET).statusCode()).isEqualTo(204);
            await(Duration.ofSeconds(30), () -> count(other, STORAGE) == 16, "the rest stored by the other worker");
            await(Duration.ofSeconds(30), () -> alerts(edge).size() == 1, "the alert raised");
            Thread.sleep(2_000); // a second alert, or a second transition, would have been written by now
            List<JsonNode> alerts = alerts(edge);
            assertThat(alerts).hasSize(1);
            assertThat(alerts.get(0).get("state").asText()).isEqualTo("open");
            assertThat(Instant.parse(alerts.get(0).get("firstSeen").asText())).isEqualTo(Instant.ofEpochSecond(t0 + 3_600));
            assertThat(alerts.get(0).get("occurrences").asInt()).isEqualTo(1);
            assertThat(checkpointedPartitions(other)).as("every partition's rule state checkpointed with its offset")
                    .containsExactly(0, 1, 2, 3);
        } finally {
            for (GatewayHarness worker : workers) {
                worker.close();
            }
        }
    }

    private List<JsonNode> alerts(GatewayHarness edge) {
        List<JsonNode> found = new ArrayList<>();
        try {
            JsonNode all = mapper.readTree(edge.get("/api/v1/alerts?limit=100", ADMIN_TOKEN).body());
            for (JsonNode a : all.has("alerts") ? all.get("alerts") : all) {
                if (RULE.equals(a.path("rule").asText())) {
                    found.add(a);
                }
            }
        } catch (Exception e) {
            return List.of();
        }
        return found;
    }

    private static Set<Integer> checkpointedPartitions(GatewayHarness worker) throws Exception {
        Set<Integer> partitions = new TreeSet<>();
        try (var c = worker.gateway.database().dataSource().getConnection();
                var s = c.createStatement();
                var r = s.executeQuery("SELECT partition FROM partition_lease WHERE rule_offset IS NOT NULL")) {
            while (r.next()) {
                partitions.add(r.getInt(1));
            }
        }
        return partitions;
    }
}
