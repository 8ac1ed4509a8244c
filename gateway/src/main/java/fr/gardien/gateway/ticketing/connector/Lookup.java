package fr.gardien.gateway.ticketing.connector;

import java.util.Map;
import java.util.Objects;

/**
 * A named value derived from one alert field by a table, for the codes a ticketing system wants
 * (GLPI's urgency 1–5, Redmine's priority_id): {@code ${name}} in a body template.
 *
 * <pre>
 * lookups:
 *   priority: {field: severity, values: {info: 1, warning: 2, major: 3, critical: 4}, default: 2}
 * </pre>
 *
 * @param field an {@link fr.gardien.gateway.ticketing.OutboundAlert} field name
 * @param values the value for each text of that field (text, number or boolean)
 * @param fallback the value when the field's text is not in {@code values}; may be {@code null}
 */
public record Lookup(String field, Map<String, Object> values, Object fallback) {
    public Lookup {
        Objects.requireNonNull(field, "field");
        values = Map.copyOf(values);
    }

    Object apply(Object fieldValue) {
        Object v = fieldValue == null ? null : values.get(fieldValue.toString());
        return v == null ? fallback : v;
    }
}
