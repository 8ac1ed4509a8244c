package fr.gardien.storage.series;

import static fr.gardien.storage.series.RollupSegments.MICROS_PER_HOUR;

import fr.gardien.storage.series.RollupSegments.Segment;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a bucketed query adds to the stored rollups so that every committed reading is in its
 * answer: the hours that the rollup log's unfolded segments change, resolved as a pass would
 * resolve them ({@link RollupRows#resolve}), and the local days that contain them, refolded from
 * their hours. Read in the query's own REPEATABLE READ snapshot, so a pass committing meanwhile
 * neither hides a reading nor shows it twice: TimescaleDB's real-time aggregates, for our
 * rollups, on plain PostgreSQL and TimescaleDB alike.
 */
final class RealTimeRollups {

    private static final RealTimeRollups NONE = new RealTimeRollups(Map.of());

    private static final String HOURS_OF_DAYS = """
            SELECT q.i, extract(epoch FROM h.bucket)::bigint / 3600, h.count, h.sum, h.min, h.max, h.first_v, h.last_v,
                   (extract(epoch FROM h.last_ts) * 1000000)::bigint, h.increase
            FROM unnest(?::int[], ?::bigint[], ?::bigint[]) WITH ORDINALITY AS q(p, f, t, i)
            JOIN readings_1h h ON h.point_id = q.p AND h.bucket >= to_timestamp(q.f) AND h.bucket < to_timestamp(q.t)""";

    /** Per point, the resolved hours (hours since the epoch): a fold, or null for an hour left without readings. */
    private final Map<Integer, NavigableMap<Integer, RollupFold>> hoursByPoint;

    private RealTimeRollups(Map<Integer, NavigableMap<Integer, RollupFold>> hoursByPoint) {
        this.hoursByPoint = hoursByPoint;
    }

    /**
     * Reads the unfolded segments of {@code points} and resolves their hours, on the caller's
     * connection, which must be in a REPEATABLE READ transaction that also reads the rollups.
     */
    static RealTimeRollups read(Connection c, Set<Integer> points) throws SQLException {
        PendingRollups pending = new PendingRollups();
        RollupRows.readLog(c, points::contains, pending);
        if (pending.isEmpty()) {
            return NONE;
        }
        Map<Integer, NavigableMap<Integer, RollupFold>> byPoint = new HashMap<>();
        RollupRows.resolve(c, pending).hours().forEach((key, fold) ->
                byPoint.computeIfAbsent(Segment.pointOf(key), p -> new TreeMap<>()).put(Segment.hourOf(key), fold));
        return new RealTimeRollups(byPoint);
    }

    boolean isEmpty() {
        return hoursByPoint.isEmpty();
    }

    /** The resolved hours of a point in [from, to) (hour starts); a null value: no readings left in it. */
    NavigableMap<Integer, RollupFold> hours(int point, Instant from, Instant to) {
        NavigableMap<Integer, RollupFold> own = hoursByPoint.get(point);
        if (own == null) {
            return new TreeMap<>();
        }
        return own.subMap(hourAtOrAfter(from), true, hourAtOrAfter(to), false);
    }

    /** The latest resolved hour of a point that starts before {@code t}, with a fold; null when none. */
    Map.Entry<Integer, RollupFold> lastBefore(int point, Instant t) {
        NavigableMap<Integer, RollupFold> own = hoursByPoint.get(point);
        if (own == null) {
            return null;
        }
        for (Map.Entry<Integer, RollupFold> e : own.headMap(hourAtOrAfter(t), false).descendingMap().entrySet()) {
            if (e.getValue() != null) {
                return e;
            }
        }
        return null;
    }

    /** A local day to refold: a point, its zone, the day's start and end. */
    record Day(int point, ZoneId zone, Instant start, Instant end) {
    }

    /**
     * The local days of each range (in its zone) that contain a resolved hour, refolded from their
     * hours: the stored ones, with the resolved ones in their place. A day left with no hour has a
     * null fold (its stored row, if any, no longer holds).
     *
     * @return per range, by the day's start in epoch seconds
     */
    List<Map<Long, RollupFold>> days(Connection c, List<PointRange> ranges) throws SQLException {
        List<Day> days = new ArrayList<>();
        List<Integer> rangeOf = new ArrayList<>();
        for (int i = 0; i < ranges.size(); i++) {
            PointRange r = ranges.get(i);
            NavigableMap<Integer, RollupFold> own = hoursByPoint.get(r.pointId());
            if (own == null) {
                continue;
            }
            Set<Instant> seen = new HashSet<>();
            for (int hour : own.keySet()) {
                Instant start = Bucket.DAY.floor(Instant.ofEpochSecond(hour * 3600L), r.zone());
                if (!start.isBefore(r.from()) && start.isBefore(r.to()) && seen.add(start)) {
                    days.add(new Day(r.pointId(), r.zone(), start, Bucket.DAY.next(start, r.zone())));
                    rangeOf.add(i);
                }
            }
        }
        List<Map<Long, RollupFold>> result = new ArrayList<>(ranges.size());
        for (int i = 0; i < ranges.size(); i++) {
            result.add(new HashMap<>());
        }
        if (days.isEmpty()) {
            return result;
        }
        List<NavigableMap<Integer, RollupFold>> stored = storedHours(c, days);
        for (int d = 0; d < days.size(); d++) {
            Day day = days.get(d);
            NavigableMap<Integer, RollupFold> hours = stored.get(d);
            hours.putAll(hours(day.point(), day.start(), day.end()));
            RollupFold folded = null;
            for (RollupFold h : hours.values()) {
                if (h == null) {
                    continue;
                }
                if (folded == null) {
                    folded = h.copy();
                } else {
                    folded.append(h); // hours are disjoint and in order
                }
            }
            result.get(rangeOf.get(d)).put(day.start().getEpochSecond(), folded);
        }
        return result;
    }

    private static List<NavigableMap<Integer, RollupFold>> storedHours(Connection c, Collection<Day> days) throws SQLException {
        int n = days.size();
        int[] points = new int[n];
        long[] from = new long[n];
        long[] to = new long[n];
        List<NavigableMap<Integer, RollupFold>> result = new ArrayList<>(n);
        int i = 0;
        for (Day d : days) {
            points[i] = d.point();
            from[i] = d.start().getEpochSecond();
            to[i] = d.end().getEpochSecond();
            result.add(new TreeMap<>());
            i++;
        }
        try (PreparedStatement s = c.prepareStatement(HOURS_OF_DAYS)) {
            s.setObject(1, points);
            s.setObject(2, from);
            s.setObject(3, to);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    int hour = r.getInt(2);
                    result.get(r.getInt(1) - 1).put(hour, new RollupFold(r.getLong(3), r.getDouble(4), r.getDouble(5),
                            r.getDouble(6), hour * MICROS_PER_HOUR, r.getDouble(7), r.getLong(9), r.getDouble(8),
                            r.getDouble(10)));
                }
            }
        }
        return result;
    }

    private static int hourAtOrAfter(Instant t) {
        return (int) Math.floorDiv(t.getEpochSecond() + 3599, 3600);
    }
}
