package fr.gardien.gateway.ticketing;

import io.vertx.core.Future;

/**
 * A way out to the landlord's tools (webhook, templated REST ticketing API, e-mail). A connector
 * sees only {@link OutboundAlert}s, never an alert, a reading or a registry entry, and sends only
 * to the address its configuration names.
 */
public interface TicketConnector {

    /** The connector's configured name (routes refer to it). */
    String name();

    /**
     * Delivers one alert transition. Each try of the same delivery carries the same
     * {@link OutboundAlert#idempotencyKey()}.
     *
     * @param ticketRef the reference of the ticket this alert already has in this system, or
     *     {@code null} when none was created yet
     * @return completes with the ticket reference and status when the system accepted the
     *     delivery; fails with a {@link DeliveryException} saying whether a retry may succeed
     */
    Future<DeliveryResult> deliver(OutboundAlert alert, String ticketRef);

    /** Frees what the connector holds (HTTP clients, SMTP connections). */
    default Future<Void> close() {
        return Future.succeededFuture();
    }
}
