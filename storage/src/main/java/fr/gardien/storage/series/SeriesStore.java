package fr.gardien.storage.series;

import fr.gardien.storage.db.Failures;
import fr.gardien.storage.db.Sql;
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
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Reads stored readings. Plain SQL on {@code readings}, so one query path serves native
 * partitions (pruned on ts) and TimescaleDB hypertables (chunk exclusion) alike. Bucketed series
 * come from the raw readings or from the rollups ({@link RollupStore}), folded by the same code
 * ({@link BucketFolder}), so both answer alike.
 */
public final class SeriesStore {

    /**
     * DISTINCT ON (ts): the same reading stored twice (an MQTT redelivery after a lost PUBACK)
     * comes back once; the readings table deliberately has no unique constraint (see V1__schema).
     */
    private static final String RAW = """
            SELECT DISTINCT ON (ts) ts, value, text FROM readings
            WHERE point_id = ? AND ts >= ? AND ts < ?
            ORDER BY ts
            LIMIT ?""";

    private final DataSource dataSource;

    public SeriesStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Raw values of one point with {@code from <= time < to}, ascending, at most {@code limit},
     * each time once. A string value has a NaN value. Blocking.
     *
     * @throws IllegalArgumentException when limit is not positive
     * @throws StorageException when the database cannot be read
     */
    public List<SeriesValue> raw(int pointId, Instant from, Instant to, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        if (!from.isBefore(to)) {
            return List.of();
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(RAW)) {
            s.setInt(1, pointId);
            s.setObject(2, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
            s.setObject(3, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
            s.setInt(4, limit);
            List<SeriesValue> values = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    double value = r.getDouble(2);
                    if (r.wasNull()) {
                        value = Double.NaN;
                    }
                    values.add(new SeriesValue(r.getObject(1, OffsetDateTime.class).toInstant(), value, r.getString(3)));
                }
            }
            return values;
        } catch (SQLException e) {
            throw new StorageException("cannot read the series of point " + pointId + ": " + Failures.describe(e), e);
        }
    }

    /** Raw numeric readings, each time once: the smallest value of duplicates, as the rollups take it. */
    private static final String RAW_NUMERIC = """
            SELECT DISTINCT ON (ts) ts, value FROM readings
            WHERE point_id = ? AND ts >= ? AND ts < ? AND value IS NOT NULL
            ORDER BY ts, value""";

    private static final String RAW_PREVIOUS = """
            SELECT value FROM readings WHERE point_id = ? AND ts < ? AND value IS NOT NULL
            ORDER BY ts DESC, value LIMIT 1""";

    private static final String ROLLUP_ROWS = """
            SELECT q.i, extract(epoch FROM h.bucket)::bigint, h.count, h.sum, h.min, h.max, h.first_v, h.last_v, h.increase
            FROM unnest(?::int[], ?::timestamptz[], ?::timestamptz[], ?::text[]) WITH ORDINALITY AS q(id, f, t, tz, i)
            JOIN %s h ON h.point_id = q.id AND h.bucket >= q.f AND h.bucket < q.t %s""";

    /**
     * The last value before each range, and the hour it is in: from the hours, which hold the same
     * last reading as the raw table.
     */
    private static final String ROLLUP_PREVIOUS = """
            SELECT q.i, x.last_v, extract(epoch FROM x.bucket)::bigint / 3600
            FROM unnest(?::int[], ?::timestamptz[]) WITH ORDINALITY AS q(id, f, i)
            CROSS JOIN LATERAL (SELECT h.last_v, h.bucket FROM readings_1h h WHERE h.point_id = q.id AND h.bucket < q.f
                                ORDER BY h.bucket DESC LIMIT 1) x""";

    /** Raw rows are streamed in pages of this many, never held by the driver all at once. */
    private static final int FETCH_ROWS = 10_000;

