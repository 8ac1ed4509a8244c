package fr.gardien.storage.series;

import fr.gardien.model.Reading;
import fr.gardien.storage.db.Failures;
import fr.gardien.storage.db.Sql;
import fr.gardien.storage.db.StorageException;
import fr.gardien.storage.series.RollupSegments.Segment;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Keeps the hourly and daily rollups ({@code readings_1h}, {@code readings_1d}, see
 * V5__rollups.sql) current, incrementally (V9__rollup_log.sql).
 *
 * <p><b>Writers</b> ({@link #log}) add, in the readings' own transaction, one {@code rollup_log}
 * row holding what the transaction adds to each (point, hour) it touches, computed in memory
 * ({@link RollupSegments}). The log has no unique key and is only ever inserted into by writers
 * and deleted from by passes: a writer never waits for a lock that rollup work holds.
 *
 * <p><b>A pass</b> ({@link #refresh}) reads the log in one REPEATABLE READ snapshot, merges the
 * segments per (point, hour), and folds them into the stored hour rows: appended when they lie
 * wholly after what the row holds (live data: the cost is what arrived), refolded from the raw
 * readings of that one hour otherwise (late data, a reading stored twice, a reset of the row).
 * The raw readings read then are those of the same snapshot, so they hold exactly the segments
 * the pass deletes. The local days containing the touched hours are then recomputed from their
 * hours (at most 25 rows each). One pass at a time across processes (an advisory lock); a
 * process that finds it taken skips its turn.
 *
 * <p>All methods block; run them on a worker.
 */
public final class RollupStore {

    /** The advisory lock that serialises passes, rebuilds and day repairs across processes ("rollup"). */
    static final long LOCK = 0x726f6c6c7570L;

    private static final String APPEND_LOG = "INSERT INTO rollup_log (segments) VALUES (?)";

    private static final String UPSERT_HOURS = """
            INSERT INTO readings_1h (point_id, bucket, count, sum, min, max, first_v, last_v, last_ts, increase)
            SELECT p, timestamptz 'epoch' + hr * interval '1 hour', c, s, mi, ma, f, l,
                   timestamptz 'epoch' + lt * interval '1 microsecond', inc
            FROM unnest(?::int[], ?::int[], ?::bigint[], ?::float8[], ?::float8[], ?::float8[], ?::float8[], ?::float8[],
                        ?::bigint[], ?::float8[]) AS u(p, hr, c, s, mi, ma, f, l, lt, inc)
            ON CONFLICT (point_id, bucket) DO UPDATE SET count = excluded.count, sum = excluded.sum, min = excluded.min,
                max = excluded.max, first_v = excluded.first_v, last_v = excluded.last_v, last_ts = excluded.last_ts,
                increase = excluded.increase""";

    private static final String DELETE_HOUR_KEYS = """
            DELETE FROM readings_1h h USING unnest(?::int[], ?::int[]) AS k(p, hr)
            WHERE h.point_id = k.p AND h.bucket = timestamptz 'epoch' + k.hr * interval '1 hour'""";

    private static final String DAYS_TABLE = """
            CREATE TEMP TABLE IF NOT EXISTS rollup_days (point_id int, day timestamptz, timezone text) ON COMMIT DELETE ROWS""";

    /** A transaction may list days twice (a rebuild folds the log first): each list starts empty. */
    private static final String DAYS_CLEAR = "DELETE FROM rollup_days";

    private static final String DAYS_OF_KEYS = """
            INSERT INTO rollup_days
            SELECT DISTINCT k.p, date_trunc('day', timestamptz 'epoch' + k.hr * interval '1 hour', s.timezone), s.timezone
            FROM unnest(?::int[], ?::int[]) AS k(p, hr) JOIN points p ON p.id = k.p JOIN sites s ON s.id = p.site_id""";

    private static final String DELETE_DAYS = """
            DELETE FROM readings_1d d USING rollup_days x WHERE d.point_id = x.point_id AND d.bucket = x.day""";

    /** Days from their hours: the step between consecutive hours joins them exactly as readings would. */
    static final String DAYS_FROM_HOURS = """
            WITH h AS (
                SELECT h.*, x.day, x.timezone,
                       h.first_v - lag(h.last_v) OVER (PARTITION BY h.point_id, x.day ORDER BY h.bucket) AS step
                FROM rollup_days x JOIN readings_1h h
                  ON h.point_id = x.point_id AND h.bucket >= x.day AND h.bucket < x.day + interval '26 hours'
                     AND date_trunc('day', h.bucket, x.timezone) = x.day)
            INSERT INTO readings_1d (point_id, bucket, timezone, count, sum, min, max, first_v, last_v, last_ts, increase)
            SELECT point_id, day, timezone, sum(count), sum(sum), min(min), max(max),
                   (array_agg(first_v ORDER BY bucket))[1], (array_agg(last_v ORDER BY bucket DESC))[1], max(last_ts),
                   sum(increase) + coalesce(sum(greatest(step, 0)), 0)
            FROM h GROUP BY point_id, day, timezone""";

    private static final String DELETE_LOG = "DELETE FROM rollup_log WHERE id <= ?";

    /** Days computed in a zone their site no longer has (the portfolio changed the site's zone). */
    private static final String STALE_DAYS = """
            INSERT INTO rollup_days
            SELECT DISTINCT d.point_id, date_trunc('day', h.bucket, s.timezone), s.timezone
            FROM readings_1d d JOIN points p ON p.id = d.point_id JOIN sites s ON s.id = p.site_id
            JOIN readings_1h h ON h.point_id = d.point_id AND h.bucket >= d.bucket AND h.bucket < d.bucket + interval '26 hours'
            WHERE d.timezone <> s.timezone""";

    private static final String DELETE_STALE = """
            DELETE FROM readings_1d d USING points p, sites s
            WHERE p.id = d.point_id AND s.id = p.site_id AND d.timezone <> s.timezone""";

    private static final String DELETE_HOURS_RANGE = "DELETE FROM readings_1h WHERE bucket >= ? AND bucket < ?";

    /** Every point's hours over a time range, from one scan of its partitions (as RollupRows' raw hours). */
    private static final String HOURS_FROM_RANGE = """
            WITH r AS (
                SELECT DISTINCT ON (point_id, ts) point_id, date_trunc('hour', ts, 'UTC') AS hour, ts, value
                FROM readings WHERE ts >= ? AND ts < ? AND value IS NOT NULL
                ORDER BY point_id, ts, value),
            s AS (
                SELECT *, value - lag(value) OVER (PARTITION BY point_id, hour ORDER BY ts) AS step FROM r)
            INSERT INTO readings_1h (point_id, bucket, count, sum, min, max, first_v, last_v, last_ts, increase)
            SELECT point_id, hour, count(*), sum(value), min(value), max(value),
                   (array_agg(value ORDER BY ts))[1], (array_agg(value ORDER BY ts DESC))[1], max(ts),
                   coalesce(sum(greatest(step, 0)), 0)
            FROM s GROUP BY point_id, hour""";

    private static final String DAYS_OF_RANGE = """
            INSERT INTO rollup_days
            SELECT DISTINCT h.point_id, date_trunc('day', h.bucket, s.timezone), s.timezone
            FROM readings_1h h JOIN points p ON p.id = h.point_id JOIN sites s ON s.id = p.site_id
            WHERE h.bucket >= ? AND h.bucket < ?""";

    private static final String BACKLOG = """
            SELECT count(*), coalesce(sum((length(segments) - 5) / 76), 0), extract(epoch FROM now() - min(at))
            FROM rollup_log""";

    private final DataSource dataSource;

    public RollupStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Adds what {@code readings} contribute to the rollups to the log, on the caller's connection
     * and transaction (the writer's: a committed reading is always in the log or folded). Nothing
     * is written when no reading is numeric.
     */
    public static void log(Connection c, Iterable<Reading> readings) throws SQLException {
        List<Segment> segments = RollupSegments.of(readings);
        if (segments.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(APPEND_LOG)) {
            s.setBytes(1, RollupSegments.encode(segments));
            s.executeUpdate();
        }
    }

    /**
     * Folds everything the log holds into the hour and day rows, in one transaction, unless
     * another pass (of this or another process) is running.
     *
     * @return what the pass did; {@link Pass#SKIPPED} when another pass held the lock
     * @throws StorageException when the database cannot be read or written
     */
    public Pass refresh() {
        return refresh(() -> { });
    }

    /** As {@link #refresh()}, running {@code beforeCommit} once the pass has written everything (tests). */
    Pass refresh(Runnable beforeCommit) {
        try (Connection c = dataSource.getConnection()) {
            if (!tryLock(c)) {
                return Pass.SKIPPED;
            }
            try {
                return Sql.inSnapshot(c, tx -> {
                    Pass pass = fold(tx);
                    beforeCommit.run();
                    return pass;
                });
            } finally {
                unlock(c);
            }
        } catch (SQLException e) {
            throw new StorageException("cannot refresh the rollups: " + Failures.describe(e), e);
        }
    }

    /**
     * As {@link #refresh()}, waiting for a running pass to end instead of skipping (tests, benchmarks).
     *
     * @throws StorageException when the database cannot be read or written
     */
    public Pass refreshWaiting() {
        return locked("cannot refresh the rollups", RollupStore::fold);
    }

    /**
     * What one pass did.
     *
     * @param ran false when another pass held the lock
     * @param segments the log's segments folded
     * @param hours the hour rows written
     * @param refolded of those, the hours folded again from their raw readings
     */
    public record Pass(boolean ran, long segments, int hours, int refolded) {
        public static final Pass SKIPPED = new Pass(false, 0, 0, 0);
    }

    private static Pass fold(Connection c) throws SQLException {
        PendingRollups pending = new PendingRollups();
        long maxId = RollupRows.readLog(c, point -> true, pending);
        if (maxId < 0) {
            return new Pass(true, 0, 0, 0);
        }
        RollupRows.Resolved resolved = RollupRows.resolve(c, pending);
        writeHours(c, resolved.hours());
        refoldDays(c, pending.keys());
        try (PreparedStatement s = c.prepareStatement(DELETE_LOG)) {
            s.setLong(1, maxId);
            s.executeUpdate();
        }
        return new Pass(true, pending.segments(), resolved.hours().size(), resolved.fromReadings());
    }

    private static void writeHours(Connection c, Map<Long, RollupFold> hours) throws SQLException {
        int n = 0;
        int empty = 0;
        for (RollupFold f : hours.values()) {
            if (f == null) {
                empty++;
            } else {
                n++;
            }
        }
        int[] points = new int[n];
        int[] hrs = new int[n];
        long[] counts = new long[n];
        double[] sums = new double[n];
        double[] mins = new double[n];
        double[] maxs = new double[n];
        double[] firsts = new double[n];
        double[] lasts = new double[n];
        long[] lastTimes = new long[n];
        double[] increases = new double[n];
        int[] gonePoints = new int[empty];
        int[] goneHours = new int[empty];
        int i = 0;
        int g = 0;
        for (Map.Entry<Long, RollupFold> e : hours.entrySet()) {
            long key = e.getKey();
            RollupFold f = e.getValue();
            if (f == null) {
                gonePoints[g] = Segment.pointOf(key);
                goneHours[g++] = Segment.hourOf(key);
                continue;
            }
            points[i] = Segment.pointOf(key);
            hrs[i] = Segment.hourOf(key);
            counts[i] = f.count;
            sums[i] = f.sum;
            mins[i] = f.min;
            maxs[i] = f.max;
            firsts[i] = f.first;
            lasts[i] = f.last;
            lastTimes[i] = f.lastMicros;
            increases[i] = f.increase;
            i++;
        }
        if (n > 0) {
            try (PreparedStatement s = c.prepareStatement(UPSERT_HOURS)) {
                Object[] columns = {points, hrs, counts, sums, mins, maxs, firsts, lasts, lastTimes, increases};
                for (int k = 0; k < columns.length; k++) {
                    s.setObject(k + 1, columns[k]);
                }
                s.executeUpdate();
            }
        }
        if (empty > 0) {
            try (PreparedStatement s = c.prepareStatement(DELETE_HOUR_KEYS)) {
                s.setObject(1, gonePoints);
                s.setObject(2, goneHours);
                s.executeUpdate();
            }
        }
    }

    /** Recomputes from their hours the local days that contain the given (point, hour) keys. */
    private static void refoldDays(Connection c, java.util.Collection<Long> keys) throws SQLException {
        int[] points = new int[keys.size()];
        int[] hrs = new int[keys.size()];
        int i = 0;
        for (long key : keys) {
            points[i] = Segment.pointOf(key);
            hrs[i++] = Segment.hourOf(key);
        }
        try (Statement s = c.createStatement(); PreparedStatement days = c.prepareStatement(DAYS_OF_KEYS)) {
            s.execute(DAYS_TABLE);
            s.execute(DAYS_CLEAR);
            days.setObject(1, points);
            days.setObject(2, hrs);
            days.executeUpdate();
            s.executeUpdate(DELETE_DAYS);
            s.executeUpdate(DAYS_FROM_HOURS);
        }
    }

    /**
     * Recomputes the days of points whose site changed time zone since they were rolled up. Waits
     * for a running pass.
     *
     * @return how many days were recomputed
     * @throws StorageException when the database cannot be read or written
     */
    public int rebuildStaleDays() {
        return locked("cannot rebuild the daily rollups", c -> {
            try (Statement s = c.createStatement()) {
                s.execute(DAYS_TABLE);
                s.execute(DAYS_CLEAR);
            s.execute(DAYS_CLEAR);
                int days = s.executeUpdate(STALE_DAYS);
                s.executeUpdate(DELETE_STALE);
                if (days > 0) {
                    s.executeUpdate(DELETE_DAYS);
                    s.executeUpdate(DAYS_FROM_HOURS);
                }
                return days;
            }
        });
    }

    /**
     * Rebuilds the rollups of every point over [from, to), both on whole UTC hours, with one scan
     * of the readings (a bulk load, a repair), and the local days that contain those hours. The
     * log is folded first, in the same snapshot, so that no segment of the range is counted again
     * later. Waits for a running pass.
     *
     * @return how many hourly rows were written
     * @throws StorageException when the database cannot be read or written
     */
    public int rebuild(Instant from, Instant to) {
        if (from.getEpochSecond() % 3600 != 0 || to.getEpochSecond() % 3600 != 0 || from.getNano() != 0 || to.getNano() != 0) {
            throw new IllegalArgumentException("from and to must be whole UTC hours");
        }
        OffsetDateTime f = OffsetDateTime.ofInstant(from, ZoneOffset.UTC);
        OffsetDateTime t = OffsetDateTime.ofInstant(to, ZoneOffset.UTC);
        return locked("cannot rebuild the rollups", c -> {
            fold(c);
            try (Statement s = c.createStatement()) {
                s.execute(DAYS_TABLE);
                s.execute(DAYS_CLEAR);
            s.execute(DAYS_CLEAR);
                int hours = 0;
                for (String sql : new String[] {DELETE_HOURS_RANGE, HOURS_FROM_RANGE, DAYS_OF_RANGE}) {
                    try (PreparedStatement p = c.prepareStatement(sql)) {
                        p.setObject(1, f);
                        p.setObject(2, t);
                        int n = p.executeUpdate();
                        if (sql == HOURS_FROM_RANGE) {
                            hours = n;
                        }
                    }
                }
                s.executeUpdate(DELETE_DAYS);
                s.executeUpdate(DAYS_FROM_HOURS);
                return hours;
            }
        });
    }

    /** What waits in the log: rows, segments, and the age of the oldest row. */
    public record Backlog(long rows, long segments, Duration oldest) {
    }

    /**
     * What the log holds now (a gauge: "are the rollups keeping up").
     *
     * @throws StorageException when the database cannot be read
     */
    public Backlog backlog() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(BACKLOG)) {
            r.next();
            double age = r.getDouble(3);
            return new Backlog(r.getLong(1), r.getLong(2),
                    r.wasNull() ? Duration.ZERO : Duration.ofNanos((long) Math.max(0, age * 1e9)));
        } catch (SQLException e) {
            throw new StorageException("cannot read the rollup backlog: " + Failures.describe(e), e);
        }
    }

    /** Segments still waiting in the log. */
    public long pending() {
        return backlog().segments();
    }

    private <T> T locked(String what, Sql.Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_lock(" + LOCK + ")");
            }
            try {
                return Sql.inSnapshot(c, work);
            } finally {
                unlock(c);
            }
        } catch (SQLException e) {
            throw new StorageException(what + ": " + Failures.describe(e), e);
        }
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT pg_try_advisory_lock(" + LOCK + ")")) {
            r.next();
            return r.getBoolean(1);
        }
    }

    private static void unlock(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_unlock(" + LOCK + ")");
        }
    }
}
