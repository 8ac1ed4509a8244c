package fr.gardien.storage.alerts;

import static fr.gardien.storage.alerts.AlertRows.ALERT_COLUMNS;
import static fr.gardien.storage.alerts.AlertRows.TRANSITION_COLUMNS;
import static fr.gardien.storage.alerts.AlertRows.instant;
import static fr.gardien.storage.alerts.AlertRows.ts;

import fr.gardien.storage.db.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import javax.sql.DataSource;

/**
 * The delivery side of the transactional outbox (issue 4): routing, claiming, recording each
 * try's outcome with its audit row, the dead-letter list and the admin's retry.
 *
 * <p>A claim moves the row's {@code next_attempt_at} to the end of the claim instead of holding a
 * lock while the connector works: a dispatcher that dies mid-delivery leaves nothing locked, and
 * the row is due again once the claim expires (then delivered again with the same idempotency
 * key). Every method is blocking and runs one transaction; times come from the caller's clock.
 * Every method throws {@link StorageException} when the database fails, having changed nothing.
 */
public final class OutboxStore {

    public static final int MAX_LIMIT = 1000;

    private static final String OUTBOX_COLUMNS = "o.id, o.alert_id, o.transition_id, o.idempotency_key, o.connector,"
            + " o.status, o.attempts, o.next_attempt_at, o.created_at, o.delivered_at, o.last_error";
    static final String DELIVERY_COLUMNS = "id, outbox_id, alert_id, digest_id, connector, attempt, at, outcome, status_code,"
            + " error, idempotency_key";
    /** A row waits while an older transition of its alert is still pending: tickets are created before updated. */
    private static final String OLDEST_OF_ITS_ALERT = " AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.alert_id = o.alert_id"
            + " AND p.status = 'pending' AND p.id < o.id)";

    private final DataSource dataSource;

    public OutboxStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * What the router decided for a row: a connector (due not before a time), or skipped with a
     * reason; a row that would open a ticket under a route's daily budget carries that budget.
     */
    public record Routing(String connector, Instant notBefore, String skipReason, Budget budget) {
        public static Routing to(String connector, Instant notBefore) {
            return new Routing(Objects.requireNonNull(connector, "connector"), notBefore, null, null);
        }

        public static Routing skip(String reason) {
            return new Routing(null, null, Objects.requireNonNull(reason, "reason"), null);
        }

        /** The same decision, the ticket it opens counted against {@code budget}. */
        public Routing withBudget(Budget budget) {
            return new Routing(connector, notBefore, skipReason, Objects.requireNonNull(budget, "budget"));
        }
    }

    /**
     * A route's daily ticket budget for one site (issue 4): at most {@code limit} tickets are
     * opened per (route, site, local day); the alerts beyond it are grouped into the day's digest.
     *
     * @param route the route's key (its name, else its position)
     * @param day the site's local day of the routing
     * @param exempt counted but never refused (immediate alerts always get their own ticket)
     * @param digestDue when the day's digest is sent: the day's end, later if the route's quiet
     *     hours say so
     */
    public record Budget(String route, String site, LocalDate day, int limit, boolean exempt, Instant digestDue) {
        public Budget {
            Objects.requireNonNull(route, "route");
            Objects.requireNonNull(site, "site");
            Objects.requireNonNull(day, "day");
            Objects.requireNonNull(digestDue, "digestDue");
            if (limit < 0) {
                throw new IllegalArgumentException("a budget is 0 or more tickets a day");
            }
        }
    }

