package fr.gardien.storage.alerts;

import static fr.gardien.storage.alerts.AlertRows.ALERT_COLUMNS;
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
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The delivery side of digest tickets (issue 4), the twin of {@link OutboxStore}'s for a
 * (route, site, day) instead of an alert transition: claims that expire instead of locks, each
 * try's outcome recorded with its audit row, dead letters and the admin's retry. Digests are
 * opened by {@link OutboxStore#route} when a route's daily budget is spent. Every method is
 * blocking, runs one transaction and throws {@link StorageException} when the database fails,
 * having changed nothing.
 */
public final class DigestStore {

    private static final String COLUMNS = "d.id, d.route, d.site, d.day, d.connector, d.budget, d.alerts, d.status,"
            + " d.attempts, d.next_attempt_at, d.created_at, d.delivered_at, d.ticket_ref, d.last_error, d.idempotency_key";

    private final DataSource dataSource;

    public DigestStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Claims up to {@code limit} due digests of a connector, oldest due first: counts the try and
     * moves {@code next_attempt_at} to {@code claimUntil}. From the first claim on, no alert joins
     * the digest any more.
     *
     * @return the claimed digests with their alerts; their attempts count this try
     */
    public List<DigestItem> claim(String connector, int limit, Instant now, Instant claimUntil) {
        if (limit <= 0) {
            return List.of();
        }
        return inTransaction(c -> {
            List<DigestEntry> rows = Sql.query(c, "UPDATE ticket_digests d SET attempts = d.attempts + 1,"
                    + " next_attempt_at = ? WHERE d.id IN (SELECT d.id FROM ticket_digests d WHERE d.status = 'pending'"
                    + " AND d.connector = ? AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at, d.id LIMIT ?"
                    + " FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS, DigestStore::entry,
                    ts(claimUntil), connector, ts(now), OutboxStore.limit(limit));
            List<DigestItem> items = new ArrayList<>(rows.size());
            for (DigestEntry d : rows) {
                items.add(new DigestItem(d, alerts(c, d.id())));
            }
            return items;
        });
    }

    /**
     * Records a successful try: the digest delivered with the system's reference, the alerts it
     * groups given that ticket (status {@code digest}) when they have none, an audit row.
     *
     * @return {@code false} when the digest was no longer pending: only the audit row is written
     */
    public boolean delivered(DigestEntry d, Instant at, String ticketRef, int statusCode) {
        return inTransaction(c -> {
            int n = Sql.update(c, "UPDATE ticket_digests SET status = 'delivered', delivered_at = ?, ticket_ref = ?,"
                    + " last_error = NULL WHERE id = ? AND status = 'pending'", ts(at), ticketRef, d.id());
            if (n == 1) {
                Sql.update(c, "UPDATE alerts SET ticket_connector = ?, ticket_ref = ?, ticket_status = 'digest'"
                        + " WHERE ticket_connector IS NULL AND id IN (SELECT alert_id FROM outbox WHERE digest_id = ?)",
                        d.connector(), ticketRef, d.id());
            }
            audit(c, d, at, "delivered", statusCode, null);
            return n == 1;
        });
    }

    /**
     * Records a failed try: back to pending, due at {@code nextAttemptAt}, or dead when it is
     * {@code null}; with an audit row (outcome retry or dead).
     *
     * @return {@code false} when the digest was no longer pending: only the audit row is written
     */
    public boolean failed(DigestEntry d, Instant at, Instant nextAttemptAt, int statusCode, String error) {
        return inTransaction(c -> {
            boolean dead = nextAttemptAt == null;
            int n = dead
                    ? Sql.update(c, "UPDATE ticket_digests SET status = 'dead', last_error = ? WHERE id = ? AND status = 'pending'",
                            error, d.id())
                    : Sql.update(c, "UPDATE ticket_digests SET next_attempt_at = ?, last_error = ? WHERE id = ?"
                            + " AND status = 'pending'", ts(nextAttemptAt), error, d.id());
            audit(c, d, at, dead ? "dead" : "retry", statusCode, error);
            return n == 1;
        });
    }

    /** The digests of a status (all when {@code null}), newest first. */
    public List<DigestEntry> list(String status, int limit) {
        return inTransaction(c -> Sql.query(c, "SELECT " + COLUMNS + " FROM ticket_digests d"
                + " WHERE (?::text IS NULL OR d.status = ?) ORDER BY d.id DESC LIMIT ?", DigestStore::entry,
                status, status, OutboxStore.limit(limit)));
    }

    /** One digest with the ids of the alerts it groups, oldest first. */
    public Optional<DigestWithAlerts> get(long id) {
        return inTransaction(c -> {
            DigestEntry d = byId(c, id);
            if (d == null) {
                return Optional.empty();
            }
            return Optional.of(new DigestWithAlerts(d, alerts(c, id).stream().map(Alert::id).toList()));
        });
    }

    /** A digest and the ids of its alerts. */
    public record DigestWithAlerts(DigestEntry digest, List<Long> alertIds) {
    }

    /**
     * An admin's retry of a dead digest: back to pending, attempts 0, due at {@code now}.
     *
     * @return empty when there is no such digest; else the digest, {@code retried} false when it was not dead
     */
    public Optional<Retry> retry(long id, Instant now) {
        return inTransaction(c -> {
            DigestEntry current = byId(c, id);
            if (current == null) {
                return Optional.empty();
            }
            int n = Sql.update(c, "UPDATE ticket_digests SET status = 'pending', attempts = 0, next_attempt_at = ?,"
                    + " last_error = NULL WHERE id = ? AND status = 'dead'", ts(now), id);
            return Optional.of(new Retry(n == 1 ? byId(c, id) : current, n == 1));
        });
    }

    /** The outcome of {@link #retry}. */
    public record Retry(DigestEntry entry, boolean retried) {
    }

    // --- rows

    private static List<Alert> alerts(Connection c, long digestId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + ALERT_COLUMNS + " FROM alerts a WHERE a.id IN"
                + " (SELECT o.alert_id FROM outbox o WHERE o.digest_id = ?) ORDER BY a.first_seen, a.id")) {
            s.setLong(1, digestId);
            return Sql.list(s, AlertRows::alert);
        }
    }

    private static DigestEntry byId(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM ticket_digests d WHERE d.id = ?")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? entry(r) : null;
            }
        }
    }

    private static DigestEntry entry(ResultSet r) throws SQLException {
        return new DigestEntry(r.getLong("id"), r.getString("route"), r.getString("site"),
                r.getObject("day", LocalDate.class), r.getString("connector"), r.getInt("budget"), r.getInt("alerts"),
                r.getString("status"), r.getInt("attempts"), instant(r, "next_attempt_at"), instant(r, "created_at"),
                instant(r, "delivered_at"), r.getString("ticket_ref"), r.getString("last_error"), r.getString("idempotency_key"));
    }

    private static void audit(Connection c, DigestEntry d, Instant at, String outcome, int statusCode, String error)
            throws SQLException {
        Sql.update(c, "INSERT INTO deliveries (digest_id, connector, attempt, at, outcome, status_code, error, idempotency_key)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", d.id(), d.connector(), d.attempts(), ts(at), outcome,
                statusCode == 0 ? null : statusCode, error, d.idempotencyKey());
    }

    private <T> T inTransaction(Sql.Work<T> work) {
        return Sql.inTransaction(dataSource, "digest store", work);
    }
}
