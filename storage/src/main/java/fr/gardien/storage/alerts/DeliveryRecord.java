package fr.gardien.storage.alerts;

import java.time.Instant;

/**
 * One audited delivery try (table {@code deliveries}, issue 4).
 *
 * @param outboxId the outbox row tried, {@code null} for a digest's try
 * @param alertId its alert, {@code null} for a digest's try
 * @param digestId the digest tried, {@code null} for an outbox row's try
 * @param attempt the try's number for its outbox row or digest, from 1
 * @param outcome delivered, retry, dead, skipped or digested
 * @param statusCode the protocol's status when there was one, else {@code null}
 * @param error the failure or skip reason, safe text; {@code null} on success
 */
public record DeliveryRecord(long id, Long outboxId, Long alertId, Long digestId, String connector, int attempt, Instant at,
        String outcome, Integer statusCode, String error, String idempotencyKey) {
}