    /**
     * Bucketed series of several points: for each range, in order, the buckets that have numeric
     * readings, ascending. Every reading committed before the call is in the answer, whichever
     * the source: the rollups with what the rollup log holds that no pass has folded yet
     * ({@link RealTimeRollups}), read in one snapshot. Blocking.
     *
     * @param source where to compute from; {@link SeriesSource#AUTO} for {@link SeriesSource#plan}
     * @throws IllegalArgumentException when the source cannot serve the bucket (hourly rollups
     *     for buckets under an hour, daily rollups for buckets under a day)
     * @throws StorageException when the database cannot be read
     */
    public List<List<BucketStats>> bucketed(List<PointRange> ranges, Bucket bucket, SeriesSource source) {
        SeriesSource used = source == SeriesSource.AUTO ? SeriesSource.plan(ranges, bucket) : source;
        if (used == SeriesSource.HOURLY && bucket.compareTo(Bucket.HOUR) < 0
                || used == SeriesSource.DAILY && !bucket.calendar()) {
            throw new IllegalArgumentException(used + " rollups cannot serve " + bucket.text() + " buckets");
        }
        if (ranges.isEmpty()) {
            return List.of();
        }
        try (Connection c = dataSource.getConnection()) {
            return used == SeriesSource.RAW ? raw(c, ranges, bucket) : Sql.inSnapshot(c, tx -> rollup(tx, ranges, bucket, used));
        } catch (SQLException e) {
            throw new StorageException("cannot read bucketed series: " + Failures.describe(e), e);
        }
    }

