package fr.gardien.storage.alerts;

import static fr.gardien.storage.alerts.AlertRows.ALERT_COLUMNS;
import static fr.gardien.storage.alerts.AlertRows.SILENCE_COLUMNS;
import static fr.gardien.storage.alerts.AlertRows.TRANSITION_COLUMNS;
import static fr.gardien.storage.alerts.AlertRows.ts;

import fr.gardien.rules.Explanation;
import fr.gardien.rules.RuleSignal;
import fr.gardien.storage.db.Failures;
import fr.gardien.storage.db.StorageException;
import fr.gardien.storage.db.Text;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.postgresql.util.PSQLException;

/**
 * The alert lifecycle in PostgreSQL (issue 3): one active alert per (rule, site, equipment),
 * states open → acknowledged → resolved, flap handling, silences, and for every transition an
 * entry of the append-only log and an outbox row (issue 4) in the same transaction.
 *
 * <p>Every method is blocking and runs one transaction; run them on the database worker pool.
 * Every method throws {@link StorageException} when the database fails, having changed nothing.
 */
public final class AlertStore {

    public static final int MAX_LIMIT = 1000;
    public static final Duration DEFAULT_FLAP_WINDOW = Duration.ofHours(1);
    /** Reopenings within the flap window from which a clear no longer resolves the alert. */
    public static final int FLAPPING_FLAPS = 3;
    /** Who the rule engine's transitions are by. */
    public static final String ENGINE = "gardien";

    /**
     * Transaction-scoped advisory lock taken just before a transition id is drawn, so that ids
     * commit in increasing order: an SSE client resuming after id N cannot miss an id below a
     * later one. Alert transitions are few; readings never take it.
     */
    private static final long TRANSITION_ORDER_LOCK = 0x6761_7264_6965_6eL;
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String ONE_ACTIVE_INDEX = "alerts_one_active";
    private static final int RACE_ATTEMPTS = 5;

    private final DataSource dataSource;
    private final Duration flapWindow;
    private final Clock clock;

    public AlertStore(DataSource dataSource) {
        this(dataSource, DEFAULT_FLAP_WINDOW, Clock.systemUTC());
    }

