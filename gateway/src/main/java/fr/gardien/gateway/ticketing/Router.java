package fr.gardien.gateway.ticketing;

import fr.gardien.gateway.registry.Registry;
import fr.gardien.model.Equipment;
import fr.gardien.model.Site;
import fr.gardien.storage.alerts.Alert;
import fr.gardien.storage.alerts.OutboxStore.Budget;
import fr.gardien.storage.alerts.OutboxStore.Routing;
import fr.gardien.rules.Urgency;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chooses where an alert's delivery goes: the first route that matches (site, equipment type,
 * category, severity, urgency), else the default connector, else nowhere (skipped). The matching
 * route may skip it (category not enabled) or hold it until its quiet hours end. A later
 * transition of an alert already routed follows it to the same connector, where its ticket is,
 * even when the alert's severity or category changed since. The first delivery of an alert on a
 * route with a daily budget carries it: the store opens a ticket while the (route, site, local
 * day) budget lasts and groups the rest into the day's digest, due at the site's midnight (or
 * when the route's quiet hours end). Immediate alerts are counted but always get their own ticket.
 */
final class Router {

    private final List<Route> routes;
    private final String defaultConnector;
    private final Set<String> connectors;

    Router(List<Route> routes, String defaultConnector, Set<String> connectors) {
        this.routes = List.copyOf(routes);
        this.defaultConnector = defaultConnector;
        this.connectors = Set.copyOf(connectors);
    }

    /**
     * @param previousConnector the connector an earlier transition of this alert was routed to,
     *     or {@code null}
     */
    Routing route(Alert alert, String previousConnector, Registry registry, Instant now) {
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
        Route route = null;
        for (Route r : routes) {
            if (r.matches(fields)) {
                route = r;
                break;
            }
        }
        Instant notBefore = null;
        if (route != null && route.quietHours() != null && alert.urgency() != Urgency.IMMEDIATE) {
            notBefore = route.quietHours().endOf(now, zone(site));
        }
        if (previousConnector != null && connectors.contains(previousConnector)) {
            return Routing.to(previousConnector, notBefore);
        }
        if (route != null) {
            if (!route.categories().isEmpty() && !route.categories().contains(alert.category())) {
                return Routing.skip("category " + alert.category() + " is not enabled on the route of line " + route.line());
            }
            Routing routing = Routing.to(route.connector(), notBefore);
            if (route.dailyBudget() == null) {
                return routing;
            }
            // The alert's first delivery on this route opens its ticket: that is what the budget counts.
            ZoneId zone = zone(site);
            LocalDate day = now.atZone(zone).toLocalDate();
            Instant digestDue = day.plusDays(1).atStartOfDay(zone).toInstant();
            if (route.quietHours() != null) {
                Instant quietEnd = route.quietHours().endOf(digestDue, zone);
                digestDue = quietEnd == null ? digestDue : quietEnd;
            }
            return routing.withBudget(new Budget(route.name(), alert.site(), day, route.dailyBudget(),
                    alert.urgency() == Urgency.IMMEDIATE, digestDue));
        }
        if (defaultConnector != null) {
            return Routing.to(defaultConnector, null);
        }
        return Routing.skip("no route matches and there is no default connector");
    }

    private static ZoneId zone(Site site) {
        return site == null || site.timezone() == null ? ZoneOffset.UTC : site.timezone();
    }
}
