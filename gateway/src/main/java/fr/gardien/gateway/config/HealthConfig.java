package fr.gardien.gateway.config;

import java.time.Duration;

/**
 * Readiness thresholds.
 *
 * @param maxWriterLag readiness fails when the oldest queued batch is older than this, 1ms to 1 day
 * @throws IllegalArgumentException when the value is out of its range
 */
public record HealthConfig(Duration maxWriterLag) {
    public HealthConfig {
        ConfigKey.HEALTH_MAX_WRITER_LAG.checkDuration(maxWriterLag);
    }
}
