package fr.gardien.storage.alerts;

import java.time.Instant;

/**
 * One row of the transactional outbox (issue 4): the delivery of one alert transition.
 *
 * @param connector the connector the router chose; {@code null} until routed
 * @param status pending, delivered, dead, skipped, or digested (grouped into a digest ticket)
 * @param attempts how many tries were started (a try is counted when it is claimed)
 * @param nextAttemptAt when a pending row is due; while a try is in flight, when its claim expires
 * @param lastError the latest failure or the reason it was skipped, safe text; {@code null} when none
 */
public record OutboxEntry(long id, long alertId, long transitionId, String idempotencyKey, String connector, String status,
        int attempts, Instant nextAttemptAt, Instant createdAt, Instant deliveredAt, String lastError) {

    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String DEAD = "dead";
    public static final String SKIPPED = "skipped";
    public static final String DIGESTED = "digested";
}