    /**
     * @param flapWindow an alert auto-resolved less than this before a new raise is reopened
     *     instead of a new one being opened; a flapping alert is resolved once its condition has
     *     stayed clear this long ({@link #settleFlapping})
     * @param clock the time of acknowledgements, manual resolutions and silences
     */
    public AlertStore(DataSource dataSource, Duration flapWindow, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        if (flapWindow.isNegative() || flapWindow.isZero()) {
            throw new IllegalArgumentException("flapWindow must be positive, was " + flapWindow);
        }
        this.flapWindow = flapWindow;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Applies one signal of the rule engine.
     * <ul>
     *   <li>RAISED with an active alert: {@code RETRIGGERED} (occurrences + 1, last seen, new
     *       explanation).</li>
     *   <li>RAISED without one: {@code SUPPRESSED} when a silence covers it at the signal's time;
     *       {@code REOPENED} when an alert of the same rule and equipment was auto-resolved less
     *       than the flap window before (flaps + 1); else {@code OPENED}.</li>
     *   <li>CLEARED: {@code RESOLVED} (automatic, by {@value #ENGINE}), or {@code KEPT_OPEN} when
     *       the alert is flapping ({@value #FLAPPING_FLAPS} reopenings, the last within the flap
     *       window); {@code IGNORED} with no active alert.</li>
     * </ul>
     * A concurrent opening of the same alert (the unique index refuses the second) is retried,
     * and becomes a retrigger.
     *
     * @throws IllegalArgumentException for a RAISED signal without explanation
     */
    public AlertChange apply(RuleSignal signal) {
        Objects.requireNonNull(signal, "signal");
        if (signal.kind() == RuleSignal.Kind.RAISED && signal.explanation() == null) {
            throw new IllegalArgumentException("a RAISED signal needs an explanation [rule: " + signal.ruleId() + "]");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return inTransaction(c -> signal.kind() == RuleSignal.Kind.RAISED ? raise(c, signal) : clear(c, signal));
            } catch (LostRace e) {
                if (attempt == RACE_ATTEMPTS) {
                    throw new StorageException("alert still contended after " + attempt + " attempts [rule: "
                            + signal.ruleId() + ", site: " + signal.site() + ", equipment: " + signal.equipment() + "]");
                }
            }
        }
    }

    private AlertChange raise(Connection c, RuleSignal s) throws SQLException {
        AlertRows.Row active = active(c, s);
        if (active != null) {
            return retrigger(c, active, s);
        }
        if (silenced(c, s)) {
            return new AlertChange(AlertChange.Kind.SUPPRESSED, null, null);
        }
        Alert recent = recentlyAutoResolved(c, s);
        return recent != null ? reopen(c, recent, s) : open(c, s);
    }

    private AlertChange clear(Connection c, RuleSignal s) throws SQLException {
        AlertRows.Row active = active(c, s);
        if (active == null) {
            return new AlertChange(AlertChange.Kind.IGNORED, null, null);
        }
        Alert alert = active.alert();
        if (alert.flaps() >= FLAPPING_FLAPS && active.lastFlapAt() != null
                && active.lastFlapAt().isAfter(s.at().minus(flapWindow))) {
            // Flapping: resolving now would only be reopened; settleFlapping resolves it once quiet.
            Alert kept = updateOne(c, "UPDATE alerts a SET cleared_at = ? WHERE a.id = ? RETURNING " + ALERT_COLUMNS,
                    ts(s.at()), alert.id());
            return new AlertChange(AlertChange.Kind.KEPT_OPEN, kept, null);
        }
        Map<String, Object> detail = detail("resolution", "auto");
        return resolveAutomatically(c, alert, s.at(), detail);
    }

    private AlertChange retrigger(Connection c, AlertRows.Row active, RuleSignal s) throws SQLException {
        boolean flap = active.clearedAt() != null;
        Explanation e = s.explanation();
        Alert alert = updateOne(c, "UPDATE alerts a SET occurrences = occurrences + 1, last_seen = greatest(last_seen, ?),"
                        + " severity = ?, category = ?, urgency = ?, summary_fr = ?, summary_en = ?, explanation = ?::jsonb,"
                        + " flaps = flaps + ?, last_flap_at = CASE WHEN ? THEN ? ELSE last_flap_at END, cleared_at = NULL,"
                        + " updated_at = now() WHERE a.id = ? RETURNING " + ALERT_COLUMNS,
                ts(s.at()), Alert.code(s.severity()), s.category(), Alert.code(s.urgency()), e.summaryFr(), e.summaryEn(),
                AlertRows.explanationJson(e), flap ? 1 : 0, flap, ts(s.at()), active.alert().id());
        Map<String, Object> detail = detail("occurrences", alert.occurrences());
        if (flap) {
            // Raised again while kept open after a clear: another flap.
            detail.put("flaps", alert.flaps());
        }
        AlertTransition t = transition(c, alert.id(), AlertTransition.Kind.RETRIGGERED, s.at(), ENGINE, detail);
        return new AlertChange(AlertChange.Kind.RETRIGGERED, alert, t);
    }

    private AlertChange reopen(Connection c, Alert resolved, RuleSignal s) throws SQLException {
        Explanation e = s.explanation();
        Alert alert = updateOne(c, "UPDATE alerts a SET state = 'open', occurrences = occurrences + 1, flaps = flaps + 1,"
                        + " last_flap_at = ?, last_seen = greatest(last_seen, ?), severity = ?, category = ?, urgency = ?,"
                        + " summary_fr = ?, summary_en = ?, explanation = ?::jsonb, acknowledged_by = NULL,"
                        + " acknowledged_at = NULL, resolved_by = NULL, resolved_at = NULL, resolution = NULL,"
                        + " resolution_note = NULL, cleared_at = NULL, updated_at = now()"
                        + " WHERE a.id = ? AND a.state = 'resolved' RETURNING " + ALERT_COLUMNS,
                ts(s.at()), ts(s.at()), Alert.code(s.severity()), s.category(), Alert.code(s.urgency()), e.summaryFr(),
                e.summaryEn(), AlertRows.explanationJson(e), resolved.id());
        if (alert == null) {
            throw new LostRace();
        }
        Map<String, Object> detail = detail("occurrences", alert.occurrences());
        detail.put("flaps", alert.flaps());
        if (alert.flaps() >= FLAPPING_FLAPS) {
            detail.put("flapping", true);
        }
        AlertTransition t = transition(c, alert.id(), AlertTransition.Kind.REOPENED, s.at(), ENGINE, detail);
        return new AlertChange(AlertChange.Kind.REOPENED, alert, t);
    }

    private AlertChange open(Connection c, RuleSignal s) throws SQLException {
        Explanation e = s.explanation();
        Alert alert = updateOne(c, "INSERT INTO alerts AS a (rule_id, site, equipment, severity, category, urgency, state,"
                        + " summary_fr, summary_en, explanation, first_seen, last_seen)"
                        + " VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?::jsonb, ?, ?) RETURNING " + ALERT_COLUMNS,
                s.ruleId(), s.site(), s.equipment(), Alert.code(s.severity()), s.category(), Alert.code(s.urgency()),
                e.summaryFr(), e.summaryEn(), AlertRows.explanationJson(e), ts(s.at()), ts(s.at()));
        AlertTransition t = transition(c, alert.id(), AlertTransition.Kind.OPENED, s.at(), ENGINE, detail("occurrences", 1));
        return new AlertChange(AlertChange.Kind.OPENED, alert, t);
    }

    private AlertChange resolveAutomatically(Connection c, Alert alert, Instant at, Map<String, Object> detail)
            throws SQLException {
        Alert resolved = updateOne(c, "UPDATE alerts a SET state = 'resolved', resolved_by = ?, resolved_at = ?,"
                        + " resolution = 'auto', cleared_at = NULL, updated_at = now() WHERE a.id = ? RETURNING " + ALERT_COLUMNS,
                ENGINE, ts(at), alert.id());
        AlertTransition t = transition(c, alert.id(), AlertTransition.Kind.RESOLVED, at, ENGINE, detail);
        return new AlertChange(AlertChange.Kind.RESOLVED, resolved, t);
    }

    /**
     * Resolves automatically the flapping alerts whose condition has stayed clear for the flap
     * window up to {@code now} (the gateway calls it periodically).
     *
     * @return one RESOLVED change per alert resolved
     */
    public List<AlertChange> settleFlapping(Instant now) {
        return inTransaction(c -> {
            List<AlertRows.Row> quiet = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT " + ALERT_COLUMNS + " FROM alerts a"
                    + " WHERE a.state <> 'resolved' AND a.cleared_at <= ? ORDER BY a.id FOR NO KEY UPDATE SKIP LOCKED")) {
                s.setObject(1, ts(now.minus(flapWindow)));
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        quiet.add(AlertRows.row(r));
                    }
                }
            }
            List<AlertChange> changes = new ArrayList<>();
            for (AlertRows.Row row : quiet) {
                Map<String, Object> detail = detail("resolution", "auto");
                detail.put("afterFlapping", true);
                // Resolved at the event time its condition had stayed clear for the window, not at
                // the wall clock: an alert of replayed history would otherwise be resolved in its
                // future, and a raise of the same rule days later in the replay would reopen it.
                changes.add(resolveAutomatically(c, row.alert(), row.clearedAt().plus(flapWindow), detail));
            }
            return changes;
        });
    }

    /**
     * Acknowledges an alert: open → acknowledged, recorded with who and when.
     *
     * @return empty when there is no such alert; {@code UNCHANGED} when already acknowledged
     * @throws AlertConflictException when the alert is resolved
     */
    public Optional<AlertChange> acknowledge(long id, String who) {
        Objects.requireNonNull(who, "who");
        return inTransaction(c -> {
            Alert alert = byId(c, id, true);
            if (alert == null) {
                return Optional.empty();
            }
            switch (alert.state()) {
                case RESOLVED:
                    throw new AlertConflictException("alert " + id + " is resolved; it cannot be acknowledged");
                case ACKNOWLEDGED:
                    return Optional.of(new AlertChange(AlertChange.Kind.UNCHANGED, alert, null));
                default:
                    break;
            }
            Instant now = clock.instant();
            Alert acked = updateOne(c, "UPDATE alerts a SET state = 'acknowledged', acknowledged_by = ?, acknowledged_at = ?,"
                    + " updated_at = now() WHERE a.id = ? RETURNING " + ALERT_COLUMNS, who, ts(now), id);
            AlertTransition t = transition(c, id, AlertTransition.Kind.ACKNOWLEDGED, now, who, detail());
            return Optional.of(new AlertChange(AlertChange.Kind.ACKNOWLEDGED, acked, t));
        });
    }

    /**
     * Resolves an alert by hand (open or acknowledged → resolved, resolution manual), recorded
     * with who, when and the note.
     *
     * @param note why, or {@code null}
     * @return empty when there is no such alert; {@code UNCHANGED} when already resolved
     */
    public Optional<AlertChange> resolve(long id, String who, String note) {
        Objects.requireNonNull(who, "who");
        return inTransaction(c -> {
            Alert alert = byId(c, id, true);
            if (alert == null) {
                return Optional.empty();
            }
            if (alert.state() == Alert.State.RESOLVED) {
                return Optional.of(new AlertChange(AlertChange.Kind.UNCHANGED, alert, null));
            }
            Instant now = clock.instant();
            String storedNote = note == null || note.isBlank() ? null : Text.storable(Text.cut(note, 2000));
            Alert resolved = updateOne(c, "UPDATE alerts a SET state = 'resolved', resolved_by = ?, resolved_at = ?,"
                    + " resolution = 'manual', resolution_note = ?, cleared_at = NULL, updated_at = now()"
                    + " WHERE a.id = ? RETURNING " + ALERT_COLUMNS, who, ts(now), storedNote, id);
            Map<String, Object> detail = detail("resolution", "manual");
            if (storedNote != null) {
                detail.put("note", storedNote);
            }
            AlertTransition t = transition(c, id, AlertTransition.Kind.RESOLVED, now, who, detail);
            return Optional.of(new AlertChange(AlertChange.Kind.RESOLVED, resolved, t));
        });
    }

    /** One alert, or empty. */
    public Optional<Alert> get(long id) {
        return inTransaction(c -> Optional.ofNullable(byId(c, id, false)));
    }

    /** Alerts matching the query, the most recently changed first. */
    public List<Alert> list(AlertQuery q) {
        if (q.sites() != null && q.sites().isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("SELECT " + ALERT_COLUMNS + " FROM alerts a WHERE true");
        List<Object> params = new ArrayList<>();
        if (q.state() != null) {
            sql.append(" AND a.state = ?");
            params.add(q.state().code());
        }
        if (q.severity() != null) {
            sql.append(" AND a.severity = ?");
            params.add(Alert.code(q.severity()));
        }
        if (q.since() != null) {
            sql.append(" AND a.updated_at >= ?");
            params.add(ts(q.since()));
        }
        sql.append(q.sites() != null ? " AND a.site = ANY (?)" : "");
        sql.append(" ORDER BY a.updated_at DESC, a.id DESC LIMIT ?");
        return inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                int i = 1;
                for (Object p : params) {
                    s.setObject(i++, p);
                }
                if (q.sites() != null) {
                    s.setArray(i++, c.createArrayOf("text", q.sites().toArray()));
                }
                s.setInt(i, q.limit());
                List<Alert> alerts = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        alerts.add(AlertRows.alert(r));
                    }
                }
                return alerts;
            }
        });
    }

    /**
     * The transitions after {@code lastEventId} in id order, each with its alert as it is now:
     * what an SSE client that received {@code lastEventId} missed.
     *
     * @param sites only alerts of these sites; {@code null}: all
     * @param limit at most this many (1 to {@value #MAX_LIMIT}); page with the last id received
     */
    public List<AlertEvent> transitionsAfter(long lastEventId, Set<String> sites, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT + ", was " + limit);
        }
        if (sites != null && sites.isEmpty()) {
            return List.of();
        }
        String sql = "SELECT " + TRANSITION_COLUMNS + ", " + ALERT_COLUMNS
                + " FROM alert_transitions t JOIN alerts a ON a.id = t.alert_id WHERE t.id > ?"
                + (sites != null ? " AND a.site = ANY (?)" : "") + " ORDER BY t.id LIMIT ?";
        return inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                int i = 1;
                s.setLong(i++, lastEventId);
                if (sites != null) {
                    s.setArray(i++, c.createArrayOf("text", sites.toArray()));
                }
                s.setInt(i, limit);
                List<AlertEvent> events = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        events.add(new AlertEvent(AlertRows.transition(r), AlertRows.alert(r)));
                    }
                }
                return events;
            }
        });
    }

    /**
     * Creates a silence.
     *
     * @param equipment {@code null}: every equipment of the site
     * @param ruleId {@code null}: every rule
     * @throws IllegalArgumentException when {@code startsAt} is not before {@code endsAt}
     */
    public Silence createSilence(String site, String equipment, String ruleId, Instant startsAt, Instant endsAt,
            String createdBy, String reason) {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(reason, "reason");
        if (!startsAt.isBefore(endsAt)) {
            throw new IllegalArgumentException("a silence must start before it ends");
        }
        return inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO silences (site, equipment, rule_id, starts_at,"
                    + " ends_at, created_by, reason) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING " + SILENCE_COLUMNS)) {
                set(s, site, equipment, ruleId, ts(startsAt), ts(endsAt), createdBy, Text.storable(Text.cut(reason, 2000)));
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return AlertRows.silence(r);
                }
            }
        });
    }

    /**
     * The silences not ended yet (current and future), soonest end first.
     *
     * @param sites only these sites; {@code null}: all
     */
    public List<Silence> listSilences(Set<String> sites) {
        if (sites != null && sites.isEmpty()) {
            return List.of();
        }
        String sql = "SELECT " + SILENCE_COLUMNS + " FROM silences WHERE ends_at > ?"
                + (sites != null ? " AND site = ANY (?)" : "") + " ORDER BY ends_at, id";
        return inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setObject(1, ts(clock.instant()));
                if (sites != null) {
                    s.setArray(2, c.createArrayOf("text", sites.toArray()));
                }
                List<Silence> silences = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        silences.add(AlertRows.silence(r));
                    }
                }
                return silences;
            }
        });
    }

    /** One silence, ended or not, or empty. */
    public Optional<Silence> silence(long id) {
        return inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + SILENCE_COLUMNS + " FROM silences WHERE id = ?")) {
                s.setLong(1, id);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(AlertRows.silence(r)) : Optional.empty();
                }
            }
        });
    }

    /** Deletes a silence; false when there was none with that id. */
    public boolean deleteSilence(long id) {
        return inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM silences WHERE id = ?")) {
                s.setLong(1, id);
                return s.executeUpdate() == 1;
            }
        });
    }

    /** Saves (replaces) the rule engine's snapshot under {@code key}; {@code json} must be JSON. */
    public void saveRuleState(String key, String json) {
        inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO rule_state (key, state) VALUES (?, ?::jsonb)"
                    + " ON CONFLICT (key) DO UPDATE SET state = excluded.state, saved_at = now()")) {
                s.setString(1, key);
                s.setString(2, json);
                return s.executeUpdate();
            }
        });
    }

    /** The snapshot saved under {@code key}, as JSON text, or empty. */
    public Optional<String> loadRuleState(String key) {
        return inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT state::text FROM rule_state WHERE key = ?")) {
                s.setString(1, key);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
                }
            }
        });
    }

    // --- inside a transaction

    private AlertRows.Row active(Connection c, RuleSignal s) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT " + ALERT_COLUMNS + " FROM alerts a WHERE a.rule_id = ?"
                + " AND a.site = ? AND a.equipment = ? AND a.state <> 'resolved' FOR NO KEY UPDATE")) {
            set(st, s.ruleId(), s.site(), s.equipment());
            try (ResultSet r = st.executeQuery()) {
                return r.next() ? AlertRows.row(r) : null;
            }
        }
    }

    private boolean silenced(Connection c, RuleSignal s) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM silences WHERE site = ?"
                + " AND (equipment IS NULL OR equipment = ?) AND (rule_id IS NULL OR rule_id = ?)"
                + " AND starts_at <= ? AND ends_at > ? LIMIT 1")) {
            set(st, s.site(), s.equipment(), s.ruleId(), ts(s.at()), ts(s.at()));
            try (ResultSet r = st.executeQuery()) {
                return r.next();
            }
        }
    }

    private Alert recentlyAutoResolved(Connection c, RuleSignal s) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT " + ALERT_COLUMNS + " FROM alerts a WHERE a.rule_id = ?"
                + " AND a.site = ? AND a.equipment = ? AND a.state = 'resolved' AND a.resolution = 'auto'"
                + " AND a.resolved_at > ? ORDER BY a.resolved_at DESC, a.id DESC LIMIT 1 FOR NO KEY UPDATE")) {
            set(st, s.ruleId(), s.site(), s.equipment(), ts(s.at().minus(flapWindow)));
            try (ResultSet r = st.executeQuery()) {
                return r.next() ? AlertRows.alert(r) : null;
            }
        }
    }

    private static Alert byId(Connection c, long id, boolean lock) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + ALERT_COLUMNS + " FROM alerts a WHERE a.id = ?"
                + (lock ? " FOR NO KEY UPDATE" : ""))) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? AlertRows.alert(r) : null;
            }
        }
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

    /** Appends a transition and its outbox row (issue 4), in the caller's transaction. */
    private static AlertTransition transition(Connection c, long alertId, AlertTransition.Kind kind, Instant at, String by,
            Map<String, Object> detail) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            s.setLong(1, TRANSITION_ORDER_LOCK);
            s.execute();
        }
        long id;
        try (PreparedStatement s = c.prepareStatement("INSERT INTO alert_transitions (alert_id, kind, at, by, detail)"
                + " VALUES (?, ?, ?, ?, ?::jsonb) RETURNING id")) {
            set(s, alertId, kind.code(), ts(at), by, AlertRows.detailJson(detail));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                id = r.getLong(1);
            }
        }
        AlertTransition transition = new AlertTransition(id, alertId, kind, at, by, detail);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO outbox (alert_id, transition_id, idempotency_key)"
                + " VALUES (?, ?, ?)")) {
            set(s, alertId, id, transition.idempotencyKey());
            s.executeUpdate();
        }
        return transition;
    }

    private static void set(PreparedStatement s, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            s.setObject(i + 1, params[i]);
        }
    }

    private static Map<String, Object> detail(Object... pairs) {
        Map<String, Object> detail = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            detail.put((String) pairs[i], pairs[i + 1]);
        }
        return detail;
    }

    // --- transactions

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** The unique index refused a second active alert: the whole transaction is retried. */
    private static final class LostRace extends RuntimeException {
        LostRace() {
            super(null, null, false, false);
        }
    }

    private <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(c);
                if (e instanceof SQLException sql && lostRace(sql)) {
                    throw new LostRace();
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StorageException("alert store: " + Failures.describe(e), e);
        }
    }

    private static boolean lostRace(SQLException e) {
        return UNIQUE_VIOLATION.equals(e.getSQLState()) && e instanceof PSQLException p
                && p.getServerErrorMessage() != null && ONE_ACTIVE_INDEX.equals(p.getServerErrorMessage().getConstraint());
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // The connection is broken; Hikari discards it, and the transaction died with it.
        }
    }
}
