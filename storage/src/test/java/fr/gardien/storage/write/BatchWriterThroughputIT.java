package fr.gardien.storage.write;

import static fr.gardien.storage.testing.Fixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.model.Reading;
import fr.gardien.storage.db.Database;
import fr.gardien.storage.testing.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A throughput figure for the README, logged, never asserted: timing on a shared 2-core machine is not a test. */
@Timeout(120)
class BatchWriterThroughputIT {

    private static final Logger log = LoggerFactory.getLogger(BatchWriterThroughputIT.class);
    private static final int TOTAL = Integer.getInteger("gardien.throughput.readings", 1_000_000);
    private static final int BATCH = 5000;

    /** A million readings offered in batches of 5000, pausing on back-pressure until drained, all end up committed. */
    @Test
    void aMillionReadingsAreAllCommittedUnderBackPressure() throws Exception {
        try (Database db = Fixtures.freshDatabase()) {
            Fixtures.CountingMetrics metrics = new Fixtures.CountingMetrics();
            Semaphore drained = new Semaphore(0);
            long startMicros = Fixtures.micros(Instant.now().minus(Duration.ofMinutes(30)));
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            int refusals = 0;
            long start;
            try (BatchWriter writer = new BatchWriter(db.dataSource(), db.partitions(), WriterConfig.DEFAULTS, metrics)) {
                writer.onDrain(drained::release);
                start = System.nanoTime();
                for (int offset = 0; offset < TOTAL; offset += BATCH) {
                    List<Reading> batch = new ArrayList<>(BATCH);
                    for (int i = offset; i < offset + BATCH; i++) {
                        // 1000 points, one reading each per second.
                        batch.add(Reading.numeric(i % 1000, startMicros + (i / 1000) * 1_000_000L, i * 0.5));
                    }
                    CompletableFuture<Void> f;
                    while ((f = writer.offer(WriteBatch.of(batch))) == null) {
                        refusals++;
                        drained.tryAcquire(5, TimeUnit.SECONDS);
                    }
                    futures.add(f);
                }
                CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            log.info("throughput: {} readings in {} s = {} readings/s [transactions: {}, refusals: {}, server: {}]",
                    TOTAL, String.format("%.2f", seconds), String.format("%.0f", TOTAL / seconds),
                    metrics.transactions.get(), refusals, db.description());
            assertThat(queryLong(db.dataSource(), "SELECT count(*) FROM readings")).isEqualTo(TOTAL);
            assertThat(metrics.readings.get()).isEqualTo(TOTAL);
        }
    }
}
