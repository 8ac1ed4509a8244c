package fr.gardien.storage.retention;

import fr.gardien.storage.db.StorageException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Deletes what is past its retention (issue 14): raw readings and rollups per point category,
 * resolved alerts with their transitions, outbox rows and delivery audit, and replaces the names
 * and notes of people in acknowledgements, resolutions and silences. Blocking (JDBC): run it on
 * the database worker pool. Each kind is purged in a transaction of its own, so one failing
 * leaves the others done.
 */
public final class RetentionPurger {

    /** What replaces a person's name once its retention is over; no key is kept, it cannot be reversed. */
    public static final String PSEUDONYM = "pseudonymised";
    /** The alert lifecycle's own name in {@code by} columns: not a person. */
    static final String ENGINE = "gardien";

    private final DataSource dataSource;

    public RetentionPurger(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Purges everything past {@code policy} at {@code now}.
     *
     * @return rows deleted or rewritten, by what ({@code readings}, {@code readings_1h},
     *     {@code readings_1d}, {@code alerts}, {@code alert_transitions}, {@code outbox},
     *     {@code deliveries}, {@code names})
     * @throws StorageException when the database refuses
     */
    public Map<String, Integer> purge(RetentionPolicy policy, Instant now) {
        Map<String, Integer> counts = new TreeMap<>();
        try (Connection c = dataSource.getConnection()) {
            for (var e : policy.categories().entrySet()) {
                Instant raw = now.minus(e.getValue().raw());
                Instant rollups = now.minus(e.getValue().rollups());
                add(counts, "readings", update(c, "DELETE FROM readings WHERE ts < ? AND point_id IN"
                        + " (SELECT id FROM points WHERE category = ?)", ts(raw), e.getKey()));
                add(counts, "readings_1h", update(c, "DELETE FROM readings_1h WHERE bucket < ? AND point_id IN"
                        + " (SELECT id FROM points WHERE category = ?)", ts(rollups), e.getKey()));
                add(counts, "readings_1d", update(c, "DELETE FROM readings_1d WHERE bucket < ? AND point_id IN"
                        + " (SELECT id FROM points WHERE category = ?)", ts(rollups), e.getKey()));
            }
            purgeAlerts(c, now.minus(policy.alerts()), counts);
            pseudonymise(c, now.minus(policy.names()), counts);
        } catch (SQLException e) {
            throw new StorageException("retention purge failed: " + e.getMessage(), e);
        }
        return counts;
    }

    /** Resolved alerts older than {@code cutoff}, unless a delivery of theirs is still pending (never lost). */
    private static void purgeAlerts(Connection c, Instant cutoff, Map<String, Integer> counts) throws SQLException {
        String old = "SELECT a.id FROM alerts a WHERE a.state = 'resolved' AND a.resolved_at < ?"
                + " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.alert_id = a.id AND o.status = 'pending')";
        c.setAutoCommit(false);
        try {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(old + " FOR UPDATE")) {
                s.setObject(1, ts(cutoff));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            if (!ids.isEmpty()) {
                Array array = c.createArrayOf("bigint", ids.toArray());
                add(counts, "deliveries", update(c, "DELETE FROM deliveries WHERE alert_id = ANY (?)", array));
                add(counts, "outbox", update(c, "DELETE FROM outbox WHERE alert_id = ANY (?)", array));
                add(counts, "alert_transitions", update(c, "DELETE FROM alert_transitions WHERE alert_id = ANY (?)", array));
                add(counts, "alerts", update(c, "DELETE FROM alerts WHERE id = ANY (?)", array));
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Names and notes of people older than {@code cutoff}: acknowledgements, resolutions, silences. */
    private static void pseudonymise(Connection c, Instant cutoff, Map<String, Integer> counts) throws SQLException {
        OffsetDateTime before = ts(cutoff);
        int n = update(c, "UPDATE alerts SET acknowledged_by = ? WHERE acknowledged_at < ? AND acknowledged_by NOT IN (?, ?)",
                PSEUDONYM, before, PSEUDONYM, ENGINE);
        n += update(c, "UPDATE alerts SET resolved_by = ?, resolution_note = NULL WHERE resolved_at < ?"
                + " AND (resolved_by NOT IN (?, ?) OR resolution_note IS NOT NULL)", PSEUDONYM, before, PSEUDONYM, ENGINE);
        n += update(c, "UPDATE alert_transitions SET by = ?, detail = detail - 'note' WHERE at < ?"
                + " AND (by NOT IN (?, ?) OR jsonb_exists(detail, 'note'))", PSEUDONYM, before, PSEUDONYM, ENGINE);
        n += update(c, "UPDATE silences SET created_by = ?, reason = '' WHERE ends_at < ? AND created_by <> ?",
                PSEUDONYM, before, PSEUDONYM);
        add(counts, "names", n);
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        }
    }

    private static void add(Map<String, Integer> counts, String what, int n) {
        counts.merge(what, n, Integer::sum);
    }

    private static OffsetDateTime ts(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