    private static List<List<BucketStats>> raw(Connection c, List<PointRange> ranges, Bucket bucket) throws SQLException {
        List<List<BucketStats>> result = new ArrayList<>(ranges.size());
        // A cursor (fetch size) needs a transaction; it only reads.
        c.setAutoCommit(false);
        try (PreparedStatement previous = c.prepareStatement(RAW_PREVIOUS); PreparedStatement rows = c.prepareStatement(RAW_NUMERIC)) {
            rows.setFetchSize(FETCH_ROWS);
            for (PointRange range : ranges) {
                previous.setInt(1, range.pointId());
                previous.setObject(2, utc(range.from()));
                double last = Double.NaN;
                try (ResultSet r = previous.executeQuery()) {
                    if (r.next()) {
                        last = r.getDouble(1);
                    }
                }
                BucketFolder folder = new BucketFolder(bucket, range.zone(), range.from(), range.to(), last);
                rows.setInt(1, range.pointId());
                rows.setObject(2, utc(range.from()));
                rows.setObject(3, utc(range.to()));
                try (ResultSet r = rows.executeQuery()) {
                    while (r.next()) {
                        folder.add(r.getObject(1, OffsetDateTime.class).toInstant(), r.getDouble(2));
                    }
                }
                result.add(folder.finish());
            }
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
        return result;
    }

    private static List<List<BucketStats>> rollup(Connection c, List<PointRange> ranges, Bucket bucket, SeriesSource source)
            throws SQLException {
        boolean daily = source == SeriesSource.DAILY;
        int n = ranges.size();
        RangeArrays q = RangeArrays.of(c, ranges);
        RealTimeRollups unfolded = RealTimeRollups.read(c, q.pointIds());
        double[] previous = previousLast(c, q.ids(), q.from(), ranges, unfolded);
        // A day computed in another zone than the site's (before a zone change was rebuilt) is not used.
        String sql = daily ? ROLLUP_ROWS.formatted("readings_1d", "AND h.timezone = q.tz") : ROLLUP_ROWS.formatted("readings_1h", "");
        List<List<RollupRow>> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(new ArrayList<>());
        }
        try (PreparedStatement s = c.prepareStatement(sql)) {
            // Binary results from the first execution (pgjdbc: a threshold of -1 forces them):
            // hundreds of thousands of doubles are not parsed from text.
            s.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(-1);
            q.bind(s);
            // No ORDER BY: sorting 365,000 rows of 1,000 points spilled to disk in PostgreSQL, while each
            // point's rows come from its index range in order in practice; they are sorted here only
            // when they do not (SQL promises no order without ORDER BY).
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    // Rollup buckets are whole hours: epoch seconds, cheaper to read than a timestamp's text.
                    rows.get(r.getInt(1) - 1).add(new RollupRow(r.getLong(2), r.getLong(3), r.getDouble(4), r.getDouble(5),
                            r.getDouble(6), r.getDouble(7), r.getDouble(8), r.getDouble(9)));
                }
            }
        }
        if (!unfolded.isEmpty()) {
            overlay(c, ranges, daily, unfolded, rows);
        }
        List<List<BucketStats>> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            PointRange range = ranges.get(i);
            List<RollupRow> own = rows.get(i);
            if (!RollupRow.ordered(own)) {
                own.sort(java.util.Comparator.comparingLong(RollupRow::epochSecond));
            }
            BucketFolder folder = new BucketFolder(bucket, range.zone(), range.from(), range.to(), previous[i]);
            for (RollupRow x : own) {
                folder.add(Instant.ofEpochSecond(x.epochSecond()), x.count(), x.sum(), x.min(), x.max(), x.first(), x.last(),
                        x.increase());
            }
            result.add(folder.finish());
        }
        return result;
    }

    /**
     * Puts the hours (or local days) that unfolded segments change in place of the stored rows
     * read for each range: replaced, added, or removed when no reading is left in them.
     */
    private static void overlay(Connection c, List<PointRange> ranges, boolean daily, RealTimeRollups unfolded,
            List<List<RollupRow>> rows) throws SQLException {
        List<java.util.Map<Long, RollupFold>> days = daily ? unfolded.days(c, ranges) : null;
        for (int i = 0; i < ranges.size(); i++) {
            PointRange r = ranges.get(i);
            java.util.Map<Long, RollupFold> changed = new java.util.HashMap<>();
            if (daily) {
                changed.putAll(days.get(i));
            } else {
                unfolded.hours(r.pointId(), r.from(), r.to()).forEach((hour, fold) -> changed.put(hour * 3600L, fold));
            }
            if (changed.isEmpty()) {
                continue;
            }
            List<RollupRow> own = rows.get(i);
            own.removeIf(row -> changed.containsKey(row.epochSecond()));
            changed.forEach((start, f) -> {
                if (f != null) {
                    own.add(new RollupRow(start, f.count, f.sum, f.min, f.max, f.first, f.last, f.increase));
                }
            });
        }
    }

    /** The last value before each range's start (NaN when there is none), from the hourly rollups. */
    private static double[] nanArray(int n) {
        double[] values = new double[n];
        java.util.Arrays.fill(values, Double.NaN);
        return values;
    }

    /**
     * The last value before each range's start (NaN when there is none): from the hourly rollups,
     * or from an hour that unfolded segments changed when it is as late or later.
     */
    /** The ranges' points, starts, ends and zones as the four array parameters of the rollup queries. */
    private record RangeArrays(java.util.Set<Integer> pointIds, Array ids, Array from, Array to, Array zones) {

        static RangeArrays of(Connection c, List<PointRange> ranges) throws SQLException {
            int n = ranges.size();
            Integer[] ids = new Integer[n];
            OffsetDateTime[] from = new OffsetDateTime[n];
            OffsetDateTime[] to = new OffsetDateTime[n];
            String[] zones = new String[n];
            for (int i = 0; i < n; i++) {
                PointRange r = ranges.get(i);
                ids[i] = r.pointId();
                from[i] = utc(r.from());
                to[i] = utc(r.to());
                zones[i] = r.zone().getId();
            }
            return new RangeArrays(new java.util.HashSet<>(java.util.Arrays.asList(ids)), c.createArrayOf("int4", ids),
                    c.createArrayOf("timestamptz", from), c.createArrayOf("timestamptz", to), c.createArrayOf("text", zones));
        }

        /** Parameters 1 to 4: ids, from, to, zones. */
        void bind(PreparedStatement s) throws SQLException {
            s.setArray(1, ids);
            s.setArray(2, from);
            s.setArray(3, to);
            s.setArray(4, zones);
        }
    }

    private static double[] previousLast(Connection c, Array idArray, Array fromArray, List<PointRange> ranges,
            RealTimeRollups unfolded) throws SQLException {
        int n = ranges.size();
        double[] previous = nanArray(n);
        long[] hourOf = new long[n];
        java.util.Arrays.fill(hourOf, Long.MIN_VALUE);
        try (PreparedStatement s = c.prepareStatement(ROLLUP_PREVIOUS)) {
            s.setArray(1, idArray);
            s.setArray(2, fromArray);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    int i = r.getInt(1) - 1;
                    previous[i] = r.getDouble(2);
                    hourOf[i] = r.getLong(3);
                }
            }
        }
        if (!unfolded.isEmpty()) {
            for (int i = 0; i < n; i++) {
                PointRange range = ranges.get(i);
                java.util.Map.Entry<Integer, RollupFold> later = unfolded.lastBefore(range.pointId(), range.from());
                if (later != null && later.getKey() >= hourOf[i]) {
                    previous[i] = later.getValue().last;
                }
            }
        }
        return previous;
    }

    /**
     * Only what a delta needs of the daily rollups, ordered by range (the ordinality comes out of
     * unnest in order, so PostgreSQL sorts nothing) and, in practice, by day within a range (the
     * index's order; checked, and sorted when not). The day is read as a binary timestamp: casting
     * extract(epoch) (a numeric) to bigint cost PostgreSQL more than the rest of the row.
     */
    private static final String DAILY_DELTA_ROWS = """
            SELECT q.i, h.bucket, h.first_v, h.last_v, h.increase
            FROM unnest(?::int[], ?::timestamptz[], ?::timestamptz[], ?::text[]) WITH ORDINALITY AS q(id, f, t, tz, i)
            JOIN readings_1d h ON h.point_id = q.id AND h.bucket >= q.f AND h.bucket < q.t AND h.timezone = q.tz
            ORDER BY q.i""";

    /**
     * The delta (see {@link Aggregate#DELTA}) of each calendar bucket of several points, handed to
     * {@code sink} once per range, in the ranges' order, as soon as that range's rows are read
     * (the caller can answer while the query runs). The same buckets and values as
     * {@link #bucketed} with {@link SeriesSource#AUTO} and {@link Aggregate#DELTA}, read leaner:
     * only the daily rollups' first, last and delta, with no per-bucket objects. Blocking.
     *
     * @throws IllegalArgumentException when {@code bucket} is not a calendar bucket (day, week, month)
     * @throws StorageException when the database cannot be read
     * @throws RuntimeException whatever {@code sink} throws, which ends the query
     */
    public void deltas(List<PointRange> ranges, Bucket bucket, DeltaSink sink) {
        if (!bucket.calendar()) {
            throw new IllegalArgumentException("deltas are read by calendar bucket, not " + bucket.text());
        }
        if (SeriesSource.plan(ranges, bucket) != SeriesSource.DAILY) {
            // A zone with a non-whole-hour offset: from the raw readings, as bucketed answers.
            List<List<BucketStats>> buckets = bucketed(ranges, bucket, SeriesSource.AUTO);
            for (int i = 0; i < buckets.size(); i++) {
                List<BucketStats> own = buckets.get(i);
                long[] starts = new long[own.size()];
                double[] deltas = new double[own.size()];
                for (int b = 0; b < own.size(); b++) {
                    starts[b] = own.get(b).start().getEpochSecond();
                    deltas[b] = own.get(b).increase();
                }
                sink.accept(i, starts, deltas, own.size());
            }
            return;
        }
        if (ranges.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            Sql.inSnapshot(c, tx -> {
                dailyDeltas(tx, ranges, bucket, sink);
                return null;
            });
        } catch (SQLException e) {
            throw new StorageException("cannot read consumption: " + Failures.describe(e), e);
        }
    }

    private static void dailyDeltas(Connection c, List<PointRange> ranges, Bucket bucket, DeltaSink sink) throws SQLException {
        RangeArrays q = RangeArrays.of(c, ranges);
        RealTimeRollups unfolded = RealTimeRollups.read(c, q.pointIds());
        List<java.util.Map<Long, RollupFold>> changed = unfolded.isEmpty() ? null : unfolded.days(c, ranges);
        double[] previous = previousLast(c, q.ids(), q.from(), ranges, unfolded);
        DeltaFolder folder = new DeltaFolder(bucket, sink);
        // A cursor (fetch size, in the snapshot's transaction, which only reads): the rows are folded
        // page by page as they come, never all held by the driver.
        try (PreparedStatement s = c.prepareStatement(DAILY_DELTA_ROWS)) {
            s.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(-1); // binary results, as in rollup()
            s.setFetchSize(FETCH_ROWS);
            q.bind(s);
            try (ResultSet r = s.executeQuery()) {
                int current = -1;
                while (r.next()) {
                    int i = r.getInt(1) - 1;
                    if (i != current) {
                        if (i < current) {
                            throw new StorageException("daily rollup rows came out of their range order");
                        }
                        // The ranges before this one, the last read and those without days, are complete.
                        for (int done = Math.max(current, 0); done < i; done++) {
                            finishDeltas(folder, done, ranges.get(done), previous[done], changed);
                        }
                        current = i;
                    }
                    folder.add(r.getObject(2, OffsetDateTime.class).toEpochSecond(), r.getDouble(3), r.getDouble(4), r.getDouble(5));
                }
                for (int done = Math.max(current, 0); done < ranges.size(); done++) {
                    finishDeltas(folder, done, ranges.get(done), previous[done], changed);
                }
            }
        }
    }

    /** Hands a range's deltas to the sink, with the days that unfolded segments changed in place of the stored ones. */
    private static void finishDeltas(DeltaFolder folder, int index, PointRange range, double previous,
            List<java.util.Map<Long, RollupFold>> changed) {
        if (changed != null) {
            changed.get(index).forEach((day, f) -> folder.replace(day, f == null ? null
                    : new double[] {f.first, f.last, f.increase}));
        }
        folder.finish(index, range.zone(), previous);
    }

    /**
     * The latest reading of each point (the newest time; of duplicates, the smallest value), one
     * index probe per point. Blocking.
     *
     * @return by point id, only for points that have a reading
     * @throws StorageException when the database cannot be read
     */
    public java.util.Map<Integer, SeriesValue> latest(List<Integer> pointIds) {
        java.util.Map<Integer, SeriesValue> result = new java.util.HashMap<>();
        if (pointIds.isEmpty()) {
            return result;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(LATEST)) {
            s.setArray(1, c.createArrayOf("int4", pointIds.toArray(Integer[]::new)));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    double value = r.getDouble(3);
                    if (r.wasNull()) {
                        value = Double.NaN;
                    }
                    result.put(r.getInt(1), new SeriesValue(r.getObject(2, OffsetDateTime.class).toInstant(), value, r.getString(4)));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new StorageException("cannot read the latest readings: " + Failures.describe(e), e);
        }
    }

    /** One rollup row as read, before it is folded. */
    private record RollupRow(long epochSecond, long count, double sum, double min, double max, double first, double last,
            double increase) {
        static boolean ordered(List<RollupRow> rows) {
            for (int i = 1; i < rows.size(); i++) {
                if (rows.get(i - 1).epochSecond() > rows.get(i).epochSecond()) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final String LATEST = """
            SELECT q.id, x.ts, x.value, x.text FROM unnest(?::int[]) AS q(id)
            CROSS JOIN LATERAL (SELECT ts, value, text FROM readings WHERE point_id = q.id
                                ORDER BY ts DESC, value LIMIT 1) x""";

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
