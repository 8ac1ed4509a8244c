package fr.gardien.storage.alerts;

import static fr.gardien.storage.alerts.AlertRows.ALERT_COLUMNS;
import static fr.gardien.storage.alerts.AlertRows.TRANSITION_COLUMNS;
import static fr.gardien.storage.alerts.AlertRows.ts;

import fr.gardien.rules.Explanation;
import fr.gardien.rules.RuleSignal;
import fr.gardien.rules.lifecycle.AlertLifecycle;
import fr.gardien.rules.lifecycle.Decision;
import fr.gardien.storage.db.Sql;
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
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.postgresql.util.PSQLException;

/**
 * The alerts in PostgreSQL (issue 3): one active alert per (rule, site, equipment), and for
 * every transition an entry of the append-only log and an outbox row (issue 4) in the same
 * transaction. What happens to an alert is the {@link AlertLifecycle}'s to decide; this store
 * reads the facts it decides on, under row locks, and writes its decision.
 *
 * <p>Every method is blocking and runs one transaction; run them on the database worker pool.
 * Every method throws {@link StorageException} when the database fails, having changed nothing.
 */
public final class AlertStore {

    public static final int MAX_LIMIT = 1000;

    private static final String WHAT = "alert store";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String ONE_ACTIVE_INDEX = "alerts_one_active";
    private static final int RACE_ATTEMPTS = 5;

    private final DataSource dataSource;
    private final AlertLifecycle lifecycle;
    private final Clock clock;

    public AlertStore(DataSource dataSource) {
        this(dataSource, AlertLifecycle.DEFAULT_FLAP_WINDOW, Clock.systemUTC());
    }

