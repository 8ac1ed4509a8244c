package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.DEVICE;
import static fr.gardien.gateway.GatewayHarness.SECRET;
import static fr.gardien.gateway.GatewayHarness.SUPPLY;
import static fr.gardien.gateway.GatewayHarness.boilerPack;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gardien.storage.db.EmbeddedDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL under supervision (issue 15): its postmaster killed with SIGKILL while
 * devices send, the gateway starts it again with its crash recovery, readiness says so meanwhile
 * and always answers promptly, and every reading acknowledged before, during or after is stored.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SupervisedDatabaseIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** SIGTERM ends within 10 s whatever the database does (issue 15), plus 1 s for this shared 2-core machine. */
    private static final Duration STOP_ALLOWANCE = Duration.ofSeconds(11);

    @TempDir
    Path dir;

    @Test
    void aKilledPostmasterIsRestartedAndNothingAcknowledgedIsLost() throws Exception {
        try (GatewayHarness harness = GatewayHarness.start(dir, null, Map.of())) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicBoolean sending = new AtomicBoolean(true);
            Thread load = startLoad(harness, acknowledged, sending);
            waitFor(() -> acknowledged.size() >= 20, Duration.ofSeconds(30));

            ReadinessProbe probe = new ReadinessProbe(http, harness);

            Path pidFile = dir.resolve("data").resolve("postgres").resolve("postmaster.pid");
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
            long killedAt = System.nanoTime();
            assertThat(postmaster.destroyForcibly()).isTrue();
            postmaster.onExit().get(10, TimeUnit.SECONDS);

            waitFor(() -> probe.saidStatus(503), Duration.ofSeconds(10));
            // Restarted within seconds, and ready again.
            waitFor(() -> readPid(pidFile) != pid && ready(http, harness), Duration.ofSeconds(30));
            Duration restartedIn = Duration.ofNanos(System.nanoTime() - killedAt);
            int atRestart = acknowledged.size();
            waitFor(() -> acknowledged.size() >= atRestart + 20, Duration.ofSeconds(30));
            sending.set(false);
            load.join(30_000);
            probe.close();

            Set<Integer> stored = storedValues(harness);
            assertThat(stored).as("every acknowledged reading is stored").containsAll(acknowledged);
            assertThat(restartedIn).as("restarted within seconds").isLessThan(Duration.ofSeconds(20));
            assertThat(probe.saidStatus(503) && probe.saidStatus(200)).as("readiness said 503 while down and 200 after: "
                    + probe.said).isTrue();
            assertThat(probe.said).doesNotContain("no answer");
            // The deadline is 0.8 s; a loaded test machine gets its slack.
            assertThat(probe.slowestMillis.get()).as("slowest readiness answer, ms").isLessThan(2_500);
        }
    }

    /**
     * SIGTERM's path (Gateway.stop) right after the postmaster was killed, with requests in
     * flight: the stop ends in bounded time, and what was acknowledged is stored.
     */
    @Test
    void aStopRightAfterThePostmasterDiedEndsInBoundedTime() throws Exception {
        GatewayHarness harness = GatewayHarness.start(dir, null, Map.of());
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread load = startLoad(harness, acknowledged, sending);
        waitFor(() -> acknowledged.size() >= 20, Duration.ofSeconds(30));
        Path pidFile = dir.resolve("data").resolve("postgres").resolve("postmaster.pid");
        ProcessHandle.of(readPid(pidFile)).orElseThrow().destroyForcibly();
        long start = System.nanoTime();
        harness.close();
        Duration stoppedIn = Duration.ofNanos(System.nanoTime() - start);
        sending.set(false);
        load.join(30_000);
        System.out.println("stop after the postmaster was killed took " + stoppedIn.toMillis() + " ms");
        assertThat(stoppedIn).as("stop with the database just killed").isLessThan(STOP_ALLOWANCE);

        // Started again on the same files: everything acknowledged is there.
        try (GatewayHarness again = GatewayHarness.start(dir, null, Map.of())) {
            assertThat(storedValues(again)).containsAll(acknowledged);
        }
    }

    /**
     * With an external database ({@code db.url}) the gateway restarts nothing: a PostgreSQL it
     * does not own is stopped and started again on the same port under a small load. Readiness
     * answers within a second throughout and says DOWN then UP, the gateway acknowledges again by
     * itself, and every acknowledged reading is stored.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anExternalDatabaseThatRestartsIsReconnectedAndNothingAcknowledgedIsLost() throws Exception {
        Path serverDir = dir.resolve("external");
        EmbeddedDatabase server = EmbeddedDatabase.start(serverDir, 0);
        int port = server.port();
        try (GatewayHarness harness = GatewayHarness.start(dir, server.config(8), Map.of())) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicBoolean sending = new AtomicBoolean(true);
            Thread load = startLoad(harness, acknowledged, sending);
            waitFor(() -> acknowledged.size() >= 20, Duration.ofSeconds(20));

            ReadinessProbe probe = new ReadinessProbe(http, harness);
            waitFor(() -> probe.said.contains("200 UP"), Duration.ofSeconds(10));

            server.close();
            waitFor(() -> probe.said.contains("503 DOWN"), Duration.ofSeconds(10));
            sleep(2_000);
            int whileDown = acknowledged.size();
            sleep(1_000);
            int stillDown = acknowledged.size();
            server = EmbeddedDatabase.start(serverDir, port);
            long restartedAt = System.nanoTime();
            waitFor(() -> ready(http, harness), Duration.ofSeconds(20));
            System.out.println("ready again " + (System.nanoTime() - restartedAt) / 1_000_000 + " ms after the external server was back");
            int atRestart = acknowledged.size();
            waitFor(() -> acknowledged.size() >= atRestart + 20, Duration.ofSeconds(20));
            probe.close();

            // Gone again, for good this time, and SIGTERM's path while devices still send.
            server.close();
            sleep(500);
            long stopping = System.nanoTime();
            harness.close();
            Duration stoppedIn = Duration.ofNanos(System.nanoTime() - stopping);
            sending.set(false);
            load.join(30_000);
            server = EmbeddedDatabase.start(serverDir, port);

            System.out.println("readiness said " + probe.said + ", slowest answer " + probe.slowestMillis.get()
                    + " ms; stop with the external database gone took " + stoppedIn.toMillis() + " ms");
            assertThat(stillDown).as("nothing acknowledged while the server was down").isEqualTo(whileDown);
            assertThat(storedValues(harness)).as("every acknowledged reading is stored").containsAll(acknowledged);
            assertThat(probe.said).as("readiness said UP, DOWN, then UP")
                    .containsSubsequence("200 UP", "503 DOWN", "200 UP").doesNotContain("no answer");
            // Within 1 s (issue 15), plus 0.5 s for this shared 2-core machine.
            assertThat(probe.slowestMillis.get()).as("slowest readiness answer, ms").isLessThan(1_500);
            assertThat(stoppedIn).as("stop with the database gone").isLessThan(STOP_ALLOWANCE);
        } finally {
            server.close();
        }
    }

    /**
     * Asks {@code /health/ready} every 100 ms until closed: what it said ("503 DOWN": the status
     * and the database's check), each change once, and its slowest answer.
     */
    private static final class ReadinessProbe implements AutoCloseable {
        final List<String> said = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong slowestMillis = new AtomicLong();
        private final AtomicBoolean probing = new AtomicBoolean(true);
        private final Thread thread;

        ReadinessProbe(HttpClient http, GatewayHarness harness) {
            thread = new Thread(() -> {
                while (probing.get()) {
                    long start = System.nanoTime();
                    String says;
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                URI.create(harness.httpBase() + "/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        says = r.statusCode() + " " + JSON.readTree(r.body()).path("checks").path("database").asText();
                    } catch (Exception e) {
                        says = "no answer";
                    }
                    slowestMillis.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
                    synchronized (said) {
                        if (said.isEmpty() || !said.get(said.size() - 1).equals(says)) {
                            said.add(says);
                        }
                    }
                    sleep(100);
                }
            }, "readiness-probe");
            thread.start();
        }

        boolean saidStatus(int status) {
            synchronized (said) {
                return said.stream().anyMatch(s -> s.startsWith(status + " "));
            }
        }

        @Override
        public void close() throws InterruptedException {
            probing.set(false);
            thread.join(30_000);
        }
    }

    /**
     * A small load until {@code sending} turns false: one device, one pack at a time, pack i
     * holding the value i at its own second; the i acknowledged with 204 go to {@code acknowledged}.
     */
    private static Thread startLoad(GatewayHarness harness, Set<Integer> acknowledged, AtomicBoolean sending) {
        long base = Instant.now().getEpochSecond() - 3600;
        Thread load = new Thread(() -> {
            for (int i = 0; sending.get(); i++) {
                try {
                    HttpResponse<String> r = harness.post("/api/v1/telemetry", "application/senml+json",
                            boilerPack(base + i, i, 0), DEVICE, SECRET);
                    if (r.statusCode() == 204) {
                        acknowledged.add(i);
                    }
                } catch (Exception e) {
                    // refused or cut while the database is away or the gateway stops: not acknowledged
                }
            }
        }, "load");
        load.start();
        return load;
    }

    private static Set<Integer> storedValues(GatewayHarness harness) throws Exception {
        Set<Integer> values = new HashSet<>();
        try (Connection c = harness.connect(); PreparedStatement s = c.prepareStatement(
                "SELECT r.value FROM readings r JOIN points p ON p.id = r.point_id WHERE p.key = ?")) {
            s.setString(1, SUPPLY);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    values.add((int) r.getDouble(1));
                }
            }
        }
        return values;
    }

    private static boolean ready(HttpClient http, GatewayHarness harness) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(harness.httpBase() + "/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static long readPid(Path pidFile) {
        try {
            return Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        } catch (Exception e) {
            return -1;
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + wait);
            }
            sleep(100);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
