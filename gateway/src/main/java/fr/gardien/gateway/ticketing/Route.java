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
 * @param name the route's name, which keys its daily budget; {@code null} for none (its position then)
 * @param dailyBudget tickets opened per site and local day before the alerts beyond are grouped
 *     into one digest ticket; {@code null} for no budget
 */
public record Route(Map<String, Set<String>> match, String connector, Set<String> categories, QuietHours quietHours,
        int line, String name, Integer dailyBudget) {

    public static final Set<String> MATCH_FIELDS = Set.of("site", "equipment-type", "category", "severity", "urgency");

    public Route {
        match = Map.copyOf(match);
        categories = Set.copyOf(categories);
        if (dailyBudget != null && dailyBudget < 0) {
            throw new IllegalArgumentException("a daily budget is 0 or more tickets");
        }
    }

    /** A route without name or budget. */
    public Route(Map<String, Set<String>> match, String connector, Set<String> categories, QuietHours quietHours, int line) {
        this(match, connector, categories, quietHours, line, null, null);
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
