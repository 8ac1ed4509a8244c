package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.DEVICE;
import static fr.gardien.gateway.GatewayHarness.OTHER_DEVICE;
import static fr.gardien.gateway.GatewayHarness.OTHER_SECRET;
import static fr.gardien.gateway.GatewayHarness.OTHER_SITE_POINT;
import static fr.gardien.gateway.GatewayHarness.SECRET;
import static fr.gardien.gateway.GatewayHarness.SUPPLY;
import static fr.gardien.gateway.QosLoad.await;
import static fr.gardien.gateway.QosLoad.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gardien.cluster.TestKafka;
import fr.gardien.storage.db.DatabaseConfig;
import fr.gardien.storage.testing.TestPostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two edges and three workers as gateways, devices publishing with QoS 1 through both edges all
 * along: the first worker, a process of its own, is killed (SIGKILL) while one of its
 * transactions is open; a second worker takes its partitions, a third joins (a rebalance while
 * packs flow); every reading a PUBACK acknowledged is stored exactly once. PackLogIT holds the
 * same at the level of the cluster module with workers that leave cleanly or stall; this is the
 * crash, through the gateways' MQTT front-ends and worker assembly.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WorkerCrashIT {

    private static final Path GATEWAY_JAR = Path.of("target", "gardien-gateway.jar").toAbsolutePath();
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void aWorkerKilledMidBatchAndAWorkerAddedLoseAndDoubleNothing() throws Exception {
        assumeTrue(Files.isRegularFile(GATEWAY_JAR), "the gateway jar is not built (mvn package)");
        DatabaseConfig db = TestPostgres.shared().newDatabase();
        Map<String, String> keys = new HashMap<>(Map.of("cluster.kafka.bootstrap-servers", TestKafka.shared().bootstrapServers(),
                "cluster.kafka.topic", "gardien-crash-" + ProcessHandle.current().pid(), "cluster.kafka.partitions", "4"));
        Process doomed = startWorkerProcess(db, keys);
        try (GatewayHarness edgeA = start("edge-a", db, keys, "edge");
                GatewayHarness edgeB = start("edge-b", db, keys, "edge")) {
            awaitReady(doomed);
            try (QosLoad load = new QosLoad(List.of(
                    new QosLoad.Target(edgeA.mqttUri(), DEVICE, SECRET, SUPPLY),
                    new QosLoad.Target(edgeB.mqttUri(), DEVICE, SECRET, SUPPLY),
                    new QosLoad.Target(edgeA.mqttUri(), OTHER_DEVICE, OTHER_SECRET, OTHER_SITE_POINT),
                    new QosLoad.Target(edgeB.mqttUri(), OTHER_DEVICE, OTHER_SECRET, OTHER_SITE_POINT)),
                    Instant.now().getEpochSecond() - 12 * 3_600, Duration.ofMillis(10))) {
                load.start();
                Set<String> points = Set.of(SUPPLY, OTHER_SITE_POINT);
                await(Duration.ofSeconds(30), () -> stored(edgeA, points).size() >= 200, "the first worker stores");

                // Killed with one of its transactions open: what it had not committed is not stored,
                // and its partitions' offsets in PostgreSQL still say where to resume.
                assertThat(killInsideATransaction(db, doomed)).as("the worker killed inside a transaction").isTrue();
                try (GatewayHarness second = start("worker-2", db, keys, "worker")) {
                    await(Duration.ofSeconds(40), () -> held(second).size() == 4, "the second worker takes every partition");
                    long before = stored(edgeA, points).size();
                    await(Duration.ofSeconds(20), () -> stored(edgeA, points).size() > before + 200, "the second worker stores");
                    try (GatewayHarness third = start("worker-3", db, keys, "worker")) {
                        await(Duration.ofSeconds(40), () -> !held(third).isEmpty() && held(second).size() + held(third).size() == 4,
                                "the partitions shared after the third worker joined");
                        Thread.sleep(3_000);
                        load.stop(Duration.ofSeconds(30));

                        Set<String> acked = load.acked();
                        assertThat(acked).hasSizeGreaterThan(1_000);
                        QosLoad.assertStoredExactlyOnce(edgeA, points, acked, Duration.ofSeconds(40));
                        Set<Integer> union = new HashSet<>(held(second));
                        union.addAll(held(third));
                        assertThat(union).containsExactlyInAnyOrder(0, 1, 2, 3);
                    }
                }
            }
        } finally {
            doomed.destroyForcibly();
        }
    }

    private GatewayHarness start(String name, DatabaseConfig db, Map<String, String> keys, String role) throws Exception {
        Map<String, String> all = new HashMap<>(keys);
        all.put("cluster.role", role);
        return GatewayHarness.start(Files.createDirectories(dir.resolve(name)), db, all);
    }

    /** The worker to kill, in a JVM of its own (the gateway's jar) so that SIGKILL is a real crash. */
    private Process startWorkerProcess(DatabaseConfig db, Map<String, String> keys) throws Exception {
        Path home = Files.createDirectories(dir.resolve("worker-1"));
        Map<String, String> all = new HashMap<>(keys);
        all.put("cluster.role", "worker");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        all.put("http.port", Integer.toString(port));
        Path config = GatewayHarness.writeConfig(home, db, all, "");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx256m", "-jar", GATEWAY_JAR.toString(), "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(home.resolve("worker.log").toFile()).start();
        workerPort = port;
        return p;
    }

    private int workerPort;

    private void awaitReady(Process worker) throws Exception {
        URI ready = URI.create("http://127.0.0.1:" + workerPort + "/health/ready");
        await(Duration.ofSeconds(60), () -> {
            assertThat(worker.isAlive()).as("the worker process runs (see its worker.log)").isTrue();
            try {
                return http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        }, "the first worker ready");
    }

    /**
     * Watches PostgreSQL for a transaction open on a worker's writer connection (only the doomed
     * worker has one at this point: the edges write nothing) and kills the worker at once.
     */
    private static boolean killInsideATransaction(DatabaseConfig db, Process worker) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                PreparedStatement open = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND application_name = 'gardien-writer' AND xact_start IS NOT NULL AND state <> 'idle'")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = open.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        worker.destroyForcibly();
                        return worker.waitFor(10, TimeUnit.SECONDS);
                    }
                }
            }
        }
        return false;
    }

    private Set<Integer> held(GatewayHarness worker) {
        try {
            JsonNode held = mapper.readTree(worker.get("/health/ready", null).body()).get("checks").get("partitions").get("held");
            Set<Integer> partitions = new HashSet<>();
            held.forEach(p -> partitions.add(p.asInt()));
            return partitions;
        } catch (Exception e) {
            return Set.of();
        }
    }
}