    /**
     * Routes the pending rows that have no connector yet, or one that is no longer configured,
     * oldest first: each gets the router's connector and earliest time, or is marked skipped
     * with an audit row. A row whose decision carries a {@link Budget} opens a ticket only while
     * the budget lasts; beyond it the row is grouped into the day's digest ('digested', with an
     * audit row), and so are the later rows of an alert once one of its rows was.
     *
     * @param router called inside the transaction, once per row, with the row and the connector
     *     of the latest earlier row of its alert that had one ({@code null} when none: where its
     *     ticket is); must not block
     * @return how many rows were routed, skipped or digested
     */
    public int route(Collection<String> connectors, int limit, Instant now, BiFunction<OutboxItem, String, Routing> router) {
        return inTransaction(c -> {
            List<OutboxEntry> rows = new ArrayList<>();
            Map<Long, String> previous = new LinkedHashMap<>();
            Map<Long, Long> previousDigest = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT " + OUTBOX_COLUMNS + ", (SELECT p.connector FROM outbox p"
                    + " WHERE p.alert_id = o.alert_id AND p.id < o.id AND p.connector IS NOT NULL ORDER BY p.id DESC LIMIT 1)"
                    + " AS previous_connector, (SELECT p.digest_id FROM outbox p WHERE p.alert_id = o.alert_id AND p.id < o.id"
                    + " AND p.digest_id IS NOT NULL ORDER BY p.id DESC LIMIT 1) AS previous_digest"
                    + " FROM outbox o WHERE o.status = 'pending'"
                    + " AND (o.connector IS NULL OR o.connector <> ALL (?)) ORDER BY o.id LIMIT ? FOR UPDATE SKIP LOCKED")) {
                s.setArray(1, c.createArrayOf("text", connectors.toArray()));
                s.setInt(2, limit(limit));
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        OutboxEntry e = entry(r);
                        rows.add(e);
                        previous.put(e.id(), r.getString("previous_connector"));
                        long digest = r.getLong("previous_digest");
                        if (!r.wasNull()) {
                            previousDigest.put(e.id(), digest);
                        }
                    }
                }
            }
            for (OutboxItem item : items(c, rows)) {
                OutboxEntry e = item.entry();
                Long digest = previousDigest.get(e.id());
                if (digest != null) {
                    digested(c, e, digest, now, "its alert is in digest " + digest);
                    continue;
                }
                Routing routing = router.apply(item, previous.get(e.id()));
                if (routing.skipReason() != null) {
                    update(c, "UPDATE outbox SET status = 'skipped', connector = NULL, last_error = ? WHERE id = ?",
                            routing.skipReason(), e.id());
                    audit(c, e, null, e.attempts(), now, OutboxEntry.SKIPPED, 0, routing.skipReason());
                    continue;
                }
                Budget budget = routing.budget();
                if (budget != null && !spend(c, budget)) {
                    digest = joinDigest(c, budget, routing.connector(), now);
                    if (digest != null) {
                        digested(c, e, digest, now, "beyond the daily budget of " + budget.limit() + " ticket(s) of route "
                                + budget.route() + " for " + budget.site() + " on " + budget.day() + ": in digest " + digest);
                        continue;
                    }
                    // The day's digest is already being sent (a clock at the day's edge): a ticket of its own.
                }
                // A row never tried is due on the caller's clock (the database's default is its own
                // now()); a row re-routed after tries keeps its backoff.
                Instant due = routing.notBefore() != null ? routing.notBefore()
                        : e.attempts() == 0 ? now : e.nextAttemptAt();
                update(c, "UPDATE outbox SET connector = ?, next_attempt_at = ? WHERE id = ?", routing.connector(), ts(due),
                        e.id());
            }
            return rows.size();
        });
    }

    /** Counts one ticket against the budget; {@code false} when it is spent (an exempt ticket is always counted). */
    private static boolean spend(Connection c, Budget b) throws SQLException {
        if (!b.exempt() && b.limit() == 0) {
            return false;
        }
        // Yes, the WHERE of ON CONFLICT: a spent budget returns no row, and concurrent dispatchers
        // serialise on the counter's row, so none can overspend it.
        try (PreparedStatement s = c.prepareStatement("INSERT INTO ticket_budgets (route, site, day, used) VALUES (?, ?, ?, 1)"
                + " ON CONFLICT (route, site, day) DO UPDATE SET used = ticket_budgets.used + 1"
                + " WHERE ? OR ticket_budgets.used < ? RETURNING used")) {
            s.setString(1, b.route());
            s.setString(2, b.site());
            s.setObject(3, b.day());
            s.setBoolean(4, b.exempt());
            s.setInt(5, b.limit());
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    /** Adds one alert to the day's digest, opening it if needed; {@code null} when it is already being sent. */
    private static Long joinDigest(Connection c, Budget b, String connector, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO ticket_digests (route, site, day, connector, budget, alerts,"
                + " next_attempt_at, created_at, idempotency_key) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)"
                + " ON CONFLICT (route, site, day) DO UPDATE SET alerts = ticket_digests.alerts + 1"
                + " WHERE ticket_digests.status = 'pending' AND ticket_digests.attempts = 0 RETURNING id")) {
            s.setString(1, b.route());
            s.setString(2, b.site());
            s.setObject(3, b.day());
            s.setString(4, connector);
            s.setInt(5, b.limit());
            s.setObject(6, ts(b.digestDue()));
            s.setObject(7, ts(now));
            s.setString(8, "digest:" + b.site() + ":" + b.day() + ":" + b.route());
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : null;
            }
        }
    }

    private static void digested(Connection c, OutboxEntry e, long digest, Instant now, String reason) throws SQLException {
        update(c, "UPDATE outbox SET status = 'digested', digest_id = ?, last_error = ?,"
                + " connector = (SELECT d.connector FROM ticket_digests d WHERE d.id = ?) WHERE id = ?", digest, reason, digest, e.id());
        audit(c, e, null, e.attempts(), now, OutboxEntry.DIGESTED, 0, reason);
    }

    /**
     * Claims up to {@code limit} due rows of a connector, oldest due first and only the oldest
     * pending row of each alert: counts the try (attempts + 1) and moves {@code next_attempt_at}
     * to {@code claimUntil}, so that the row is due again then unless an outcome is recorded.
     *
     * @return the claimed rows with their alert and transition; their attempts count this try
     */
    public List<OutboxItem> claim(String connector, int limit, Instant now, Instant claimUntil) {
        if (limit <= 0) {
            return List.of();
        }
        return inTransaction(c -> {
            List<OutboxEntry> rows = Sql.query(c, "UPDATE outbox o SET attempts = o.attempts + 1, next_attempt_at = ?"
                    + " WHERE o.id IN (SELECT o.id FROM outbox o WHERE o.status = 'pending' AND o.connector = ?"
                    + " AND o.next_attempt_at <= ?" + OLDEST_OF_ITS_ALERT
                    + " ORDER BY o.next_attempt_at, o.id LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING " + OUTBOX_COLUMNS,
                    OutboxStore::entry, ts(claimUntil), connector, ts(now), limit(limit));
            return items(c, rows);
        });
    }

    /**
     * Records a successful try: the row delivered, the alert's ticket (connector, reference when
     * the system gave one, else the one it had in that connector, status), an audit row.
     *
     * @return {@code false} when the row was no longer pending (delivered by another try after
     *     its claim expired, or changed by an admin): only the audit row is written
     */
    public boolean delivered(OutboxEntry e, Instant at, String ticketRef, String ticketStatus, int statusCode) {
        return inTransaction(c -> {
            int n = update(c, "UPDATE outbox SET status = 'delivered', delivered_at = ?, last_error = NULL"
                    + " WHERE id = ? AND status = 'pending'", ts(at), e.id());
            if (n == 1) {
                update(c, "UPDATE alerts SET ticket_ref = COALESCE(?, CASE WHEN ticket_connector = ? THEN ticket_ref END),"
                        + " ticket_connector = ?, ticket_status = COALESCE(?, ticket_status) WHERE id = ?",
                        ticketRef, e.connector(), e.connector(), ticketStatus, e.alertId());
            }
            audit(c, e, e.connector(), e.attempts(), at, OutboxEntry.DELIVERED, statusCode, null);
            return n == 1;
        });
    }

    /**
     * Records a failed try: back to pending, due at {@code nextAttemptAt}, or dead when
     * {@code nextAttemptAt} is {@code null}; with an audit row (outcome retry or dead).
     *
     * @return {@code false} when the row was no longer pending: only the audit row is written
     */
    public boolean failed(OutboxEntry e, Instant at, Instant nextAttemptAt, int statusCode, String error) {
        return inTransaction(c -> {
            boolean dead = nextAttemptAt == null;
            int n = dead
                    ? update(c, "UPDATE outbox SET status = 'dead', last_error = ? WHERE id = ? AND status = 'pending'", error, e.id())
                    : update(c, "UPDATE outbox SET next_attempt_at = ?, last_error = ? WHERE id = ? AND status = 'pending'",
                            ts(nextAttemptAt), error, e.id());
            audit(c, e, e.connector(), e.attempts(), at, dead ? OutboxEntry.DEAD : "retry", statusCode, error);
            return n == 1;
        });
    }

    /** The outbox rows of a status, newest first. */
    public List<OutboxEntry> list(String status, int limit) {
        return inTransaction(c -> Sql.query(c, "SELECT " + OUTBOX_COLUMNS + " FROM outbox o"
                + " WHERE (?::text IS NULL OR o.status = ?) ORDER BY o.id DESC LIMIT ?", OutboxStore::entry,
                status, status, limit(limit)));
    }

    /** One outbox row. */
    public Optional<OutboxEntry> get(long id) {
        return inTransaction(c -> Optional.ofNullable(byId(c, id)));
    }

    /** The audit, newest first; {@code alertId} and {@code outcome} filter when not {@code null}. */
    public List<DeliveryRecord> deliveries(Long alertId, String outcome, int limit) {
        return inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + DELIVERY_COLUMNS + " FROM deliveries"
                    + " WHERE (?::bigint IS NULL OR alert_id = ?) AND (?::text IS NULL OR outcome = ?) ORDER BY id DESC LIMIT ?")) {
                s.setObject(1, alertId);
                s.setObject(2, alertId);
                s.setString(3, outcome);
                s.setString(4, outcome);
                s.setInt(5, limit(limit));
                return Sql.list(s, OutboxStore::deliveryRecord);
            }
        });
    }

    /**
     * An admin's retry of a dead row: back to pending, attempts 0, due at {@code now}.
     *
     * @return empty when there is no such row; else the row, {@code retried} false when it was not dead
     */
    public Optional<Retry> retry(long id, Instant now) {
        return inTransaction(c -> {
            OutboxEntry current = byId(c, id);
            if (current == null) {
                return Optional.empty();
            }
            int n = update(c, "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, last_error = NULL"
                    + " WHERE id = ? AND status = 'dead'", ts(now), id);
            return Optional.of(new Retry(n == 1 ? byId(c, id) : current, n == 1));
        });
    }

    /** The outcome of {@link #retry}. */
    public record Retry(OutboxEntry entry, boolean retried) {
    }

    // --- rows

    private static OutboxEntry byId(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + OUTBOX_COLUMNS + " FROM outbox o WHERE o.id = ?")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? entry(r) : null;
            }
        }
    }

    private static List<OutboxItem> items(Connection c, List<OutboxEntry> rows) throws SQLException {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Long, OutboxItem> byTransition = new LinkedHashMap<>();
        Long[] ids = rows.stream().map(OutboxEntry::transitionId).toArray(Long[]::new);
        Map<Long, OutboxEntry> entries = new LinkedHashMap<>();
        rows.forEach(e -> entries.put(e.transitionId(), e));
        try (PreparedStatement s = c.prepareStatement("SELECT " + ALERT_COLUMNS + ", " + TRANSITION_COLUMNS
                + " FROM alert_transitions t JOIN alerts a ON a.id = t.alert_id WHERE t.id = ANY (?)")) {
            s.setArray(1, c.createArrayOf("bigint", ids));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    AlertTransition t = AlertRows.transition(r);
                    byTransition.put(t.id(), new OutboxItem(entries.get(t.id()), AlertRows.alert(r), t));
                }
            }
        }
        List<OutboxItem> items = new ArrayList<>(rows.size());
        for (OutboxEntry e : rows) {
            items.add(byTransition.get(e.transitionId()));
        }
        return items;
    }

    static DeliveryRecord deliveryRecord(ResultSet r) throws SQLException {
        return new DeliveryRecord(r.getLong("id"), nullableLong(r, "outbox_id"), nullableLong(r, "alert_id"),
                nullableLong(r, "digest_id"), r.getString("connector"), r.getInt("attempt"), instant(r, "at"),
                r.getString("outcome"), nullableInt(r, "status_code"), r.getString("error"), r.getString("idempotency_key"));
    }

    private static Long nullableLong(ResultSet r, String column) throws SQLException {
        long v = r.getLong(column);
        return r.wasNull() ? null : v;
    }

    private static Integer nullableInt(ResultSet r, String column) throws SQLException {
        int v = r.getInt(column);
        return r.wasNull() ? null : v;
    }

    private static OutboxEntry entry(ResultSet r) throws SQLException {
        return new OutboxEntry(r.getLong("id"), r.getLong("alert_id"), r.getLong("transition_id"), r.getString("idempotency_key"),
                r.getString("connector"), r.getString("status"), r.getInt("attempts"), instant(r, "next_attempt_at"),
                instant(r, "created_at"), instant(r, "delivered_at"), r.getString("last_error"));
    }

    private static void audit(Connection c, OutboxEntry e, String connector, int attempt, Instant at, String outcome,
            int statusCode, String error) throws SQLException {
        update(c, "INSERT INTO deliveries (outbox_id, alert_id, connector, attempt, at, outcome, status_code, error,"
                        + " idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                e.id(), e.alertId(), connector, attempt, ts(at), outcome, statusCode == 0 ? null : statusCode, error,
                e.idempotencyKey());
    }

    static int limit(int limit) {
        return Math.max(1, Math.min(limit, MAX_LIMIT));
    }

    private static int update(Connection c, String sql, Object... params) throws SQLException {
        return Sql.update(c, sql, params);
    }

    private <T> T inTransaction(Sql.Work<T> work) {
        return Sql.inTransaction(dataSource, "outbox store", work);
    }
}
