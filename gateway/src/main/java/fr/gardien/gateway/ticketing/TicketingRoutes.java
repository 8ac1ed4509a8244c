package fr.gardien.gateway.ticketing;

import fr.gardien.gateway.access.BearerAuth;
import fr.gardien.gateway.registry.Roles;
import fr.gardien.gateway.web.RequestBodies;
import fr.gardien.gateway.web.Routes;
import io.vertx.ext.web.Router;
import java.util.Set;

/** Ticketing's routes: the signed callback of the ticketing system, and the admin's view of deliveries, outbox and digests. */
public record TicketingRoutes(BearerAuth auth, DeliveryApi deliveries, TicketCallbackHandler callback) implements Routes {

    @Override
    public void mount(Router router) {
        // No bearer token: the ticketing system signs the raw body instead (see TicketCallbackHandler).
        // A ticketing token, when sent, must be one (see BearerAuth#ticketingCallback).
        router.post("/api/v1/tickets/callback").handler(RequestBodies.small())
                .handler(auth.ticketingCallback()).handler(callback);
        Set<String> admin = Set.of(Roles.ADMIN);
        router.get("/api/v1/deliveries").handler(auth.roles(admin)).handler(deliveries::deliveries);
        router.get("/api/v1/outbox").handler(auth.roles(admin)).handler(deliveries::outbox);
        router.post("/api/v1/outbox/:id/retry").handler(auth.roles(admin)).handler(deliveries::retry);
        router.get("/api/v1/digests").handler(auth.roles(admin)).handler(deliveries::digests);
        router.get("/api/v1/digests/:id").handler(auth.roles(admin)).handler(deliveries::digest);
        router.post("/api/v1/digests/:id/retry").handler(auth.roles(admin)).handler(deliveries::retryDigest);
    }
}
