package fr.gardien.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * A bounded QoS 1 load over MQTT 5 for the cluster tests: one thread per {@link Target}, each
 * publishing, at a steady pace and with a window of unacknowledged publishes, packs of one reading
 * of its point at a time no other publish of that point uses. It reconnects when the gateway
 * closes the connection, never resends, and records every acknowledgement: which reading (point
 * key and epoch second) a success PUBACK acknowledged, when it was sent and when it came back,
 * and how many PUBACKs said 0x97 (quota exceeded).
 */
final class QosLoad implements AutoCloseable {

    /** A device publishing one point's readings through one gateway. */
    record Target(String mqttUri, String device, String secret, String pointKey) {
    }

    /** A success PUBACK: the reading it acknowledged, when its publish left and when the PUBACK came. */
    record Ack(String reading, long sentNanos, long ackedNanos) {
    }

    private static final int WINDOW = 16;
    private static final AtomicInteger clients = new AtomicInteger();

    private final List<Target> targets;
    private final long baseEpochSecond;
    private final Duration period;
    private final List<Thread> threads = new ArrayList<>();
    private final List<MqttAsyncClient> open = new ArrayList<>();
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    private final AtomicLong quotaExceeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private volatile String lastConnectFailure = "none";
    private volatile boolean running;

    /**
     * @param baseEpochSecond the first reading's time; publish {@code i} of target {@code k} carries
     *     {@code base + i * targets + k}, so two targets of one point never share a time
     * @param period the pause between two publishes of one target
     */
    QosLoad(List<Target> targets, long baseEpochSecond, Duration period) {
        this.targets = List.copyOf(targets);
        this.baseEpochSecond = baseEpochSecond;
        this.period = period;
    }

