package fr.gardien.storage.alerts;

import static fr.gardien.storage.alerts.AlertRows.ALERT_COLUMNS;
import static fr.gardien.storage.alerts.AlertRows.ts;

import fr.gardien.rules.Explanation;
import fr.gardien.rules.RuleSignal;
import fr.gardien.rules.lifecycle.AlertLifecycle;
import fr.gardien.rules.lifecycle.Decision;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The alert store's writes, one per step of the lifecycle, each on the caller's connection and
 * transaction: an alert row changed and returned, and the transition appended with its outbox row.
 */
final class AlertWrites {

    /**
     * Transaction-scoped advisory lock taken just before a transition id is drawn, so that ids
     * commit in increasing order: an SSE client resuming after id N cannot miss an id below a
     * later one. Alert transitions are few; readings never take it.
     */
    private static final long TRANSITION_ORDER_LOCK = 0x6761_7264_6965_6eL;

    private AlertWrites() {
    }

    static Alert open(Connection c, RuleSignal s) throws SQLException {
        Explanation e = s.explanation();
        return updateOne(c, "INSERT INTO alerts AS a (rule_id, site, equipment, severity, category, urgency, state,"
                        + " summary_fr, summary_en, explanation, first_seen, last_seen)"
                        + " VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?::jsonb, ?, ?) RETURNING " + ALERT_COLUMNS,
                s.ruleId(), s.site(), s.equipment(), Alert.code(s.severity()), s.category(), Alert.code(s.urgency()),
                e.summaryFr(), e.summaryEn(), AlertRows.explanationJson(e), ts(s.at()), ts(s.at()));
    }

    /** @param flap the alert was kept open after a clear: this raise is another flap */
    static Alert retrigger(Connection c, long id, RuleSignal s, boolean flap) throws SQLException {
        Explanation e = s.explanation();
        return updateOne(c, "UPDATE alerts a SET occurrences = occurrences + 1, last_seen = greatest(last_seen, ?),"
                        + " severity = ?, category = ?, urgency = ?, summary_fr = ?, summary_en = ?, explanation = ?::jsonb,"
                        + " flaps = flaps + ?, last_flap_at = CASE WHEN ? THEN ? ELSE last_flap_at END, cleared_at = NULL,"
                        + " updated_at = now() WHERE a.id = ? RETURNING " + ALERT_COLUMNS,
                ts(s.at()), Alert.code(s.severity()), s.category(), Alert.code(s.urgency()), e.summaryFr(), e.summaryEn(),
                AlertRows.explanationJson(e), flap ? 1 : 0, flap, ts(s.at()), id);
    }

    /** @return null when the alert is no longer resolved (another transaction reopened it first) */
    static Alert reopen(Connection c, long id, RuleSignal s) throws SQLException {
        Explanation e = s.explanation();
        return updateOne(c, "UPDATE alerts a SET state = 'open', occurrences = occurrences + 1, flaps = flaps + 1,"
                        + " last_flap_at = ?, last_seen = greatest(last_seen, ?), severity = ?, category = ?, urgency = ?,"
                        + " summary_fr = ?, summary_en = ?, explanation = ?::jsonb, acknowledged_by = NULL,"
                        + " acknowledged_at = NULL, resolved_by = NULL, resolved_at = NULL, resolution = NULL,"
                        + " resolution_note = NULL, cleared_at = NULL, updated_at = now()"
                        + " WHERE a.id = ? AND a.state = 'resolved' RETURNING " + ALERT_COLUMNS,
                ts(s.at()), ts(s.at()), Alert.code(s.severity()), s.category(), Alert.code(s.urgency()), e.summaryFr(),
                e.summaryEn(), AlertRows.explanationJson(e), id);
    }

    /** Notes when a flapping alert's condition cleared; it stays open. */
    static Alert keepOpen(Connection c, long id, Instant clearedAt) throws SQLException {
        return updateOne(c, "UPDATE alerts a SET cleared_at = ? WHERE a.id = ? RETURNING " + ALERT_COLUMNS, ts(clearedAt), id);
    }

    static Alert resolveAutomatically(Connection c, long id, Instant at) throws SQLException {
        return updateOne(c, "UPDATE alerts a SET state = 'resolved', resolved_by = ?, resolved_at = ?,"
                + " resolution = 'auto', cleared_at = NULL, updated_at = now() WHERE a.id = ? RETURNING " + ALERT_COLUMNS,
                AlertLifecycle.ENGINE, ts(at), id);
    }

    static Alert acknowledge(Connection c, long id, String who, Instant at) throws SQLException {
        return updateOne(c, "UPDATE alerts a SET state = 'acknowledged', acknowledged_by = ?, acknowledged_at = ?,"
                + " updated_at = now() WHERE a.id = ? RETURNING " + ALERT_COLUMNS, who, ts(at), id);
    }

    /** @param note as stored, or {@code null} */
    static Alert resolveManually(Connection c, long id, String who, Instant at, String note) throws SQLException {
        return updateOne(c, "UPDATE alerts a SET state = 'resolved', resolved_by = ?, resolved_at = ?,"
                + " resolution = 'manual', resolution_note = ?, cleared_at = NULL, updated_at = now()"
                + " WHERE a.id = ? RETURNING " + ALERT_COLUMNS, who, ts(at), note, id);
    }

    /** Appends the transition of a decision and its outbox row (issue 4). */
    static AlertTransition transition(Connection c, long alertId, AlertTransition.Kind kind, Decision d)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            s.setLong(1, TRANSITION_ORDER_LOCK);
            s.execute();
        }
        long id;
        try (PreparedStatement s = c.prepareStatement("INSERT INTO alert_transitions (alert_id, kind, at, by, detail)"
                + " VALUES (?, ?, ?, ?, ?::jsonb) RETURNING id")) {
            set(s, alertId, kind.code(), ts(d.at()), d.by(), AlertRows.detailJson(d.detail()));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                id = r.getLong(1);
            }
        }
        AlertTransition transition = new AlertTransition(id, alertId, kind, d.at(), d.by(), d.detail());
        try (PreparedStatement s = c.prepareStatement("INSERT INTO outbox (alert_id, transition_id, idempotency_key)"
                + " VALUES (?, ?, ?)")) {
            set(s, alertId, id, transition.idempotencyKey());
            s.executeUpdate();
        }
        return transition;
    }

    /** Runs an INSERT/UPDATE … RETURNING of one alert; null when it touched no row. */
    private static Alert updateOne(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            set(s, params);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? AlertRows.alert(r) : null;
            }
        }
    }

    static void set(PreparedStatement s, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            s.setObject(i + 1, params[i]);
        }
    }
}
