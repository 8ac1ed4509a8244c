package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.ADMIN_TOKEN;
import static fr.gardien.gateway.GatewayHarness.DEVICE;
import static fr.gardien.gateway.GatewayHarness.MANAGER_MARRONNIERS_TOKEN;
import static fr.gardien.gateway.GatewayHarness.PORTFOLIO;
import static fr.gardien.gateway.GatewayHarness.SECRET;
import static fr.gardien.gateway.GatewayHarness.boilerPack;
import static fr.gardien.gateway.GatewayHarness.storagePack;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gardien.cluster.TestKafka;
import fr.gardien.storage.db.DatabaseConfig;
import fr.gardien.storage.testing.TestPostgres;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the processes of a cluster tell each other (issue 13): alert transitions for the live
 * streams, token revocations and registry changes, within a second, through PostgreSQL
 * {@code LISTEN/NOTIFY}; and the registry kept by the database, the file applied by the leader
 * only when newer. Gateways as separate processes would run them: one PostgreSQL, a real Kafka
 * broker, real HTTP clients on loopback.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterCrossIT {

    /** The bound: what one process commits, every other process knows within a second. */
    private static final Duration WITHIN = Duration.ofSeconds(1);
    private static final AtomicInteger topics = new AtomicInteger();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path dir;

    private GatewayHarness start(String name, DatabaseConfig db, String role, String topic) throws Exception {
        Path sub = Files.createDirectories(dir.resolve(name));
        return GatewayHarness.start(sub, db, Map.of("cluster.role", role,
                "cluster.kafka.bootstrap-servers", TestKafka.shared().bootstrapServers(), "cluster.kafka.topic", topic,
                "cluster.kafka.partitions", "2"));
    }

    private static String newTopic() {
        return "gardien-cross-" + ProcessHandle.current().pid() + "-" + topics.incrementAndGet();
    }

    /** A worker and two edges on a new database and topic. */
    private record Cluster(GatewayHarness worker, GatewayHarness edgeA, GatewayHarness edgeB) implements AutoCloseable {
        @Override
        public void close() {
            edgeB.close();
            edgeA.close();
            worker.close();
        }
    }

    private Cluster workerAndTwoEdges() throws Exception {
        String topic = newTopic();
        DatabaseConfig db = TestPostgres.shared().newDatabase();
        GatewayHarness worker = start("worker", db, "worker", topic);
        GatewayHarness edgeA = start("edge-a", db, "edge", topic);
        return new Cluster(worker, edgeA, start("edge-b", db, "edge", topic));
    }

    private static SseClient stream(GatewayHarness gateway, String token) throws Exception {
        SseClient client = SseClient.connect(http, gateway.httpBase() + "/api/v1/alerts/stream", token, null, null);
        assertThat(client.status()).isEqualTo(200);
        return client;
    }

    /**
     * A cold hot-water tank reported through edge A raises the worker's alert: an SSE stream
     * opened on edge B carries it within a second of the worker's own stream, and a stream of a
     * token for another site does not; an acknowledgement committed by edge A reaches edge B's
     * stream within a second of edge A's answer.
     */
    @Test
    void anAlertRaisedThroughEdgeAIsLiveOnEdgeBWithinASecond() throws Exception {
        try (Cluster cluster = workerAndTwoEdges();
                SseClient onWorker = stream(cluster.worker(), ADMIN_TOKEN);
                SseClient onB = stream(cluster.edgeB(), ADMIN_TOKEN);
                SseClient otherSiteOnB = stream(cluster.edgeB(), MANAGER_MARRONNIERS_TOKEN)) {
            GatewayHarness edgeA = cluster.edgeA();
            long now = Instant.now().getEpochSecond();
            HttpResponse<String> posted = edgeA.post("/api/v1/telemetry", "application/senml+json",
                    storagePack(now - 80 * 60, now - 5 * 60, 48.0), DEVICE, SECRET);
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(204);

            SseClient.Event raised = onWorker.nextEvent(Duration.ofSeconds(60));
            assertThat(raised).as("the worker's own stream").isNotNull();
            JsonNode alert = mapper.readTree(raised.data());
            assertThat(alert.get("rule").asText()).isEqualTo("hot-water-storage-cold");
            SseClient.Event relayed = onB.nextEvent(WITHIN);
            assertThat(relayed).as("edge B's stream within a second of the worker's").isNotNull();
            assertThat(relayed.id()).isEqualTo(raised.id());
            assertThat(mapper.readTree(relayed.data()).get("site").asText()).isEqualTo("tilleuls");
            assertThat(otherSiteOnB.nextEvent(Duration.ofMillis(500))).as("a marronniers token sees no tilleuls alert").isNull();

            long id = alert.get("id").asLong();
            HttpResponse<String> acked = edgeA.send("POST", "/api/v1/alerts/" + id + "/ack", ADMIN_TOKEN, null);
            assertThat(acked.statusCode()).as(acked.body()).isEqualTo(200);
            SseClient.Event ack = onB.nextEvent(WITHIN);
            assertThat(ack).as("edge A's acknowledgement on edge B's stream").isNotNull();
            assertThat(mapper.readTree(ack.data()).get("transition").get("kind").asText()).isEqualTo("acknowledged");
            assertThat(onWorker.nextEvent(WITHIN)).as("and on the worker's").isNotNull();
        }
    }

    /**
     * A token created on edge A works on edge B within a second; revoked on edge A, it is
     * refused by edge B and the worker within a second, and its stream open on edge B is closed.
     */
    @Test
    void aTokenRevokedOnOneProcessIsRefusedByTheOthersWithinASecond() throws Exception {
        try (Cluster cluster = workerAndTwoEdges()) {
            GatewayHarness worker = cluster.worker();
            GatewayHarness edgeA = cluster.edgeA();
            GatewayHarness edgeB = cluster.edgeB();
            HttpResponse<String> created = edgeA.send("POST", "/api/v1/tokens", ADMIN_TOKEN,
                    "{\"name\":\"short-lived\",\"role\":\"building-manager\",\"sites\":[\"tilleuls\"]}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String token = mapper.readTree(created.body()).get("token").asText();
            assertWithin(WITHIN, () -> status(edgeB, token) == 200, "the new token accepted by edge B");

            try (SseClient open = stream(edgeB, token)) {
                assertThat(edgeA.send("DELETE", "/api/v1/tokens/short-lived", ADMIN_TOKEN, null).statusCode()).isEqualTo(204);
                long revoked = System.nanoTime();
                assertWithin(WITHIN, () -> status(edgeB, token) == 401 && status(worker, token) == 401,
                        "the revoked token refused by edge B and the worker");
                Duration left = WITHIN.minusNanos(System.nanoTime() - revoked);
                assertThat(open.endsWithin(left.isNegative() ? Duration.ZERO : left))
                        .as("its stream on edge B closed within a second").isTrue();
            }
        }
    }

    /**
     * The registry is the database's: a worker started with a newer portfolio file applies it
     * (it leads); an edge started with an older copy follows the database instead, and does not
     * revert it even once it leads after the worker stopped. A reload through the admin API of
     * one process reaches the other within a second.
     */
    @Test
    void aProcessStartedWithAnOldPortfolioFileDoesNotRevertTheRegistry() throws Exception {
        String topic = newTopic();
        DatabaseConfig db = TestPostgres.shared().newDatabase();
        String withNewDevice = PORTFOLIO.replace("devices:\n", "devices:\n  - {id: gw-new, site: tilleuls, secret: \"new-device-secret\"}\n");
        Path workerDir = Files.createDirectories(dir.resolve("worker"));
        Files.writeString(workerDir.resolve("portfolio.yaml"), withNewDevice);
        Path edgeDir = Files.createDirectories(dir.resolve("edge"));
        Path oldFile = edgeDir.resolve("portfolio.yaml");
        Files.writeString(oldFile, PORTFOLIO);
        Files.setLastModifiedTime(oldFile, FileTime.from(Instant.now().minus(Duration.ofHours(1))));

        long now = Instant.now().getEpochSecond();
        GatewayHarness worker = start("worker", db, "worker", topic);
        try (GatewayHarness edge = start("edge", db, "edge", topic)) {
            try {
                assertThat(metric(worker, "gardien_cluster_leader")).as("the first process leads").isEqualTo(1.0);
                assertThat(metric(edge, "gardien_cluster_leader")).isEqualTo(0.0);
                assertThat(telemetry(edge, "gw-new", "new-device-secret", now)).as("the device of the newer file, on the edge")
                        .isEqualTo(204);

                Files.writeString(workerDir.resolve("portfolio.yaml"), withNewDevice
                        .replace("devices:\n", "devices:\n  - {id: gw-newer, site: tilleuls, secret: \"newer-device-secret\"}\n"));
                assertThat(worker.send("POST", "/api/v1/admin/portfolio/reload", ADMIN_TOKEN, null).statusCode()).isEqualTo(200);
                assertWithin(WITHIN, () -> telemetry(edge, "gw-newer", "newer-device-secret", now + 60) == 204,
                        "a reload on the worker reaches the edge");
            } finally {
                worker.close();
            }
            assertWithin(Duration.ofSeconds(15), () -> metric(edge, "gardien_cluster_leader") == 1.0, "the edge leads");
            // Past the 5 s poll in which the new leader judges its own, older, file.
            Thread.sleep(7_000);
            assertThat(telemetry(edge, "gw-new", "new-device-secret", now + 120)).as("the registry not reverted").isEqualTo(204);
            assertThat(telemetry(edge, "gw-newer", "newer-device-secret", now + 180)).isEqualTo(204);
            try (var c = edge.connect(); var s = c.createStatement();
                    var r = s.executeQuery("SELECT count(*) FROM devices")) {
                r.next();
                assertThat(r.getInt(1)).isEqualTo(4);
            }
        }
    }

    private static int telemetry(GatewayHarness edge, String device, String secret, long at) {
        try {
            return edge.post("/api/v1/telemetry", "application/senml+json", boilerPack(at, 70, 50), device, secret).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static int status(GatewayHarness gateway, String token) {
        try {
            return gateway.get("/api/v1/alerts", token).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static double metric(GatewayHarness gateway, String name) {
        try {
            for (String line : gateway.get("/metrics", null, "text/plain").body().split("\n")) {
                if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return Double.NaN;
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    private static void assertWithin(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("not within " + timeout + ": " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
