package fr.gardien.storage.db;

import fr.gardien.rules.yaml.Durations;
import fr.gardien.rules.yaml.InvalidSetting;
import java.time.Duration;

/**
 * How long readings are kept and how the readings table is cut in time: the readings' part of
 * the {@code storage} section of the configuration, held as is by the gateway's. Validated in the
 * constructor; a refused value is reported under the name the configuration file gives it
 * ({@link #RETENTION} …).
 *
 * @param retention readings older than this are dropped, a whole partition (or chunk) at a time;
 *     1 hour to 36,500 days, and at least {@code partitionInterval}
 * @param partitionInterval the width of a native partition or of a TimescaleDB chunk (default 1
 *     day); whole seconds, 1 minute to 366 days. Native partitions are aligned on multiples of it
 *     since the Unix epoch, so a day is a UTC day.
 * @param partitionsAhead how many future partitions exist ahead of now, 0 to 366 (default 3)
 * @throws InvalidSetting when a value is out of its range
 */
public record RetentionConfig(Duration retention, Duration partitionInterval, int partitionsAhead) {

    public static final String RETENTION = "storage.retention";
    public static final String PARTITION_INTERVAL = "storage.partition-interval";
    public static final String PARTITIONS_AHEAD = "storage.partitions-ahead";

    public static final Duration MIN_RETENTION = Duration.ofHours(1);
    public static final Duration MAX_RETENTION = Duration.ofDays(36_500);
    public static final Duration MIN_PARTITION_INTERVAL = Duration.ofMinutes(1);
    public static final Duration MAX_PARTITION_INTERVAL = Duration.ofDays(366);
    public static final int MAX_PARTITIONS_AHEAD = 366;

    public static final Duration DEFAULT_PARTITION_INTERVAL = Duration.ofDays(1);
    public static final int DEFAULT_PARTITIONS_AHEAD = 3;

    public RetentionConfig {
        InvalidSetting.checkDuration(RETENTION, retention, MIN_RETENTION, MAX_RETENTION);
        InvalidSetting.checkDuration(PARTITION_INTERVAL, partitionInterval, MIN_PARTITION_INTERVAL, MAX_PARTITION_INTERVAL);
        if (partitionInterval.getNano() != 0) {
            throw new InvalidSetting(PARTITION_INTERVAL, "must be whole seconds, got " + Durations.format(partitionInterval));
        }
        InvalidSetting.checkInt(PARTITIONS_AHEAD, partitionsAhead, 0, MAX_PARTITIONS_AHEAD);
        // Retention drops whole partitions: a shorter retention than one partition would keep nothing.
        if (retention.compareTo(partitionInterval) < 0) {
            throw new InvalidSetting(RETENTION, "must be at least " + PARTITION_INTERVAL + " ("
                + Durations.format(partitionInterval) + "), got " + Durations.format(retention));
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
