package fr.gardien.storage.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.gardien.rules.Explanation;
import fr.gardien.rules.lifecycle.AlertFacts;
import fr.gardien.storage.db.StorageException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/** Rows of the alert tables to records and back, jsonb columns included. */
final class AlertRows {

    static final String ALERT_COLUMNS = "a.id, a.rule_id, a.site, a.equipment, a.severity, a.category, a.urgency,"
            + " a.state, a.summary_fr, a.summary_en, a.explanation, a.first_seen, a.last_seen, a.occurrences, a.flaps,"
            + " a.acknowledged_by, a.acknowledged_at, a.resolved_by, a.resolved_at, a.resolution, a.resolution_note,"
            + " a.ticket_connector, a.ticket_ref, a.ticket_status, a.updated_at, a.last_flap_at, a.cleared_at";
    static final String TRANSITION_COLUMNS = "t.id AS t_id, t.alert_id AS t_alert_id, t.kind AS t_kind, t.at AS t_at,"
            + " t.by AS t_by, t.detail AS t_detail";
    static final String SILENCE_COLUMNS = "id, site, equipment, rule_id, starts_at, ends_at, created_by, reason, created_at";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private AlertRows() {
    }

    static OffsetDateTime ts(Instant t) {
        return t == null ? null : OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    static Instant instant(ResultSet r, String column) throws SQLException {
        OffsetDateTime t = r.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** An alert row with the fields the lifecycle needs to decide, beyond the public record. */
    record Row(Alert alert, Instant lastFlapAt, Instant clearedAt) {

        /** What the alert lifecycle decides on. */
        AlertFacts facts() {
            return new AlertFacts(AlertFacts.State.valueOf(alert.state().name()), alert.occurrences(), alert.flaps(),
                    lastFlapAt, clearedAt, alert.resolution() == Alert.Resolution.AUTO, alert.resolvedAt(), alert.lastSeen());
        }
    }

    static Row row(ResultSet r) throws SQLException {
        return new Row(alert(r), instant(r, "last_flap_at"), instant(r, "cleared_at"));
    }

    static Alert alert(ResultSet r) throws SQLException {
        String connector = r.getString("ticket_connector");
        String ref = r.getString("ticket_ref");
        Alert.Ticket ticket = connector == null && ref == null ? null
                : new Alert.Ticket(connector, ref, r.getString("ticket_status"));
        return new Alert(r.getLong("id"), r.getString("rule_id"), r.getString("site"), r.getString("equipment"),
                Alert.severity(r.getString("severity")), r.getString("category"), Alert.urgency(r.getString("urgency")),
                Alert.State.of(r.getString("state")),
                explanation(r.getString("explanation"), r.getString("summary_fr"), r.getString("summary_en")),
                instant(r, "first_seen"), instant(r, "last_seen"), r.getInt("occurrences"), r.getInt("flaps"),
                r.getString("acknowledged_by"), instant(r, "acknowledged_at"), r.getString("resolved_by"),
                instant(r, "resolved_at"), Alert.Resolution.of(r.getString("resolution")), r.getString("resolution_note"),
                ticket, instant(r, "updated_at"));
    }

    static AlertTransition transition(ResultSet r) throws SQLException {
        return new AlertTransition(r.getLong("t_id"), r.getLong("t_alert_id"), AlertTransition.Kind.of(r.getString("t_kind")),
                instant(r, "t_at"), r.getString("t_by"), detail(r.getString("t_detail")));
    }

    static Silence silence(ResultSet r) throws SQLException {
        return new Silence(r.getLong("id"), r.getString("site"), r.getString("equipment"), r.getString("rule_id"),
                instant(r, "starts_at"), instant(r, "ends_at"), r.getString("created_by"), r.getString("reason"),
                instant(r, "created_at"));
    }

    /**
     * {@code {"from": ISO, "to": ISO, "figures": {...}}}. Figures that are not finite are left out:
     * JSON has no NaN or infinity, and such a figure explains nothing.
     */
    static String explanationJson(Explanation e) {
        ObjectNode node = JSON.createObjectNode();
        node.put("from", e.from() == null ? null : e.from().toString());
        node.put("to", e.to() == null ? null : e.to().toString());
        ObjectNode figures = node.putObject("figures");
        e.figures().entrySet().stream()
                .filter(f -> Double.isFinite(f.getValue()))
                .sorted(Map.Entry.comparingByKey())
                .forEach(f -> figures.put(f.getKey(), f.getValue()));
        return node.toString();
    }

    static Explanation explanation(String json, String summaryFr, String summaryEn) {
        try {
            JsonNode node = JSON.readTree(json);
            Map<String, Double> figures = new LinkedHashMap<>();
            node.path("figures").fields().forEachRemaining(f -> figures.put(f.getKey(), f.getValue().asDouble()));
            return new Explanation(instantOrNull(node.path("from")), instantOrNull(node.path("to")), figures, summaryFr,
                    summaryEn);
        } catch (JsonProcessingException e) {
            throw new StorageException("unreadable explanation in the alerts table", e);
        }
    }

    static String detailJson(Map<String, Object> detail) {
        try {
            return JSON.writeValueAsString(detail);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("transition detail is not serialisable: " + e.getOriginalMessage(), e);
        }
    }

    static Map<String, Object> detail(String json) {
        try {
            return JSON.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new StorageException("unreadable transition detail", e);
        }
    }

    private static Instant instantOrNull(JsonNode node) {
        return node.isTextual() ? Instant.parse(node.asText()) : null;
    }
}
