package fr.gardien.storage.write;

import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link BatchWriter} groups batches into transactions. Validated in the constructor.
 *
 * @param batchMaxRows a transaction takes queued batches until it holds this many rows (a
 *     single larger batch is written alone); default 5000
 * @param batchMaxDelay how long a writer waits for more batches after the first one was queued;
 *     default 10 ms
 * @param queueCapacityRows how many rows may wait or be in flight before {@code offer} refuses;
 *     default 200 000
 * @param threads how many writer threads (each holds one pooled connection while it writes);
 *     default 2
 */
public record WriterConfig(int batchMaxRows, Duration batchMaxDelay, int queueCapacityRows, int threads) {

    public static final WriterConfig DEFAULTS = new WriterConfig(5000, Duration.ofMillis(10), 200_000, 2);

    public WriterConfig {
        Objects.requireNonNull(batchMaxDelay, "batchMaxDelay");
        if (batchMaxRows < 1) {
            throw new IllegalArgumentException("batch max rows must be positive, was " + batchMaxRows);
        }
        if (batchMaxDelay.isNegative() || batchMaxDelay.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("batch max delay must be within 0..10s, was " + batchMaxDelay);
        }
        if (queueCapacityRows < batchMaxRows) {
            throw new IllegalArgumentException("queue capacity (" + queueCapacityRows
                    + " rows) must hold at least one full batch (" + batchMaxRows + " rows)");
        }
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("writer threads must be within 1..64, was " + threads);
        }
    }
}
