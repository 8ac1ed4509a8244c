package fr.gardien.storage.db;

import static fr.gardien.storage.testing.Fixtures.execute;
import static fr.gardien.storage.testing.Fixtures.micros;
import static fr.gardien.storage.testing.Fixtures.queryLong;
import static fr.gardien.storage.testing.Fixtures.readings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import fr.gardien.storage.db.PartitionManager.Partition;
import fr.gardien.storage.testing.TestPostgres;
import fr.gardien.storage.write.BatchWriter;
import fr.gardien.storage.write.WriteBatch;
import fr.gardien.storage.write.WriterConfig;
import fr.gardien.storage.write.WriterMetrics;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PartitionManagerIT {

    private static final long DAY = Duration.ofDays(1).toSeconds() * 1_000_000L;
    private Database db;

    private Database open(RetentionConfig retention) {
        db = Database.open(TestPostgres.shared().newDatabase(), retention);
        assumeFalse(db.timescale(), "native partitions only; TimescaleIT covers hypertables");
        return db;
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    private List<Instant> starts() {
        return db.partitions().list().stream().map(p -> PartitionManager.instant(p.fromMicros())).toList();
    }

    /** maintain() creates the partition of now and partitionsAhead more, each one interval wide, and only once. */
    @Test
    void nativePartitionsAreCreatedAhead() {
        open(new RetentionConfig(Duration.ofDays(30), Duration.ofDays(1), 3));
        Instant now = Instant.parse("2031-01-10T12:34:56Z");
        PartitionMaintenance first = db.partitions().maintain(now);
        assertThat(first.created()).isEqualTo(4);
        assertThat(starts()).contains(Instant.parse("2031-01-10T00:00:00Z"), Instant.parse("2031-01-11T00:00:00Z"),
                Instant.parse("2031-01-12T00:00:00Z"), Instant.parse("2031-01-13T00:00:00Z"))
                .doesNotContain(Instant.parse("2031-01-14T00:00:00Z"), Instant.parse("2031-01-09T00:00:00Z"));
        assertThat(db.partitions().list()).allSatisfy(p -> assertThat(p.toMicros() - p.fromMicros()).isEqualTo(DAY));
        assertThat(db.partitions().maintain(now)).isEqualTo(new PartitionMaintenance(0, 0));
        assertThat(db.partitions().maintain(now.plus(Duration.ofDays(1))).created()).isEqualTo(1);
    }

    /** A partition width other than a day is honoured, aligned on multiples of it. */
    @Test
    void partitionsFollowTheConfiguredInterval() {
        open(new RetentionConfig(Duration.ofDays(2), Duration.ofHours(6), 2));
        db.partitions().maintain(Instant.parse("2031-05-01T13:00:00Z"));
        assertThat(starts()).contains(Instant.parse("2031-05-01T12:00:00Z"), Instant.parse("2031-05-01T18:00:00Z"),
                Instant.parse("2031-05-02T00:00:00Z"));
    }

    /** Readings from long ago are written: the writer has their partition created first. */
    @Test
    void backfilledHistoryGetsItsPartitionOnDemand() throws Exception {
        open(RetentionConfig.of(Duration.ofDays(365)));
        Instant old = Instant.now().minus(Duration.ofDays(200)).truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(23));
        try (BatchWriter writer = new BatchWriter(db.dataSource(), db.partitions(), WriterConfig.DEFAULTS,
                WriterMetrics.NOOP)) {
            // 7200 s from 23:00: spans two days, so two partitions.
            writer.offer(WriteBatch.of(readings(1, old, 7200))).get(20, TimeUnit.SECONDS);
        }
        assertThat(queryLong(db.dataSource(), "SELECT count(*) FROM readings")).isEqualTo(7200);
        assertThat(starts()).contains(old.truncatedTo(ChronoUnit.DAYS), old.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1)));
    }

    /** Partitions entirely older than the retention are dropped with their readings; a partition straddling the cutoff is kept. */
    @Test
    void expiredPartitionsAreDropped() throws Exception {
        open(RetentionConfig.of(Duration.ofDays(30)));
        Instant now = Instant.now();
        Instant expired = now.minus(Duration.ofDays(45));
        Instant straddling = now.minus(Duration.ofDays(30));
        try (BatchWriter writer = new BatchWriter(db.dataSource(), db.partitions(), WriterConfig.DEFAULTS,
                WriterMetrics.NOOP)) {
            writer.offer(WriteBatch.of(readings(1, expired, 10))).get(20, TimeUnit.SECONDS);
            writer.offer(WriteBatch.of(List.of(fr.gardien.model.Reading.numeric(2,
                    micros(straddling.truncatedTo(ChronoUnit.DAYS)), 1)))).get(20, TimeUnit.SECONDS);
        }
        PartitionMaintenance done = db.partitions().maintain(now);
        assertThat(done.dropped()).isEqualTo(1);
        assertThat(starts()).doesNotContain(expired.truncatedTo(ChronoUnit.DAYS))
                .contains(straddling.truncatedTo(ChronoUnit.DAYS), now.truncatedTo(ChronoUnit.DAYS));
        assertThat(queryLong(db.dataSource(), "SELECT count(*) FROM readings WHERE point_id = 1")).isZero();
        assertThat(queryLong(db.dataSource(), "SELECT count(*) FROM readings WHERE point_id = 2")).isEqualTo(1);

        // The dropped interval is forgotten by the cache: writing there again recreates it.
        db.partitions().ensureCovered(micros(expired), micros(expired));
        assertThat(starts()).contains(expired.truncatedTo(ChronoUnit.DAYS));
    }

    /**
     * A partition created (for backfilled history) while a long query holds the readings table
     * does not make the writers of the current partition wait: it is attached, which takes no lock
     * their COPY conflicts with. CREATE TABLE ... PARTITION OF took an ACCESS EXCLUSIVE lock, that
     * waited for the query, and every writer queued behind it (issue 11).
     */
    @Test
    void creatingAPartitionUnderALongQueryLetsWritersCommit() throws Exception {
        open(RetentionConfig.of(Duration.ofDays(365)));
        Instant now = Instant.now();
        Instant old = now.minus(Duration.ofDays(100));
        try (Connection reader = db.dataSource().getConnection();
                BatchWriter writer = new BatchWriter(db.dataSource(), db.partitions(), WriterConfig.DEFAULTS,
                        WriterMetrics.NOOP)) {
            reader.setAutoCommit(false);
            try (var s = reader.createStatement()) {
                s.executeQuery("SELECT count(*) FROM readings").close(); // holds ACCESS SHARE until rollback
            }
            CompletableFuture<Void> backfill = CompletableFuture.runAsync(() -> db.partitions().ensureCovered(micros(old), micros(old)));
            Thread.sleep(300);
            long start = System.nanoTime();
            writer.offer(WriteBatch.of(readings(3, now, 10))).get(5, TimeUnit.SECONDS);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3000);
            backfill.get(5, TimeUnit.SECONDS);
            reader.rollback();
        }
        assertThat(starts()).contains(old.truncatedTo(ChronoUnit.DAYS));
        assertThat(queryLong(db.dataSource(), "SELECT count(*) FROM readings WHERE point_id = 3")).isEqualTo(10);
    }

    /** Concurrent ensureCovered calls on overlapping ranges create each partition exactly once; repeating them costs no database round trip. */
    @Test
    void ensureCoveredIsIdempotentAndConcurrentSafe() throws Exception {
        open(RetentionConfig.of(Duration.ofDays(3650)));
        AtomicInteger connections = new AtomicInteger();
        DataSource counting = counting(db.dataSource(), connections);
        PartitionManager a = new PartitionManager(counting, RetentionConfig.of(Duration.ofDays(3650)), false);
        // A second manager stands for a second gateway on the same database.
        PartitionManager b = new PartitionManager(counting, RetentionConfig.of(Duration.ofDays(3650)), false);
        long base = micros(Instant.parse("2032-03-01T00:00:00Z"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> calls = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            PartitionManager m = t % 2 == 0 ? a : b;
            long from = base + (t % 4) * 2 * DAY;
            calls.add(pool.submit(() -> {
                go.await();
                m.ensureCovered(from, from + 9 * DAY);
                return null;
            }));
        }
        go.countDown();
        for (Future<?> call : calls) {
            call.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        List<Partition> in2032 = db.partitions().list().stream()
                .filter(p -> p.fromMicros() >= base && p.fromMicros() < base + 20 * DAY).toList();
        assertThat(in2032).hasSize(16);
        for (int i = 0; i < in2032.size(); i++) {
            assertThat(in2032.get(i).fromMicros()).isEqualTo(base + i * DAY);
        }

        // Days 14 and 15 were created by the other manager: one catalog look, nothing created.
        int before = connections.get();
        a.ensureCovered(base, base + 15 * DAY);
        assertThat(connections.get()).isEqualTo(before + 1);
        before = connections.get();
        for (int i = 0; i < 1000; i++) {
            a.ensureCovered(base + (i % 7) * DAY, base + (i % 7 + 9) * DAY);
        }
        assertThat(connections.get()).as("cached: no connection taken").isEqualTo(before);
        assertThat(db.partitions().list().stream()
                .filter(p -> p.fromMicros() >= base && p.fromMicros() < base + 20 * DAY)).hasSize(16);
    }

    /**
     * A writer told that an interval is covered goes straight to its COPY, so the interval is
     * marked covered only once its partition's creation has committed: a second writer asking
     * while the first one's creation commits waits for it, and its row finds the partition.
     */
    @Test
    void anIntervalIsCoveredOnlyOnceItsPartitionIsCommitted() throws Exception {
        open(RetentionConfig.of(Duration.ofDays(365)));
        CountDownLatch committing = new CountDownLatch(1);
        PartitionManager slow = new PartitionManager(slowCommits(db.dataSource(), committing),
                RetentionConfig.of(Duration.ofDays(365)), false);
        Instant old = Instant.now().minus(Duration.ofDays(100)).truncatedTo(ChronoUnit.SECONDS);
        CompletableFuture<Void> creating = CompletableFuture.runAsync(() -> slow.ensureCovered(micros(old), micros(old)));
        assertThat(committing.await(20, TimeUnit.SECONDS)).isTrue();
        slow.ensureCovered(micros(old), micros(old));
        execute(db.dataSource(), "INSERT INTO readings (point_id, ts, value) VALUES (1, '" + old + "', 1)");
        creating.get(20, TimeUnit.SECONDS);
        assertThat(queryLong(db.dataSource(), "SELECT count(*) FROM readings WHERE point_id = 1")).isEqualTo(1);
    }

    /** A range wider than a thousand partitions is a wrong timestamp and is refused, creating nothing. */
    @Test
    void absurdRangesAreRefused() {
        open(RetentionConfig.of(Duration.ofDays(30)));
        int before = db.partitions().list().size();
        assertThatThrownBy(() -> db.partitions().ensureCovered(0, micros(Instant.now())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> db.partitions().ensureCovered(2, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(db.partitions().list()).hasSize(before);
    }

    private static DataSource counting(DataSource delegate, AtomicInteger connections) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        connections.incrementAndGet();
                    }
                    return invoke(delegate, method, args);
                });
    }

    /** Connections whose commit() first opens the latch, then waits 500 ms, then commits. */
    private static DataSource slowCommits(DataSource delegate, CountDownLatch committing) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(delegate, method, args);
                    if (!(result instanceof Connection c)) {
                        return result;
                    }
                    return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                            (p, m, a) -> {
                                if (m.getName().equals("commit")) {
                                    committing.countDown();
                                    Thread.sleep(500);
                                }
                                return invoke(c, m, a);
                            });
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
