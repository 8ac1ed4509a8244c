package fr.gardien.storage.db;

import java.time.Duration;
import java.util.Objects;

/**
 * How long readings are kept and how the readings table is cut in time. Validated in the
 * constructor.
 *
 * @param retention readings older than this are dropped, a whole partition (or chunk) at a time
 * @param partitionInterval the width of a native partition or of a TimescaleDB chunk (default 1
 *     day); whole seconds, at least one minute. Native partitions are aligned on multiples of it
 *     since the Unix epoch, so a day is a UTC day.
 * @param partitionsAhead how many future partitions exist ahead of now (default 3)
 */
public record RetentionConfig(Duration retention, Duration partitionInterval, int partitionsAhead) {

    public static final Duration DEFAULT_PARTITION_INTERVAL = Duration.ofDays(1);
    public static final int DEFAULT_PARTITIONS_AHEAD = 3;

    public RetentionConfig {
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(partitionInterval, "partitionInterval");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive, was " + retention);
        }
        if (partitionInterval.compareTo(Duration.ofMinutes(1)) < 0 || partitionInterval.getNano() != 0) {
            throw new IllegalArgumentException("partition interval must be whole seconds and at least 1 minute, was "
                    + partitionInterval);
        }
        if (partitionInterval.compareTo(Duration.ofDays(366)) > 0) {
            throw new IllegalArgumentException("partition interval must be at most 366 days, was " + partitionInterval);
        }
        if (partitionsAhead < 0 || partitionsAhead > 1000) {
            throw new IllegalArgumentException("partitions ahead must be within 0..1000, was " + partitionsAhead);
        }
    }

    /** A retention with the default partition interval (1 day) and partitions ahead (3). */
    public static RetentionConfig of(Duration retention) {
        return new RetentionConfig(retention, DEFAULT_PARTITION_INTERVAL, DEFAULT_PARTITIONS_AHEAD);
    }

    long partitionIntervalMicros() {
        return partitionInterval.toSeconds() * 1_000_000L;
    }
}
