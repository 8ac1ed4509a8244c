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

    /**
     * Delivers a digest ticket: the alerts of a (route, site, day) beyond the route's daily
     * budget. By default it is created as one ticket from {@link OutboundDigest#asTicket()}, as a
     * first delivery with no ticket yet; a connector with a richer form (the webhook's list of
     * alerts, the mail's) overrides it. A digest is never updated afterwards.
     *
     * @return as {@link #deliver}
     */
    default Future<DeliveryResult> deliverDigest(OutboundDigest digest) {
        return deliver(digest.asTicket(), null);
    }

    /** Frees what the connector holds (HTTP clients, SMTP connections). */
    default Future<Void> close() {
        return Future.succeededFuture();
    }
}
