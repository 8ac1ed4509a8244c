package fr.gardien.storage.series;

import fr.gardien.model.Reading;
import fr.gardien.storage.db.Failures;
import fr.gardien.storage.db.StorageException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Objects;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Streams stored readings in event-time order, for replays over long periods (the backtest).
 *
 * <p>Memory stays bounded whatever the period: rows come through a server-side cursor
 * ({@code setFetchSize} with autocommit off, which is what makes pgjdbc fetch in batches instead
 * of reading the whole result), and the period is cut into windows (one day by default) so that
 * the server sorts one window at a time instead of the whole history. The windows are also what
 * the readings table is cut by, so each query touches few partitions or chunks. Plain SQL on
 * {@code readings}: the same query path for native partitions and TimescaleDB hypertables.
 *
 * <p>Only reads, on a read-only connection.
 */
public final class ReadingsScan {

    public static final Duration DEFAULT_WINDOW = Duration.ofDays(1);
    public static final int DEFAULT_FETCH_SIZE = 10_000;

    /**
     * DISTINCT ON (ts, point_id): a reading stored twice (an MQTT redelivery after a lost PUBACK)
     * comes back once, as in {@link SeriesStore}. point_id orders readings of the same instant, so
     * that two scans of the same data deliver the same sequence.
     */
    private static final String ALL = """
            SELECT DISTINCT ON (ts, point_id) point_id, ts, value, text FROM readings
            WHERE ts >= ? AND ts < ?
            ORDER BY ts, point_id""";
    private static final String SOME = """
            SELECT DISTINCT ON (ts, point_id) point_id, ts, value, text FROM readings
            WHERE ts >= ? AND ts < ? AND point_id = ANY (?)
            ORDER BY ts, point_id""";

    private final DataSource dataSource;
    private final Duration window;
    private final int fetchSize;

    public ReadingsScan(DataSource dataSource) {
        this(dataSource, DEFAULT_WINDOW, DEFAULT_FETCH_SIZE);
    }

    /**
     * @param window the width of one query's slice of time; positive
     * @param fetchSize rows per round trip of the cursor; positive
     */
    public ReadingsScan(DataSource dataSource, Duration window, int fetchSize) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        if (fetchSize < 1) {
            throw new IllegalArgumentException("fetchSize must be positive, was " + fetchSize);
        }
        this.window = window;
        this.fetchSize = fetchSize;
    }

    /**
     * Calls {@code consumer} with every stored reading of the given points with
     * {@code from <= time < to}, by ascending time (then point id), each (point, time) once. A
     * string reading has a NaN value and its text. Blocking; the consumer runs in the calling
     * thread, and an exception it throws stops the scan and propagates.
     *
     * @param pointIds the points to read, or {@code null} for every point; an empty collection
     *     reads nothing
     * @return how many readings were delivered
     * @throws StorageException when the database cannot be read
     */
    public long scan(Instant from, Instant to, Collection<Integer> pointIds, Consumer<Reading> consumer) {
        Objects.requireNonNull(consumer, "consumer");
        if (!from.isBefore(to) || (pointIds != null && pointIds.isEmpty())) {
            return 0;
        }
        long delivered = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            // pgjdbc uses a cursor (and honours the fetch size) only outside autocommit.
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement(pointIds == null ? ALL : SOME,
                    ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                s.setFetchSize(fetchSize);
                if (pointIds != null) {
                    Array ids = c.createArrayOf("int4", pointIds.toArray());
                    s.setArray(3, ids);
                }
                for (Instant start = from; start.isBefore(to); ) {
                    Instant end = start.plus(window);
                    if (end.isAfter(to)) {
                        end = to;
                    }
                    s.setObject(1, OffsetDateTime.ofInstant(start, ZoneOffset.UTC));
                    s.setObject(2, OffsetDateTime.ofInstant(end, ZoneOffset.UTC));
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            double value = r.getDouble(3);
                            if (r.wasNull()) {
                                value = Double.NaN;
                            }
                            consumer.accept(new Reading(r.getInt(1), micros(r.getObject(2, OffsetDateTime.class)),
                                    value, r.getString(4)));
                            delivered++;
                        }
                    }
                    // One short transaction per window: no snapshot held open for the whole replay.
                    c.commit();
                    start = end;
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StorageException("cannot scan the readings from " + from + " to " + to + ": "
                    + Failures.describe(e), e);
        }
        return delivered;
    }

    private static long micros(OffsetDateTime t) {
        return t.toEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }
}