    void start() {
        running = true;
        for (int k = 0; k < targets.size(); k++) {
            int index = k;
            Thread t = new Thread(() -> publish(index), "qos-load-" + k);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Stops publishing and waits (at most {@code timeout}) for the publishes in flight to be answered. */
    void stop(Duration timeout) throws InterruptedException {
        running = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
    }

    /** Readings a success PUBACK acknowledged, as {@code pointKey@epochSecond}. */
    Set<String> acked() {
        return Set.copyOf(acked);
    }

    List<Ack> acks() {
        return List.copyOf(acks);
    }

    long quotaExceeded() {
        return quotaExceeded.get();
    }

    long failed() {
        return failed.get();
    }

    /** The load's counters, for a failure message. */
    String describe() {
        return String.format("published %d, acknowledged %d, 0x97 %d, failed %d, connections %d, last connect failure: %s",
                published.get(), acked.size(), quotaExceeded.get(), failed.get(), connects.get(), lastConnectFailure);
    }

    static String reading(String pointKey, long epochSecond) {
        return pointKey + "@" + epochSecond;
    }

    private void publish(int k) {
        Target target = targets.get(k);
        Semaphore window = new Semaphore(WINDOW);
        MqttAsyncClient client = null;
        int slash = target.pointKey().lastIndexOf('/');
        String base = target.pointKey().substring(0, slash + 1);
        String name = target.pointKey().substring(slash + 1);
        for (long i = 0; running; ) {
            try {
                if (client == null || !client.isConnected()) {
                    // A lost connection: the device starts afresh (a new client, a new window),
                    // as Paho keeps counting what was in flight on the old one.
                    client = newClient(target, client);
                    window = new Semaphore(WINDOW);
                    connect(client, target);
                    continue;
                }
                Semaphore permits = window;
                if (!permits.tryAcquire(1, TimeUnit.SECONDS)) {
                    continue;
                }
                long t = baseEpochSecond + i * targets.size() + k;
                byte[] pack = ("[{\"bn\":\"" + base + "\",\"bt\":" + t + ",\"n\":\"" + name + "\",\"u\":\"Cel\",\"v\":"
                        + (40 + i % 30) + "}]").getBytes(StandardCharsets.UTF_8);
                long sent = System.nanoTime();
                String reading = reading(target.pointKey(), t);
                try {
                    client.publish("telemetry/" + target.device(), pack, 1, false, null, new MqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken token) {
                            int[] codes = token.getReasonCodes();
                            int code = codes == null || codes.length == 0 ? 0 : codes[0];
                            if (code < 0x80) {
                                acked.add(reading);
                                acks.add(new Ack(reading, sent, System.nanoTime()));
                            } else if (code == 0x97) {
                                quotaExceeded.incrementAndGet();
                            } else {
                                failed.incrementAndGet();
                            }
                            permits.release();
                        }

                        @Override
                        public void onFailure(IMqttToken token, Throwable cause) {
                            failed.incrementAndGet();
                            permits.release();
                        }
                    });
                    i++;
                    published.incrementAndGet();
                } catch (MqttException e) {
                    permits.release();
                    failed.incrementAndGet();
                }
                Thread.sleep(period.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        // Answers to what is in flight, for stop()'s caller: the window fills again once all came back.
        try {
            window.tryAcquire(WINDOW, 30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private MqttAsyncClient newClient(Target target, MqttAsyncClient old) {
        try {
            if (old != null) {
                old.close(true);
            }
            MqttAsyncClient client = new MqttAsyncClient(target.mqttUri(), "qos-load-" + clients.incrementAndGet(),
                    new MemoryPersistence());
            synchronized (open) {
                open.remove(old);
                open.add(client);
            }
            return client;
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
    }

    private void connect(MqttAsyncClient client, Target target) throws InterruptedException {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(target.device());
        options.setPassword(target.secret().getBytes(StandardCharsets.UTF_8));
        options.setConnectionTimeout(5);
        options.setCleanStart(true);
        try {
            client.connect(options).waitForCompletion(10_000);
            connects.incrementAndGet();
        } catch (MqttException e) {
            lastConnectFailure = e.toString();
            Thread.sleep(300);
        }
    }

    /** Readings stored more than once, with their count. */
    static Map<String, Long> duplicates(List<String> stored) {
        Map<String, Long> counts = new ConcurrentHashMap<>();
        stored.forEach(r -> counts.merge(r, 1L, Long::sum));
        counts.values().removeIf(n -> n < 2);
        return counts;
    }

    /** Every stored reading of these points, as {@code pointKey@epochSecond}, once per row. */
    static List<String> stored(Connection c, Set<String> pointKeys) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT p.key, extract(epoch FROM r.ts)::bigint FROM readings r"
                + " JOIN points p ON p.id = r.point_id WHERE p.key = ANY (?)")) {
            s.setArray(1, c.createArrayOf("text", pointKeys.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(reading(rs.getString(1), rs.getLong(2)));
                }
            }
        }
        return rows;
    }

    /** {@link #stored(Connection, Set)} as a set read through a gateway's database, empty when it cannot be read. */
    static Set<String> stored(GatewayHarness harness, Set<String> pointKeys) {
        try (Connection c = harness.connect()) {
            return Set.copyOf(stored(c, pointKeys));
        } catch (SQLException e) {
            return Set.of();
        }
    }

    /**
     * Waits (at most {@code timeout}) until every reading in {@code acked} is stored, then holds
     * that each is, and that no reading of these points is stored twice.
     */
    static void assertStoredExactlyOnce(GatewayHarness harness, Set<String> pointKeys, Set<String> acked, Duration timeout)
            throws InterruptedException, SQLException {
        await(timeout, () -> stored(harness, pointKeys).containsAll(acked), "every acknowledged reading stored");
        Thread.sleep(1_000); // a late duplicate would land now
        List<String> stored;
        try (Connection c = harness.connect()) {
            stored = stored(c, pointKeys);
        }
        assertThat(duplicates(stored)).as("readings stored twice").isEmpty();
        assertThat(Set.copyOf(stored)).containsAll(acked);
    }

    static void await(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        await(timeout, condition, what, () -> "");
    }

    /** As {@link #await(Duration, BooleanSupplier, String)}, the failure saying {@code state} too. */
    static void await(Duration timeout, BooleanSupplier condition, String what, java.util.function.Supplier<String> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what + " " + state.get());
            }
            Thread.sleep(200);
        }
    }

    @Override
    public void close() {
        running = false;
        synchronized (open) {
            for (MqttAsyncClient c : open) {
                try {
                    if (c.isConnected()) {
                        c.disconnect().waitForCompletion(2_000);
                    }
                    c.close();
                } catch (MqttException e) {
                    // Closing a test client: nothing left to check.
                }
            }
        }
    }
}
