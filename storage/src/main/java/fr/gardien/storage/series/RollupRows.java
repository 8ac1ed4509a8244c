package fr.gardien.storage.series;

import static fr.gardien.storage.series.RollupSegments.MICROS_PER_HOUR;

import fr.gardien.storage.series.RollupSegments.Segment;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The SQL that the rollup passes ({@link RollupStore}) and the real-time series queries
 * ({@link RealTimeRollups}) share: reading the log, the stored hour rows of some (point, hour)
 * keys, and the fold of some hours from the raw readings. Each runs on the caller's connection
 * and transaction, so a caller in one REPEATABLE READ snapshot sees the log, the rollups and the
 * readings as of the same instant.
 */
final class RollupRows {

    /**
     * In id order: a lane's transactions take their ids in the order they commit, so a site's
     * segments come in time order and append (the heap's order, after deletes, is any order).
     */
    private static final String LOG = "SELECT id, segments FROM rollup_log ORDER BY id";

    /** A time in epoch microseconds, exactly (extract gives a numeric). */
    private static final String MICROS = "(extract(epoch FROM %s) * 1000000)::bigint";

    private static final String STORED_HOURS = """
            SELECT h.point_id, k.hr, h.count, h.sum, h.min, h.max, h.first_v, h.last_v, %s, h.increase
            FROM unnest(?::int[], ?::int[]) AS k(p, hr)
            JOIN readings_1h h ON h.point_id = k.p AND h.bucket = timestamptz 'epoch' + k.hr * interval '1 hour'"""
            .formatted(MICROS.formatted("h.last_ts"));

    /**
     * One reading per time (the smallest value of duplicates, as the raw query orders them), then
     * the steps between consecutive readings of the hour.
     */
    private static final String RAW_HOURS = """
            WITH k AS (
                SELECT p, hr, timestamptz 'epoch' + hr * interval '1 hour' AS hour FROM unnest(?::int[], ?::int[]) AS k(p, hr)),
            r AS (
                SELECT k.p, k.hr, x.ts, x.value
                FROM k CROSS JOIN LATERAL (
                    SELECT DISTINCT ON (r.ts) r.ts, r.value FROM readings r
                    WHERE r.point_id = k.p AND r.ts >= k.hour AND r.ts < k.hour + interval '1 hour'
                      AND r.value IS NOT NULL
                    ORDER BY r.ts, r.value) x),
            s AS (
                SELECT *, value - lag(value) OVER (PARTITION BY p, hr ORDER BY ts) AS step FROM r)
            SELECT p, hr, count(*), sum(value), min(value), max(value),
                   %s, (array_agg(value ORDER BY ts))[1], %s, (array_agg(value ORDER BY ts DESC))[1],
                   coalesce(sum(greatest(step, 0)), 0)
            FROM s GROUP BY p, hr""".formatted(MICROS.formatted("min(ts)"), MICROS.formatted("max(ts)"));

    private RollupRows() {
    }

    /**
     * Reads every log row visible to the transaction, segment by segment (a cursor: the log may
     * hold a backlog), and adds the segments of the points {@code wanted} accepts to
     * {@code pending}. The caller's connection must not be in auto-commit mode.
     *
     * @return the highest log row id read, or -1 when the log was empty
     */
    static long readLog(Connection c, IntPredicate wanted, PendingRollups pending) throws SQLException {
        long maxId = -1;
        try (PreparedStatement s = c.prepareStatement(LOG)) {
            s.setFetchSize(64);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    maxId = Math.max(maxId, r.getLong(1));
                    RollupSegments.decode(r.getBytes(2), wanted, pending::add);
                }
            }
        }
        return maxId;
    }

    /** The stored hour rows of some keys (absent: no row). A stored row's first time is its hour's start. */
    static Map<Long, RollupFold> storedHours(Connection c, Collection<Long> keys) throws SQLException {
        return hours(c, STORED_HOURS, keys, false);
    }

    /** The hours of some keys folded from the raw readings (absent: the hour has no numeric reading). */
    static Map<Long, RollupFold> rawHours(Connection c, Collection<Long> keys) throws SQLException {
        return hours(c, RAW_HOURS, keys, true);
    }

    /**
     * The hour rows that result from the pending data: for each key, the stored row with its
     * pending segments appended, or, where they do not lie wholly after it (or the key was a
     * refold key), the fold of the raw readings. A value of null: the hour has no numeric
     * reading (any stored row for it must go).
     */
    static Resolved resolve(Connection c, PendingRollups pending) throws SQLException {
        Map<Long, RollupFold> stored = storedHours(c, pending.keys());
        Map<Long, RollupFold> result = new HashMap<>();
        java.util.List<Long> raw = new java.util.ArrayList<>(pending.refold());
        for (Long key : pending.merged().keySet()) {
            RollupFold folded = pending.onto(key, stored.get(key));
            if (folded == null) {
                raw.add(key);
            } else {
                result.put(key, folded);
            }
        }
        if (!raw.isEmpty()) {
            Map<Long, RollupFold> fromReadings = rawHours(c, raw);
            for (Long key : raw) {
                result.put(key, fromReadings.get(key));
            }
        }
        return new Resolved(result, raw.size());
    }

    /** The resolved hour rows, and how many of them were folded from the raw readings. */
    record Resolved(Map<Long, RollupFold> hours, int fromReadings) {
    }

    private static Map<Long, RollupFold> hours(Connection c, String sql, Collection<Long> keys, boolean firstFromRow)
            throws SQLException {
        Map<Long, RollupFold> result = new HashMap<>();
        if (keys.isEmpty()) {
            return result;
        }
        int[] points = new int[keys.size()];
        int[] hours = new int[keys.size()];
        int i = 0;
        for (long key : keys) {
            points[i] = Segment.pointOf(key);
            hours[i] = Segment.hourOf(key);
            i++;
        }
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, points);
            s.setObject(2, hours);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    int point = r.getInt(1);
                    int hour = r.getInt(2);
                    RollupFold f = firstFromRow
                            ? new RollupFold(r.getLong(3), r.getDouble(4), r.getDouble(5), r.getDouble(6), r.getLong(7),
                                    r.getDouble(8), r.getLong(9), r.getDouble(10), r.getDouble(11))
                            : new RollupFold(r.getLong(3), r.getDouble(4), r.getDouble(5), r.getDouble(6),
                                    hour * MICROS_PER_HOUR, r.getDouble(7), r.getLong(9), r.getDouble(8), r.getDouble(10));
                    result.put(Segment.key(point, hour), f);
                }
            }
        }
        return result;
    }
}