    /**
     * @param flapWindow an alert auto-resolved less than this before a new raise is reopened
     *     instead of a new one being opened; a flapping alert is resolved once its condition has
     *     stayed clear this long ({@link #settleFlapping})
     * @param clock the time of acknowledgements and manual resolutions
     */
    public AlertStore(DataSource dataSource, Duration flapWindow, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.lifecycle = new AlertLifecycle(flapWindow);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Applies one signal of the rule engine, as {@link AlertLifecycle#raise} and
     * {@link AlertLifecycle#clear} decide: {@code RETRIGGERED}, {@code SUPPRESSED},
     * {@code REOPENED} or {@code OPENED} for a raise; {@code RESOLVED}, {@code KEPT_OPEN} or
     * {@code IGNORED} for a clear. A concurrent opening of the same alert (the unique index
     * refuses the second) is retried, and becomes a retrigger.
     *
     * @throws IllegalArgumentException for a RAISED signal without explanation
     */
    public AlertChange apply(RuleSignal signal) {
        return apply(signal, null);
    }

    /**
     * As {@link #apply(RuleSignal)}, for a worker of the cluster (issue 13): the transition commits
     * only while {@code fence} holds ({@code FENCED} otherwise, nothing written), and a signal the
     * alerts of its rule, site and equipment already reflect ({@link AlertLifecycle#reflected}: a
     * replay after a takeover) changes nothing ({@code UNCHANGED}).
     *
     * @param fence the lease of the signal's site's partition; {@code null}: a single process, unfenced
     */
    public AlertChange apply(RuleSignal signal, LeaseFence fence) {
        Objects.requireNonNull(signal, "signal");
        if (signal.kind() == RuleSignal.Kind.RAISED && signal.explanation() == null) {
            throw new IllegalArgumentException("a RAISED signal needs an explanation [rule: " + signal.ruleId() + "]");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return Sql.inTransaction(dataSource, WHAT, c -> {
                    if (fence != null) {
                        if (!fence.holds(c)) {
                            return new AlertChange(AlertChange.Kind.FENCED, null, null);
                        }
                        AlertRows.Row latest = latest(c, signal);
                        if (lifecycle.reflected(signal, latest == null ? null : latest.facts())) {
                            return new AlertChange(AlertChange.Kind.UNCHANGED, latest.alert(), null);
                        }
                    }
                    return signal.kind() == RuleSignal.Kind.RAISED ? raise(c, signal) : clear(c, signal);
                });
            } catch (LostRace | StorageException e) {
                if (e instanceof StorageException && !lostRace(e.getCause())) {
                    throw e;
                }
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
            Decision d = lifecycle.raise(s, active.facts(), List.of(), null);
            return changed(c, AlertChange.Kind.RETRIGGERED, d, AlertWrites.retrigger(c, active.alert().id(), s, d.flap()));
        }
        List<Silence> silences = SilenceStore.inForce(c, s);
        AlertRows.Row recent = recentlyAutoResolved(c, s);
        Decision d = lifecycle.raise(s, null, silences, recent == null ? null : recent.facts());
        return switch (d.step()) {
            case SUPPRESS -> new AlertChange(AlertChange.Kind.SUPPRESSED, null, null);
            case REOPEN -> {
                Alert reopened = AlertWrites.reopen(c, recent.alert().id(), s);
                if (reopened == null) {
                    throw new LostRace();
                }
                yield changed(c, AlertChange.Kind.REOPENED, d, reopened);
            }
            case OPEN -> changed(c, AlertChange.Kind.OPENED, d, AlertWrites.open(c, s));
            default -> throw new IllegalStateException("a raise without an active alert cannot " + d.step());
        };
    }

    private AlertChange clear(Connection c, RuleSignal s) throws SQLException {
        AlertRows.Row active = active(c, s);
        Decision d = lifecycle.clear(s, active == null ? null : active.facts());
        return switch (d.step()) {
            case IGNORE -> new AlertChange(AlertChange.Kind.IGNORED, null, null);
            case KEEP_OPEN -> new AlertChange(AlertChange.Kind.KEPT_OPEN, AlertWrites.keepOpen(c, active.alert().id(), d.at()),
                    null);
            case AUTO_RESOLVE -> changed(c, AlertChange.Kind.RESOLVED, d,
                    AlertWrites.resolveAutomatically(c, active.alert().id(), d.at()));
            default -> throw new IllegalStateException("a clear cannot " + d.step());
        };
    }

    /**
     * Resolves automatically the flapping alerts whose condition has stayed clear for the flap
     * window up to {@code now} (the gateway calls it periodically), as {@link AlertLifecycle#settle} decides.
     *
     * @return one RESOLVED change per alert resolved
     */
    public List<AlertChange> settleFlapping(Instant now) {
        return Sql.inTransaction(dataSource, WHAT, c -> {
            List<AlertRows.Row> quiet;
            try (PreparedStatement s = c.prepareStatement("SELECT " + ALERT_COLUMNS + " FROM alerts a"
                    + " WHERE a.state <> 'resolved' AND a.cleared_at <= ? ORDER BY a.id FOR NO KEY UPDATE SKIP LOCKED")) {
                s.setObject(1, ts(lifecycle.settledBy(now)));
                quiet = Sql.list(s, AlertRows::row);
            }
            List<AlertChange> changes = new ArrayList<>();
            for (AlertRows.Row row : quiet) {
                Decision d = lifecycle.settle(row.facts(), now);
                if (d.step() == Decision.Step.AUTO_RESOLVE) {
                    changes.add(changed(c, AlertChange.Kind.RESOLVED, d,
                            AlertWrites.resolveAutomatically(c, row.alert().id(), d.at())));
                }
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
        return Sql.inTransaction(dataSource, WHAT, c -> {
            AlertRows.Row row = byId(c, id, true);
            if (row == null) {
                return Optional.empty();
            }
            Decision d = lifecycle.acknowledge(row.facts(), who, clock.instant());
            return Optional.of(switch (d.step()) {
                case REFUSE -> throw new AlertConflictException("alert " + id + " is resolved; it cannot be acknowledged");
                case UNCHANGED -> new AlertChange(AlertChange.Kind.UNCHANGED, row.alert(), null);
                case ACKNOWLEDGE -> changed(c, AlertChange.Kind.ACKNOWLEDGED, d, AlertWrites.acknowledge(c, id, who, d.at()));
                default -> throw new IllegalStateException("an acknowledgement cannot " + d.step());
            });
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
        String storedNote = note == null || note.isBlank() ? null : Text.storable(Text.cut(note, 2000));
        return Sql.inTransaction(dataSource, WHAT, c -> {
            AlertRows.Row row = byId(c, id, true);
            if (row == null) {
                return Optional.empty();
            }
            Decision d = lifecycle.resolve(row.facts(), who, storedNote, clock.instant());
            return Optional.of(switch (d.step()) {
                case UNCHANGED -> new AlertChange(AlertChange.Kind.UNCHANGED, row.alert(), null);
                case MANUAL_RESOLVE -> changed(c, AlertChange.Kind.RESOLVED, d,
                        AlertWrites.resolveManually(c, id, who, d.at(), storedNote));
                default -> throw new IllegalStateException("a manual resolution cannot " + d.step());
            });
        });
    }

    /** One alert, or empty. */
    public Optional<Alert> get(long id) {
        return Sql.inTransaction(dataSource, WHAT, c -> Optional.ofNullable(byId(c, id, false)).map(AlertRows.Row::alert));
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
        return Sql.inTransaction(dataSource, WHAT, c -> {
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                int i = 1;
                for (Object p : params) {
                    s.setObject(i++, p);
                }
                if (q.sites() != null) {
                    s.setArray(i++, c.createArrayOf("text", q.sites().toArray()));
                }
                s.setInt(i, q.limit());
                return Sql.list(s, AlertRows::alert);
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
        return Sql.inTransaction(dataSource, WHAT, c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                int i = 1;
                s.setLong(i++, lastEventId);
                if (sites != null) {
                    s.setArray(i++, c.createArrayOf("text", sites.toArray()));
                }
                s.setInt(i, limit);
                return Sql.list(s, r -> new AlertEvent(AlertRows.transition(r), AlertRows.alert(r)));
            }
        });
    }

    // --- inside a transaction

    /** The change of a decision that writes a transition: appends it (and its outbox row) for {@code alert}. */
    private static AlertChange changed(Connection c, AlertChange.Kind kind, Decision d, Alert alert) throws SQLException {
        AlertTransition t = AlertWrites.transition(c, alert.id(), AlertTransition.Kind.valueOf(kind.name()), d);
        return new AlertChange(kind, alert, t);
    }

    private static AlertRows.Row active(Connection c, RuleSignal s) throws SQLException {
        return one(c, "SELECT " + ALERT_COLUMNS + " FROM alerts a WHERE a.rule_id = ? AND a.site = ? AND a.equipment = ?"
                + " AND a.state <> 'resolved' FOR NO KEY UPDATE", s.ruleId(), s.site(), s.equipment());
    }

    /** The alert of the signal's rule, site and equipment raised last, or null. */
    private static AlertRows.Row latest(Connection c, RuleSignal s) throws SQLException {
        return one(c, "SELECT " + ALERT_COLUMNS + " FROM alerts a WHERE a.rule_id = ? AND a.site = ? AND a.equipment = ?"
                + " ORDER BY a.last_seen DESC, a.id DESC LIMIT 1", s.ruleId(), s.site(), s.equipment());
    }

    /** The latest auto-resolved alert of the signal's key that a raise may reopen (the lifecycle decides). */
    private AlertRows.Row recentlyAutoResolved(Connection c, RuleSignal s) throws SQLException {
        return one(c, "SELECT " + ALERT_COLUMNS + " FROM alerts a WHERE a.rule_id = ? AND a.site = ? AND a.equipment = ?"
                + " AND a.state = 'resolved' AND a.resolution = 'auto' AND a.resolved_at > ?"
                + " ORDER BY a.resolved_at DESC, a.id DESC LIMIT 1 FOR NO KEY UPDATE",
                s.ruleId(), s.site(), s.equipment(), ts(lifecycle.reopenAfter(s.at())));
    }

    private static AlertRows.Row byId(Connection c, long id, boolean lock) throws SQLException {
        return one(c, "SELECT " + ALERT_COLUMNS + " FROM alerts a WHERE a.id = ?" + (lock ? " FOR NO KEY UPDATE" : ""), id);
    }

    private static AlertRows.Row one(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            AlertWrites.set(s, params);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? AlertRows.row(r) : null;
            }
        }
    }

    /** The unique index refused a second active alert: the whole transaction is retried. */
    static final class LostRace extends RuntimeException {
        LostRace() {
            super(null, null, false, false);
        }
    }

    private static boolean lostRace(Throwable e) {
        return e instanceof PSQLException p && UNIQUE_VIOLATION.equals(p.getSQLState())
                && p.getServerErrorMessage() != null && ONE_ACTIVE_INDEX.equals(p.getServerErrorMessage().getConstraint());
    }
}
