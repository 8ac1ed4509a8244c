package fr.gardien.gateway.alerts;

import fr.gardien.storage.alerts.Alert;
import fr.gardien.storage.alerts.AlertEvent;
import fr.gardien.storage.alerts.AlertTransition;
import fr.gardien.storage.alerts.Silence;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** The JSON of alerts, transitions and silences in the HTTP API and on the SSE stream. */
final class AlertJson {

    private AlertJson() {
    }

    /** An alert with {@code summary} in the caller's language. */
    static JsonObject alert(Alert a, Language language) {
        return withSummary(alert(a), language);
    }

    /** An alert without {@code summary}: both languages, for the event bus. */
    static JsonObject alert(Alert a) {
        JsonObject figures = new JsonObject();
        a.explanation().figures().forEach(figures::put);
        JsonObject explanation = new JsonObject().put("from", text(a.explanation().from()))
                .put("to", text(a.explanation().to())).put("figures", figures);
        JsonObject ticket = a.ticket() == null ? null : new JsonObject().put("connector", a.ticket().connector())
                .put("ref", a.ticket().ref()).put("status", a.ticket().status());
        return new JsonObject()
                .put("id", a.id())
                .put("site", a.site())
                .put("equipment", a.equipment())
                .put("rule", a.ruleId())
                .put("severity", Alert.code(a.severity()))
                .put("category", a.category())
                .put("urgency", Alert.code(a.urgency()))
                .put("state", a.state().code())
                .put("summaryFr", a.explanation().summaryFr())
                .put("summaryEn", a.explanation().summaryEn())
                .put("explanation", explanation)
                .put("firstSeen", text(a.firstSeen()))
                .put("lastSeen", text(a.lastSeen()))
                .put("occurrences", a.occurrences())
                .put("flaps", a.flaps())
                .put("acknowledgedBy", a.acknowledgedBy())
                .put("acknowledgedAt", text(a.acknowledgedAt()))
                .put("resolvedBy", a.resolvedBy())
                .put("resolvedAt", text(a.resolvedAt()))
                .put("resolution", a.resolution() == null ? null : a.resolution().code())
                .put("resolutionNote", a.resolutionNote())
                .put("ticket", ticket);
    }

    /** A copy of a language-neutral alert (or event) with {@code summary} set. */
    static JsonObject withSummary(JsonObject alert, Language language) {
        JsonObject copy = alert.copy();
        copy.put("summary", language == Language.EN ? alert.getString("summaryEn") : alert.getString("summaryFr"));
        return copy;
    }

    static JsonObject transition(AlertTransition t) {
        return new JsonObject().put("id", t.id()).put("kind", t.kind().code()).put("at", text(t.at())).put("by", t.by())
                .put("detail", new JsonObject(t.detail()));
    }

    /** The SSE event, language-neutral: the alert plus {@code transition}. */
    static JsonObject event(AlertEvent e) {
        return alert(e.alert()).put("transition", transition(e.transition()));
    }

    static JsonObject silence(Silence s) {
        return new JsonObject().put("id", s.id()).put("site", s.site()).put("equipment", s.equipment())
                .put("rule", s.ruleId()).put("from", text(s.startsAt())).put("until", text(s.endsAt()))
                .put("createdBy", s.createdBy()).put("reason", s.reason()).put("createdAt", text(s.createdAt()));
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
