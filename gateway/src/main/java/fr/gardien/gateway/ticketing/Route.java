package fr.gardien.gateway.ticketing;

import java.util.Map;
import java.util.Set;

/**
 * One entry of {@code ticketing.routes}.
 *
 * @param match by field (site, equipment-type, category, severity, urgency), the accepted values;
 *     an alert matches when each listed field has one of its values (an empty map matches all)
 * @param connector where matching alerts go
 * @param categories the categories delivered; an alert of another category is skipped. Empty: all
 * @param quietHours when non-immediate deliveries wait; {@code null} for none
 * @param line where the route is written, for logs
 */
public record Route(Map<String, Set<String>> match, String connector, Set<String> categories, QuietHours quietHours,
        int line) {

    public static final Set<String> MATCH_FIELDS = Set.of("site", "equipment-type", "category", "severity", "urgency");

    public Route {
        match = Map.copyOf(match);
        categories = Set.copyOf(categories);
    }

    /** Whether an alert with these field values matches (a missing value matches no list). */
    public boolean matches(Map<String, String> fields) {
        for (Map.Entry<String, Set<String>> m : match.entrySet()) {
            String value = fields.get(m.getKey());
            if (value == null || !m.getValue().contains(value)) {
                return false;
            }
        }
        return true;
    }
}
