package fr.gardien.gateway.alerts;

import fr.gardien.gateway.access.BearerAuth;
import fr.gardien.gateway.registry.Roles;
import fr.gardien.gateway.web.RequestBodies;
import fr.gardien.gateway.web.Routes;
import io.vertx.ext.web.Router;
import java.util.Set;

/** The alerts' routes: list, detail, acknowledge, resolve, silences, the live stream and the Atom feed. */
public record AlertRoutes(BearerAuth auth, AlertApi alerts, AlertStream stream, AlertFeed feed) implements Routes {

    @Override
    public void mount(Router router) {
        Set<String> actors = Set.of(Roles.ADMIN, Roles.BUILDING_MANAGER);
        router.get("/api/v1/alerts").handler(auth.anyRole()).handler(alerts::list);
        // Before /alerts/:id, which would take "stream" for an id.
        router.get("/api/v1/alerts/stream").handler(auth.anyRole()).handler(stream);
        router.get("/api/v1/alerts/:id").handler(auth.anyRole()).handler(alerts::get);
        router.post("/api/v1/alerts/:id/ack").handler(auth.roles(actors)).handler(alerts::acknowledge);
        router.post("/api/v1/alerts/:id/resolve").handler(RequestBodies.small())
                .handler(auth.roles(actors)).handler(alerts::resolve);
        router.get("/api/v1/silences").handler(auth.anyRole()).handler(alerts::silences);
        router.post("/api/v1/silences").handler(RequestBodies.small())
                .handler(auth.roles(actors)).handler(alerts::createSilence);
        router.delete("/api/v1/silences/:id").handler(auth.roles(actors)).handler(alerts::deleteSilence);
        // Feed readers rarely send bearer headers: HTTP Basic with the token as password too.
        router.get("/api/v1/sites/:site/alerts.atom").handler(auth.peopleWithBasic()).handler(feed::handle);
    }
}
