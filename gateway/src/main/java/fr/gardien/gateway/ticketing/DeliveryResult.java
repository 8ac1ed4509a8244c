package fr.gardien.gateway.ticketing;

/**
 * What the ticketing system answered.
 *
 * @param ticketRef the ticket's reference in that system, or {@code null} when it gives none
 *     (a webhook, an e-mail)
 * @param ticketStatus the ticket's status as Gardien knows it: created, updated, closed
 * @param statusCode the protocol's status (HTTP status, SMTP reply code), for the audit
 */
public record DeliveryResult(String ticketRef, String ticketStatus, int statusCode) {
}
