package fr.gardien.storage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hourly continuous aggregate {@code readings_1h_cagg} of TimescaleDB, made here and not by a
 * migration because migrations also run on plain PostgreSQL (as the hypertable, see
 * {@link ReadingsLayout}). It holds what a continuous aggregate can express of an hour: count,
 * sum, min, max, first and last. Not the hour's delta, which needs the steps between consecutive
 * readings (a window function), nor local days, whose zone differs per site: those stay in the
 * gateway's own rollups ({@link RollupStore}).
 *
 * <p>A continuous aggregate cannot collapse a reading stored twice (DISTINCT ON is refused), so
 * each row also counts its stored rows ({@code stored}) beside its distinct times
 * ({@code count}); an hour where they differ is read from {@code readings_1h} instead (see
 * {@link SeriesStore}).
 */
final class ContinuousAggregate {

    private static final Logger log = LoggerFactory.getLogger(ContinuousAggregate.class);
    /** Tries of a refresh that meets another one: waits of 0.2, 0.4, 0.8, 1.6 and 3.2 s between them. */
    private static final int REFRESH_ATTEMPTS = 6;
    /** What one statement materializes of the history stored before the aggregate existed. */
    private static final Duration INITIAL_STEP = Duration.ofDays(7);

    // materialized_only: an hour is answered as of its last refresh, as readings_1h is, so both
    // sources of a 1 h bucket show the same readings.
    private static final String CREATE = """
            CREATE MATERIALIZED VIEW readings_1h_cagg
            WITH (timescaledb.continuous, timescaledb.materialized_only = true) AS
            SELECT point_id, time_bucket(interval '1 hour', ts) AS bucket,
                   count(*) AS stored, count(DISTINCT ts) AS count, sum(value) AS sum, min(value) AS min,
                   max(value) AS max, first(value, ts) AS first_v, last(value, ts) AS last_v
            FROM readings WHERE value IS NOT NULL
            GROUP BY point_id, time_bucket(interval '1 hour', ts)
            WITH NO DATA""";

    private ContinuousAggregate() {
    }

    /**
     * Creates the continuous aggregate (once, then materializes what is already stored, a week
     * per statement so that none outlasts the socket timeout) and replaces its refresh policy;
     * {@code conn} is in auto-commit mode. Requires TimescaleDB 2.7+ (finalized continuous
     * aggregates, which accept count(DISTINCT ...)).
     *
     * @param window how far back the policy looks for changed hours: readings older than the raw
     *     retention are gone, and a refresh over them would delete their hours
     */
    static void apply(Connection conn, Duration window) throws SQLException {
        if (!exists(conn)) {
            try (Statement s = conn.createStatement()) {
                // TimescaleDB indexes the materialization on (point_id, bucket DESC) itself.
                s.execute(CREATE);
                // Before the policy exists, so that its first run does not contend with these.
                Instant end = Instant.now().plus(Duration.ofHours(1));
                int weeks = 0;
                for (Instant t = earliestChunk(conn); t != null && t.isBefore(end); t = t.plus(INITIAL_STEP), weeks++) {
                    s.execute(call(t, t.plus(INITIAL_STEP)));
                }
                log.info("continuous aggregate readings_1h_cagg created [weeks materialized: {}]", weeks);
            }
        }
        try (Statement s = conn.createStatement()) {
            s.execute("SELECT remove_continuous_aggregate_policy('readings_1h_cagg', if_not_exists => true)");
            // The gateway refreshes the hours it writes at each rollup pass (late data included);
            // the policy catches what reached readings by other ways (an SQL import) within the window.
            s.execute("SELECT add_continuous_aggregate_policy('readings_1h_cagg', start_offset => interval '"
                    + window.toSeconds() + " seconds', end_offset => interval '1 hour',"
                    + " schedule_interval => interval '1 hour')");
        }
    }

    /** The start of the oldest chunk of readings, hour-aligned; null when there is none. */
    private static Instant earliestChunk(Connection conn) throws SQLException {
        try (Statement s = conn.createStatement(); ResultSet r = s.executeQuery(
                "SELECT min(range_start) FROM timescaledb_information.chunks WHERE hypertable_name = 'readings'")) {
            r.next();
            OffsetDateTime t = r.getObject(1, OffsetDateTime.class);
            return t == null ? null : Instant.ofEpochSecond(Math.floorDiv(t.toEpochSecond(), 3600) * 3600);
        }
    }

    static boolean exists(Connection conn) throws SQLException {
        try (Statement s = conn.createStatement(); ResultSet r = s.executeQuery(
                "SELECT 1 FROM timescaledb_information.continuous_aggregates WHERE view_name = 'readings_1h_cagg'")) {
            return r.next();
        }
    }

    /**
     * Re-materializes the hours of [from, to) that changed since their last refresh (TimescaleDB
     * keeps the invalidations; unchanged hours cost nothing). Runs outside any transaction, as
     * TimescaleDB requires. While another refresh runs (the policy's, another gateway's), it waits
     * and tries again, a few seconds at most. Blocking.
     *
     * @throws StorageException when the database refuses it or the other refresh lasts; the
     *     changed hours stay recorded by TimescaleDB, for the next refresh over them or the policy
     */
    static void refresh(DataSource dataSource, Instant from, Instant to) {
        String sql = call(from, to);
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute(sql);
                return;
            } catch (SQLException e) {
                // 55P03 lock_not_available: TimescaleDB refuses concurrent refreshes of one aggregate.
                if (!"55P03".equals(e.getSQLState()) || attempt == REFRESH_ATTEMPTS) {
                    throw new StorageException("cannot refresh the continuous aggregate: " + Failures.describe(e), e);
                }
            }
            try {
                Thread.sleep(100L << attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException("interrupted while refreshing the continuous aggregate", e);
            }
        }
    }

    /**
     * The refresh of [from, to). Literals, not parameters: the call must be a simple statement
     * outside a transaction block; both come from Instants formatted here, never from user text.
     */
    private static String call(Instant from, Instant to) {
        return "CALL refresh_continuous_aggregate('readings_1h_cagg', '" + OffsetDateTime.ofInstant(from, ZoneOffset.UTC)
                + "'::timestamptz, '" + OffsetDateTime.ofInstant(to, ZoneOffset.UTC) + "'::timestamptz)";
    }
}
