package fr.gardien.storage;

import java.time.Instant;

/**
 * One audited delivery try (table {@code deliveries}, issue 4).
 *
 * @param attempt the try's number for its outbox row, from 1
 * @param outcome delivered, retry, dead or skipped
 * @param statusCode the protocol's status when there was one, else {@code null}
 * @param error the failure or skip reason, safe text; {@code null} on success
 */
public record DeliveryRecord(long id, long outboxId, long alertId, String connector, int attempt, Instant at,
        String outcome, Integer statusCode, String error, String idempotencyKey) {
}
