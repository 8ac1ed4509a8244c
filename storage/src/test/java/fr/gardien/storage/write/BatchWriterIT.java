package fr.gardien.storage.write;

import static fr.gardien.storage.testing.Fixtures.execute;
import static fr.gardien.storage.testing.Fixtures.queryLong;
import static fr.gardien.storage.testing.Fixtures.readings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.gardien.model.Reading;
import fr.gardien.storage.db.Database;
import fr.gardien.storage.db.StorageException;
import fr.gardien.storage.testing.Fixtures;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class BatchWriterIT {

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private Database db;
    private final Fixtures.CountingMetrics metrics = new Fixtures.CountingMetrics();
    private BatchWriter writer;

    @BeforeEach
    void open() {
        db = Fixtures.freshDatabase();
    }

    @AfterEach
    void close() {
        if (writer != null) {
            writer.close();
        }
        db.close();
    }

    private BatchWriter writer(WriterConfig config) {
        writer = new BatchWriter(db.dataSource(), db.partitions(), config, metrics);
        return writer;
    }

    private long rows() {
        return queryLong(db.dataSource(), "SELECT count(*) FROM readings");
    }

    /** When an offer's future completes, its readings are committed and visible to another connection. */
    @Test
    void rowsAreInTheTableWhenTheFutureCompletes() throws Exception {
        BatchWriter w = writer(WriterConfig.DEFAULTS);
        CompletableFuture<Void> done = w.offer(WriteBatch.of(readings(1, now, 100)));
        done.get(10, TimeUnit.SECONDS);
        assertThat(rows()).isEqualTo(100);
        assertThat(queryLong(db.dataSource(), "SELECT sum(value)::bigint FROM readings")).isEqualTo(99 * 100 / 2);
        assertThat(queryLong(db.dataSource(), "SELECT extract(epoch FROM min(ts))::bigint FROM readings"))
                .as("timestamps keep their instant").isEqualTo(now.getEpochSecond());
        assertThat(w.queuedRows()).isZero();
        assertThat(w.oldestQueuedAge()).isEqualTo(Duration.ZERO);
    }

    /** A string reading is stored with a NULL value and its text; a numeric one with a NULL text. */
    @Test
    void stringReadingsAreStoredWithANullValue() throws Exception {
        long t = Fixtures.micros(now);
        writer(WriterConfig.DEFAULTS).offer(WriteBatch.of(List.of(new Reading(3, t, Double.NaN, "E42"),
                Reading.numeric(3, t + 1, 1.0)))).get(10, TimeUnit.SECONDS);
        assertThat(queryLong(db.dataSource(), "SELECT count(*) FROM readings WHERE value IS NULL AND text = 'E42'"))
                .isEqualTo(1);
        assertThat(queryLong(db.dataSource(), "SELECT count(*) FROM readings WHERE value = 1 AND text IS NULL"))
                .isEqualTo(1);
    }

    /** Batches offered concurrently are grouped into fewer transactions, and every batch is committed once. */
    @Test
    void concurrentOffersAreGroupedIntoFewerTransactions() throws Exception {
        BatchWriter w = writer(new WriterConfig(5000, Duration.ofMillis(50), 200_000, 2));
        int producers = 8;
        int perProducer = 50;
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        List<CompletableFuture<Void>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        for (int p = 0; p < producers; p++) {
            int point = p;
            pool.submit(() -> {
                start.await();
                for (int i = 0; i < perProducer; i++) {
                    futures.add(w.offer(WriteBatch.of(readings(point, now.plusSeconds(i * 10L), 10))));
                }
                return null;
            });
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(futures).hasSize(producers * perProducer).doesNotContainNull();
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(rows()).isEqualTo(producers * perProducer * 10L);
        assertThat(metrics.batches.get()).isEqualTo(producers * perProducer);
        assertThat(metrics.readings.get()).isEqualTo(producers * perProducer * 10L);
        assertThat(metrics.transactions.get()).as("transactions for %d batches", producers * perProducer)
                .isLessThan(producers * perProducer / 4);
    }

    /**
     * A lone batch is written once nothing followed it for the gap, not after the whole delay: the
     * delay fills transactions under a steady flow, and a quiet site's pack is not held for it.
     */
    @Test
    void aLoneBatchIsWrittenAfterTheGapNotTheDelay() throws Exception {
        BatchWriter w = writer(new WriterConfig(5000, Duration.ofSeconds(30), Duration.ofMillis(5), 200_000, 1));
        w.offer(WriteBatch.of(readings(1, now, 10))).get(10, TimeUnit.SECONDS);
        assertThat(rows()).isEqualTo(10);
        assertThat(metrics.transactions.get()).isEqualTo(1);
    }

    /** Batches that keep coming within the gap share a transaction, up to the delay. */
    @Test
    void batchesComingWithinTheGapShareATransaction() throws Exception {
        BatchWriter w = writer(new WriterConfig(5000, Duration.ofSeconds(20), Duration.ofSeconds(2), 200_000, 1));
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(w.offer(WriteBatch.of(readings(1, now.plusSeconds(i * 10L), 10))));
            Thread.sleep(5);
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertThat(rows()).isEqualTo(200);
        assertThat(metrics.transactions.get()).as("20 batches 5 ms apart with a 2 s gap").isEqualTo(1);
    }

    /** A full queue refuses offers with null (back-pressure), and the drain listener fires once the writer caught up. */
    @Test
    void offerReturnsNullWhenTheQueueIsFullAndTheDrainListenerFiresAfter() throws Exception {
        BatchWriter w = writer(new WriterConfig(10, Duration.ZERO, 100, 1));
        CountDownLatch drained = new CountDownLatch(1);
        w.onDrain(drained::countDown);
        List<CompletableFuture<Void>> accepted = new ArrayList<>();
        try (Connection blocker = db.dataSource().getConnection(); Statement s = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            s.execute("LOCK TABLE readings IN ACCESS EXCLUSIVE MODE");
            CompletableFuture<Void> refused = null;
            for (int i = 0; i < 20 && refused == null; i++) {
                CompletableFuture<Void> f = w.offer(WriteBatch.of(readings(1, now.plusSeconds(i * 10L), 10)));
                if (f == null) {
                    refused = CompletableFuture.completedFuture(null);
                } else {
                    accepted.add(f);
                }
            }
            assertThat(refused).as("an offer was refused").isNotNull();
            assertThat(accepted).hasSize(10);
            assertThat(w.queuedRows()).isEqualTo(100);
            assertThat(w.offer(WriteBatch.of(readings(1, now, 1)))).as("still full").isNull();
            Thread.sleep(100);
            assertThat(w.oldestQueuedAge()).isGreaterThan(Duration.ofMillis(50));
            assertThat(drained.getCount()).as("no drain while blocked").isEqualTo(1);
            blocker.rollback();
        }
        assertThat(drained.await(10, TimeUnit.SECONDS)).as("drain listener fired").isTrue();
        CompletableFuture.allOf(accepted.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(rows()).isEqualTo(100);
        assertThat(w.offer(WriteBatch.of(readings(1, now, 1)))).as("accepting again").isNotNull();
    }

    /** A transaction that fails fails exactly its batches' futures; the writer keeps running and later batches commit. */
    @Test
    void aFailedTransactionFailsItsFuturesAndTheWriterRecovers() throws Exception {
        BatchWriter w = writer(new WriterConfig(5000, Duration.ofMillis(20), 200_000, 2));
        w.offer(WriteBatch.of(readings(1, now, 5))).get(10, TimeUnit.SECONDS);

        execute(db.dataSource(), "ALTER TABLE readings RENAME TO readings_away");
        List<CompletableFuture<Void>> doomed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            doomed.add(w.offer(WriteBatch.of(readings(2, now.plusSeconds(i), 3))));
        }
        for (CompletableFuture<Void> f : doomed) {
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(StorageException.class);
        }
        assertThat(metrics.failures.get()).isPositive();
        assertThat(metrics.failedBatches.get()).isEqualTo(5);
        assertThat(w.queuedRows()).as("failed rows are released").isZero();

        execute(db.dataSource(), "ALTER TABLE readings_away RENAME TO readings");
        w.offer(WriteBatch.of(readings(3, now, 7))).get(10, TimeUnit.SECONDS);
        assertThat(queryLong(db.dataSource(), "SELECT count(*) FROM readings WHERE point_id = 2"))
                .as("nothing of the failed transactions").isZero();
        assertThat(rows()).isEqualTo(12);
    }

    /** close() writes every batch it had accepted before returning; offers after it fail. */
    @Test
    void closeFlushesAcceptedBatches() throws Exception {
        BatchWriter w = writer(new WriterConfig(50, Duration.ofMillis(200), 10_000, 2));
        List<CompletableFuture<Void>> accepted = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            accepted.add(w.offer(WriteBatch.of(readings(i, now, 10))));
        }
        w.close();
        for (CompletableFuture<Void> f : accepted) {
            assertThat(f).isCompleted();
            f.get(0, TimeUnit.SECONDS);
        }
        assertThat(rows()).isEqualTo(400);
        CompletableFuture<Void> late = w.offer(WriteBatch.of(readings(1, now, 1)));
        assertThat(late).isNotNull().isCompletedExceptionally();
        assertThatThrownBy(late::get).hasCauseInstanceOf(IllegalStateException.class);
    }

    /** Quarantined records are committed in the same transaction as the readings: both or neither. */
    @Test
    void quarantinedRecordsAreCommittedWithTheReadings() throws Exception {
        BatchWriter w = writer(WriterConfig.DEFAULTS);
        QuarantineRecord rejected = new QuarantineRecord(now, "mqtt", "gw-1", "unknown_point", "a/b/c",
                "{\"n\":\"c\",\"v\":1}\0");
        w.offer(new WriteBatch(readings(1, now, 3), List.of(rejected, rejected))).get(10, TimeUnit.SECONDS);
        assertThat(rows()).isEqualTo(3);
        assertThat(queryLong(db.dataSource(), "SELECT count(*) FROM quarantine WHERE device_id = 'gw-1'"
                + " AND reason = 'unknown_point' AND point_key = 'a/b/c'")).isEqualTo(2);

        execute(db.dataSource(), "ALTER TABLE quarantine RENAME TO quarantine_away");
        CompletableFuture<Void> failing = w.offer(new WriteBatch(readings(9, now, 3), List.of(rejected)));
        assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(StorageException.class);
        assertThat(queryLong(db.dataSource(), "SELECT count(*) FROM readings WHERE point_id = 9"))
                .as("the readings were rolled back with the quarantine insert").isZero();
    }

    /** A batch larger than the whole queue is refused with a failed future, not a null that would never clear. */
    @Test
    void aBatchLargerThanTheQueueFails() {
        BatchWriter w = writer(new WriterConfig(10, Duration.ZERO, 20, 1));
        CompletableFuture<Void> f = w.offer(WriteBatch.of(readings(1, now, 21)));
        assertThat(f).isNotNull().isCompletedExceptionally();
    }
}
