package fr.gardien.gateway.config;

import java.time.Duration;

/**
 * The batch writer between ingestion and the database.
 *
 * @param batchMaxRows the most rows in one batch, 1 to 1,000,000
 * @param batchMaxDelay how long a batch may wait to fill before it is written, 0 to 1 minute
 * @param queueCapacity the rows the writer queue holds before ingestion is pushed back,
 *     1 to 100,000,000 and at least {@code batchMaxRows}
 * @param threads the writer threads, 1 to 64
 * @throws IllegalArgumentException when a value is out of its range
 */
public record WriterConfig(int batchMaxRows, Duration batchMaxDelay, int queueCapacity, int threads) {
    public WriterConfig {
        ConfigKey.WRITER_BATCH_MAX_ROWS.checkInt(batchMaxRows);
        ConfigKey.WRITER_BATCH_MAX_DELAY.checkDuration(batchMaxDelay);
        ConfigKey.WRITER_QUEUE_CAPACITY.checkInt(queueCapacity);
        ConfigKey.WRITER_THREADS.checkInt(threads);
        // A queue smaller than one batch could never fill a batch: the writer would stall on its delay.
        if (queueCapacity < batchMaxRows) {
            throw new ConfigKey.Invalid(ConfigKey.WRITER_QUEUE_CAPACITY, "must be at least writer.batch-max-rows ("
                + batchMaxRows + "), got " + queueCapacity);
        }
    }
}
