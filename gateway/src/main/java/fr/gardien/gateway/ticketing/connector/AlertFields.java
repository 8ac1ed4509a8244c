package fr.gardien.gateway.ticketing.connector;

import fr.gardien.gateway.ticketing.OutboundAlert;
import fr.gardien.gateway.ticketing.OutboundDigest;
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

    /** The fields of an {@link OutboundDigest}, as its record's components; {@code alerts} holds alert fields. */
    static final List<String> DIGEST_NAMES = List.of("digestId", "idempotencyKey", "site", "siteName", "route", "day",
            "budget", "alertCount", "severity", "urgency", "summary", "firstSeen", "lastSeen", "dashboardUrl", "alerts");

    private AlertFields() {
    }

    /** A digest's fields in {@link #DIGEST_NAMES} order, after {@code "kind": "digest"}; its alerts as {@link #of(OutboundAlert)}. */
    static Map<String, Object> of(OutboundDigest d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "digest");
        m.put("digestId", d.digestId());
        m.put("idempotencyKey", d.idempotencyKey());
        m.put("site", d.site());
        m.put("siteName", d.siteName());
        m.put("route", d.route());
        m.put("day", d.day().toString());
        m.put("budget", d.budget());
        m.put("alertCount", d.alertCount());
        m.put("severity", d.severity());
        m.put("urgency", d.urgency());
        m.put("summary", d.summary());
        m.put("firstSeen", text(d.firstSeen()));
        m.put("lastSeen", text(d.lastSeen()));
        m.put("dashboardUrl", d.dashboardUrl());
        m.put("alerts", d.alerts().stream().map(AlertFields::of).toList());
        return m;
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
