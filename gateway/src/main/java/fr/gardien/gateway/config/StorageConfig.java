package fr.gardien.gateway.config;

import fr.gardien.storage.db.RetentionConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * How readings are partitioned and kept, and how long rejected records are.
 *
 * @param readings retention and partitioning of the readings ({@code storage.retention},
 *     {@code storage.partition-interval}, {@code storage.partitions-ahead}): storage's own record
 * @param quarantineRetention how long rejected records are kept for the admins, 1 hour to 3,660
 *     days (they may hold the start of a raw payload: short by default)
 * @throws IllegalArgumentException when a value is out of its range
 */
public record StorageConfig(RetentionConfig readings, Duration quarantineRetention) {
    public StorageConfig {
        Objects.requireNonNull(readings, "readings");
        ConfigKey.STORAGE_QUARANTINE_RETENTION.checkDuration(quarantineRetention);
    }

    /** The section as the file writes it. */
    public StorageConfig(Duration retention, Duration partitionInterval, int partitionsAhead, Duration quarantineRetention) {
        this(new RetentionConfig(retention, partitionInterval, partitionsAhead), quarantineRetention);
    }

    /** How long readings are kept. */
    public Duration retention() {
        return readings.retention();
    }

    /** The time span of one partition (chunk). */
    public Duration partitionInterval() {
        return readings.partitionInterval();
    }

    /** The partitions created in advance. */
    public int partitionsAhead() {
        return readings.partitionsAhead();
    }
}
