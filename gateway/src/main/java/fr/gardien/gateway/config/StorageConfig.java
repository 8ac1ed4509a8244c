package fr.gardien.gateway.config;

import java.time.Duration;

/**
 * How readings are partitioned and kept.
 *
 * @param retention how long readings are kept, 1 hour to 36,500 days, at least one partition
 * @param partitionInterval the time span of one partition (chunk), 1 minute to 366 days
 * @param partitionsAhead the partitions created in advance, 0 to 366
 * @param quarantineRetention how long rejected records are kept for the admins, 1 hour to 3,660
 *     days (they may hold the start of a raw payload: short by default)
 * @throws IllegalArgumentException when a value is out of its range
 */
public record StorageConfig(Duration retention, Duration partitionInterval, int partitionsAhead, Duration quarantineRetention) {
    public StorageConfig {
        ConfigKey.STORAGE_RETENTION.checkDuration(retention);
        ConfigKey.STORAGE_PARTITION_INTERVAL.checkDuration(partitionInterval);
        ConfigKey.STORAGE_PARTITIONS_AHEAD.checkInt(partitionsAhead);
        ConfigKey.STORAGE_QUARANTINE_RETENTION.checkDuration(quarantineRetention);
        // Retention drops whole partitions: a shorter retention than one partition would keep nothing.
        if (retention.compareTo(partitionInterval) < 0) {
            throw new ConfigKey.Invalid(ConfigKey.STORAGE_RETENTION, "must be at least storage.partition-interval ("
                + ConfigKey.format(partitionInterval) + "), got " + ConfigKey.format(retention));
        }
    }
}
