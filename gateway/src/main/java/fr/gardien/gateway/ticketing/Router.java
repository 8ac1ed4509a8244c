package fr.gardien.gateway.ticketing;

import fr.gardien.gateway.registry.Registry;
import fr.gardien.model.Equipment;
import fr.gardien.model.Site;
import fr.gardien.storage.Alert;
import fr.gardien.storage.OutboxStore.Routing;
import fr.gardien.rules.Urgency;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses where an alert's delivery goes: the first route that matches (site, equipment type,
 * category, severity, urgency), else the default connector, else nowhere (skipped). The matching
 * route may skip it (category not enabled) or hold it until its quiet hours end.
 */
final class Router {

    private final List<Route> routes;
    private final String defaultConnector;

    Router(List<Route> routes, String defaultConnector) {
        this.routes = List.copyOf(routes);
        this.defaultConnector = defaultConnector;
    }

    Routing route(Alert alert, Registry registry, Instant now) {
        Site site = registry == null ? null : registry.site(alert.site());
        Map<String, String> fields = new HashMap<>();
        fields.put("site", alert.site());
        fields.put("category", alert.category());
        fields.put("severity", Alert.code(alert.severity()));
        fields.put("urgency", Alert.code(alert.urgency()));
        if (site != null) {
            for (Equipment e : site.equipment()) {
                if (e.id().equals(alert.equipment())) {
                    fields.put("equipment-type", e.type());
                }
            }
        }
        for (Route route : routes) {
            if (!route.matches(fields)) {
                continue;
            }
            if (!route.categories().isEmpty() && !route.categories().contains(alert.category())) {
                return Routing.skip("category " + alert.category() + " is not enabled on the route of line " + route.line());
            }
            Instant notBefore = null;
            if (route.quietHours() != null && alert.urgency() != Urgency.IMMEDIATE) {
                ZoneId zone = site == null || site.timezone() == null ? ZoneOffset.UTC : site.timezone();
                notBefore = route.quietHours().endOf(now, zone);
            }
            return Routing.to(route.connector(), notBefore);
        }
        if (defaultConnector != null) {
            return Routing.to(defaultConnector, null);
        }
        return Routing.skip("no route matches and there is no default connector");
    }
}
