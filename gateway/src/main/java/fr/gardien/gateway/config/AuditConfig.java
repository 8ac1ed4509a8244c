package fr.gardien.gateway.config;

import java.time.Duration;

/**
 * The audit log of data access (issue 5).
 *
 * @param retention how long entries are kept, 1 day to 3,660 days
 * @param queueCapacity entries waiting for their batched insert at most, 100 to 1,000,000; when
 *     full, authenticated API requests are answered 503 until it drains (see {@code AuditLog})
 * @throws IllegalArgumentException when a value is out of its range
 */
public record AuditConfig(Duration retention, int queueCapacity) {
    public AuditConfig {
        ConfigKey.AUDIT_RETENTION.checkDuration(retention);
        ConfigKey.AUDIT_QUEUE_CAPACITY.checkInt(queueCapacity);
    }
}
