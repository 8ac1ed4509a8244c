package fr.gardien.storage.alerts;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One digest ticket (table {@code ticket_digests}, issue 4): the alerts of a (route, site, local
 * day) beyond the route's daily budget, sent as one ticket when the site's day ends.
 *
 * @param budget the route's daily budget when the digest was opened
 * @param alerts how many alerts it groups
 * @param status pending, delivered or dead
 * @param attempts how many tries were started
 * @param nextAttemptAt when a pending digest is due; while a try is in flight, when its claim expires
 * @param ticketRef the reference the ticketing system gave it, {@code null} when none
 * @param lastError the latest failure, safe text; {@code null} when none
 * @param idempotencyKey {@code digest:<site>:<day>:<route>}, the same on every try
 */
public record DigestEntry(long id, String route, String site, LocalDate day, String connector, int budget, int alerts,
        String status, int attempts, Instant nextAttemptAt, Instant createdAt, Instant deliveredAt, String ticketRef,
        String lastError, String idempotencyKey) {
}
