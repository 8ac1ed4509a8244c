package fr.gardien.storage;

import fr.gardien.model.Reading;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Keeps the hourly and daily rollups ({@code readings_1h}, {@code readings_1d}, see
 * V5__rollups.sql) current. The batch writer marks the hours it touched in the readings'
 * own transaction ({@link #markDirty}); {@link #refresh} then re-aggregates those hours from the
 * raw readings, late data included, and the local days that contain them from the hours.
 * All methods block; run them on a worker.
 *
 * <p>On TimescaleDB with the hourly continuous aggregate ({@link ContinuousAggregate}), each pass
 * also refreshes it over the hours it claimed, after its own commit (a refresh cannot run in a
 * transaction): late data reaches both hourly sources in the same pass. Should that refresh
 * fail, TimescaleDB still holds the hours' invalidations, so the next refresh over them, or the
 * aggregate's policy, folds them in.
 */
public final class RollupStore {

    private static final String MARK = """
            INSERT INTO rollup_dirty (point_id, hour)
            SELECT * FROM unnest(?::int[], ?::timestamptz[]) ON CONFLICT DO NOTHING""";

    private static final String CLAIM_TABLE = """
            CREATE TEMP TABLE IF NOT EXISTS rollup_claim (point_id int, hour timestamptz) ON COMMIT DELETE ROWS""";

    // SKIP LOCKED: two gateways (or a pass and a rebuild) never claim the same hours.
    private static final String CLAIM = """
            WITH claimed AS (
                DELETE FROM rollup_dirty WHERE (point_id, hour) IN (
                    SELECT point_id, hour FROM rollup_dirty ORDER BY hour, point_id LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING point_id, hour)
            INSERT INTO rollup_claim SELECT point_id, hour FROM claimed""";

    private static final String DELETE_HOURS = """
            DELETE FROM readings_1h h USING rollup_claim c WHERE h.point_id = c.point_id AND h.bucket = c.hour""";

    /**
     * One reading per time (the smallest value of duplicates, as the raw query orders them), then
     * the steps between consecutive readings of the hour.
     */
    static final String HOURS_FROM_READINGS = """
            WITH r AS (
                SELECT DISTINCT ON (r.point_id, r.ts) r.point_id, c.hour, r.ts, r.value
                FROM rollup_claim c JOIN readings r
                  ON r.point_id = c.point_id AND r.ts >= c.hour AND r.ts < c.hour + interval '1 hour'
                WHERE r.value IS NOT NULL
                ORDER BY r.point_id, r.ts, r.value),
            s AS (
                SELECT *, value - lag(value) OVER (PARTITION BY point_id, hour ORDER BY ts) AS step FROM r)
            INSERT INTO readings_1h (point_id, bucket, count, sum, min, max, first_v, last_v, last_ts, increase)
            SELECT point_id, hour, count(*), sum(value), min(value), max(value),
                   (array_agg(value ORDER BY ts))[1], (array_agg(value ORDER BY ts DESC))[1], max(ts),
                   coalesce(sum(greatest(step, 0)), 0)
            FROM s GROUP BY point_id, hour""";

    private static final String DAYS_OF_CLAIM = """
            CREATE TEMP TABLE IF NOT EXISTS rollup_days (point_id int, day timestamptz, timezone text) ON COMMIT DELETE ROWS""";

    private static final String CLAIMED_DAYS = """
            INSERT INTO rollup_days
            SELECT DISTINCT c.point_id, date_trunc('day', c.hour, s.timezone), s.timezone
            FROM rollup_claim c JOIN points p ON p.id = c.point_id JOIN sites s ON s.id = p.site_id""";

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

    private static final String UNMARK_RANGE = "DELETE FROM rollup_dirty WHERE hour >= ? AND hour < ?";

    private static final String DELETE_HOURS_RANGE = "DELETE FROM readings_1h WHERE bucket >= ? AND bucket < ?";

    /** As HOURS_FROM_READINGS, for every point over a time range: one scan of its partitions. */
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

    private static final String CLAIMED_RANGE = "SELECT min(hour), max(hour) FROM rollup_claim";

    private final DataSource dataSource;
    private final boolean continuousAggregate;

    /** Rollups on plain PostgreSQL, or on TimescaleDB without the continuous aggregate. */
    public RollupStore(DataSource dataSource) {
        this(dataSource, false);
    }

    /**
     * @param continuousAggregate true when {@code readings_1h_cagg} exists
     *     ({@link Database#continuousAggregate()}): the passes then refresh it too
     */
    public RollupStore(DataSource dataSource, boolean continuousAggregate) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.continuousAggregate = continuousAggregate;
    }

    /**
     * Marks the (point, UTC hour) pairs of numeric {@code readings} as needing a new rollup, on
     * the caller's connection and transaction. Pairs are sorted, so that concurrent writers
     * take their row locks in the same order and never deadlock.
     */
    static void markDirty(Connection c, List<Reading> readings) throws SQLException {
        long[] keys = new long[readings.size()];
        int n = 0;
        for (Reading r : readings) {
            if (r.text() == null && !Double.isNaN(r.value())) {
                long hour = Math.floorDiv(r.epochMicros(), 3_600_000_000L);
                keys[n++] = ((long) r.pointId() << 32) | hour;
            }
        }
        if (n == 0) {
            return;
        }
        Arrays.sort(keys, 0, n);
        Integer[] points = new Integer[n];
        OffsetDateTime[] hours = new OffsetDateTime[n];
        int m = 0;
        long previous = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0 && keys[i] == previous) {
                continue;
            }
            previous = keys[i];
            points[m] = (int) (keys[i] >>> 32);
            hours[m] = OffsetDateTime.ofInstant(Instant.ofEpochSecond((keys[i] & 0xffffffffL) * 3600), ZoneOffset.UTC);
            m++;
        }
        try (PreparedStatement s = c.prepareStatement(MARK)) {
            Array pointArray = c.createArrayOf("int4", Arrays.copyOf(points, m));
            Array hourArray = c.createArrayOf("timestamptz", Arrays.copyOf(hours, m));
            s.setArray(1, pointArray);
            s.setArray(2, hourArray);
            s.executeUpdate();
        }
    }

    /**
     * Re-aggregates at most {@code maxHours} marked (point, hour) pairs, oldest first, and the
     * local days containing them, in one transaction.
     *
     * @return how many pairs were refreshed; 0 when nothing was marked
     * @throws StorageException when the database cannot be read or written
     */
    public int refresh(int maxHours) {
        Instant[] range = new Instant[2];
        int claimed = Sql.inTransaction(dataSource, "cannot refresh the rollups", c -> {
            try (Statement s = c.createStatement(); PreparedStatement claim = c.prepareStatement(CLAIM)) {
                s.execute(CLAIM_TABLE);
                s.execute(DAYS_OF_CLAIM);
                claim.setInt(1, maxHours);
                int n = claim.executeUpdate();
                if (n > 0) {
                    s.executeUpdate(DELETE_HOURS);
                    s.executeUpdate(HOURS_FROM_READINGS);
                    s.executeUpdate(CLAIMED_DAYS);
                    refoldDays(s);
                    try (ResultSet r = s.executeQuery(CLAIMED_RANGE)) {
                        r.next();
                        range[0] = r.getObject(1, OffsetDateTime.class).toInstant();
                        range[1] = r.getObject(2, OffsetDateTime.class).toInstant().plusSeconds(3600);
                    }
                }
                return n;
            }
        });
        if (claimed > 0 && continuousAggregate) {
            // One window from the oldest to the newest claimed hour: TimescaleDB recomputes only the
            // hours it recorded as changed inside it.
            ContinuousAggregate.refresh(dataSource, range[0], range[1]);
        }
        return claimed;
    }

    /** Recomputes the days listed in the transaction's {@code DAYS_OF_CLAIM} table from their hours. */
    private static void refoldDays(Statement s) throws SQLException {
        s.executeUpdate(DELETE_DAYS);
        s.executeUpdate(DAYS_FROM_HOURS);
    }

    /**
     * Recomputes the days of points whose site changed time zone since they were rolled up.
     *
     * @return how many days were recomputed
     * @throws StorageException when the database cannot be read or written
     */
    public int rebuildStaleDays() {
        return Sql.inTransaction(dataSource, "cannot rebuild the daily rollups", c -> {
            try (Statement s = c.createStatement()) {
                s.execute(DAYS_OF_CLAIM);
                int days = s.executeUpdate(STALE_DAYS);
                s.executeUpdate(DELETE_STALE);
                if (days > 0) {
                    refoldDays(s);
                }
                return days;
            }
        });
    }

    /**
     * Rebuilds the rollups of every point over [from, to), both on whole UTC hours, with one scan
     * of the readings (a bulk load, a repair), and the local days that contain those hours.
     * Marks inside the range are cleared first, so a reading committed meanwhile keeps its own.
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
        int written = Sql.inTransaction(dataSource, "cannot rebuild the rollups", c -> {
            try (Statement s = c.createStatement()) {
                s.execute(DAYS_OF_CLAIM);
                int hours = 0;
                for (String sql : new String[] {UNMARK_RANGE, DELETE_HOURS_RANGE, HOURS_FROM_RANGE, DAYS_OF_RANGE}) {
                    try (PreparedStatement p = c.prepareStatement(sql)) {
                        p.setObject(1, f);
                        p.setObject(2, t);
                        int n = p.executeUpdate();
                        if (sql == HOURS_FROM_RANGE) {
                            hours = n;
                        }
                    }
                }
                refoldDays(s);
                return hours;
            }
        });
        if (continuousAggregate) {
            ContinuousAggregate.refresh(dataSource, from, to);
        }
        return written;
    }

    /** Pairs still waiting for a refresh (a gauge: "are the rollups keeping up"). */
    public long pending() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                var r = s.executeQuery("SELECT count(*) FROM rollup_dirty")) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new StorageException("cannot count the pending rollups: " + Failures.describe(e), e);
        }
    }
}
