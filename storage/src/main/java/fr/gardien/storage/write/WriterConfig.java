package fr.gardien.storage.write;

import fr.gardien.rules.yaml.InvalidSetting;
import java.time.Duration;

/**
 * How the {@link BatchWriter} groups batches into transactions: the {@code writer} section of the
 * configuration, held as is by the gateway's. Validated in the constructor; a refused value is
 * reported under the name the configuration file gives it ({@link #BATCH_MAX_ROWS} …).
 *
 * @param batchMaxRows a transaction takes queued batches until it holds this many rows (a
 *     single larger batch is written alone), 1 to 1,000,000; default 5000
 * @param batchMaxDelay how long a writer waits for more batches after the first one was queued,
 *     0 to 1 minute; default 25 ms
 * @param batchGap how long a writer waits for the next batch before it writes what it holds,
 *     0 to 1 minute; default 2 ms: a steady flow fills the transaction for up to
 *     {@code batchMaxDelay} (larger transactions cost the database less per reading), while a
 *     lone pack, or a burst whose senders wait for their acknowledgements, is written as soon as
 *     it stops coming (a gap at least as long as the delay waits for the delay alone, as before)
 * @param queueCapacity how many rows may wait or be in flight before {@code offer} refuses,
 *     1 to 100,000,000 and at least {@code batchMaxRows}; default 200 000
 * @param threads how many writer threads (each holds one pooled connection while it writes),
 *     1 to 64; default 2
 * @throws InvalidSetting when a value is out of its range
 */
public record WriterConfig(int batchMaxRows, Duration batchMaxDelay, Duration batchGap, int queueCapacity, int threads) {

    public static final String BATCH_MAX_ROWS = "writer.batch-max-rows";
    public static final String BATCH_MAX_DELAY = "writer.batch-max-delay";
    public static final String BATCH_GAP = "writer.batch-gap";
    public static final String QUEUE_CAPACITY = "writer.queue-capacity";
    public static final String THREADS = "writer.threads";

    public static final int MAX_BATCH_ROWS = 1_000_000;
    public static final Duration MAX_BATCH_DELAY = Duration.ofMinutes(1);
    public static final int MAX_QUEUE_ROWS = 100_000_000;
    public static final int MAX_THREADS = 64;

    public static final Duration DEFAULT_BATCH_GAP = Duration.ofMillis(2);
    public static final WriterConfig DEFAULTS = new WriterConfig(5000, Duration.ofMillis(25), DEFAULT_BATCH_GAP, 200_000, 2);

    /** With the default gap. */
    public WriterConfig(int batchMaxRows, Duration batchMaxDelay, int queueCapacity, int threads) {
        this(batchMaxRows, batchMaxDelay, DEFAULT_BATCH_GAP, queueCapacity, threads);
    }

    public WriterConfig {
        InvalidSetting.checkInt(BATCH_MAX_ROWS, batchMaxRows, 1, MAX_BATCH_ROWS);
        InvalidSetting.checkDuration(BATCH_MAX_DELAY, batchMaxDelay, Duration.ZERO, MAX_BATCH_DELAY);
        InvalidSetting.checkDuration(BATCH_GAP, batchGap, Duration.ZERO, MAX_BATCH_DELAY);
        InvalidSetting.checkInt(QUEUE_CAPACITY, queueCapacity, 1, MAX_QUEUE_ROWS);
        InvalidSetting.checkInt(THREADS, threads, 1, MAX_THREADS);
        // A queue smaller than one batch could never fill a batch: the writer would stall on its delay.
        if (queueCapacity < batchMaxRows) {
            throw new InvalidSetting(QUEUE_CAPACITY, "must be at least " + BATCH_MAX_ROWS + " (" + batchMaxRows
                + "), got " + queueCapacity);
        }
    }
}
