package fr.gardien.gateway.ticketing.connector;

import fr.gardien.gateway.ticketing.OutboundAlert;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The allow-listed fields of an {@link OutboundAlert} by name, the only values a connector puts
 * in a request: the webhook's body and the REST templates' {@code ${field}} placeholders. Names
 * are the record's component names (camelCase, as in the API); instants are ISO-8601 text.
 * A test checks that {@link #NAMES} matches the record's components, so widening the record is
 * seen here too.
 */
final class AlertFields {

    static final List<String> NAMES = List.of("alertId", "transition", "idempotencyKey", "site", "siteName",
            "equipment", "equipmentType", "rule", "severity", "category", "urgency", "state", "summary",
            "firstSeen", "lastSeen", "occurrences", "dashboardUrl");

    private AlertFields() {
    }

    /** The fields in {@link #NAMES} order; a missing value is {@code null}. */
    static Map<String, Object> of(OutboundAlert a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alertId", a.alertId());
        m.put("transition", a.transition());
        m.put("idempotencyKey", a.idempotencyKey());
        m.put("site", a.site());
        m.put("siteName", a.siteName());
        m.put("equipment", a.equipment());
        m.put("equipmentType", a.equipmentType());
        m.put("rule", a.rule());
        m.put("severity", a.severity());
        m.put("category", a.category());
        m.put("urgency", a.urgency());
        m.put("state", a.state());
        m.put("summary", a.summary());
        m.put("firstSeen", text(a.firstSeen()));
        m.put("lastSeen", text(a.lastSeen()));
        m.put("occurrences", a.occurrences());
        m.put("dashboardUrl", a.dashboardUrl());
        return m;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
