package fr.gardien.storage.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the readings table is cut in time, decided in two places on purpose:
 * <ol>
 *   <li>its <em>shape</em> is decided once, by the migration {@code V1__schema.sql}: a DO block
 *       creates a plain table when the timescaledb extension is installed (it becomes a
 *       hypertable) and a table {@code PARTITION BY RANGE (ts)} otherwise. A table keeps its
 *       shape: the two cannot be converted into each other in place.</li>
 *   <li>its <em>policies</em>, which follow the configuration (chunk width, retention), are
 *       applied here at every start, idempotently: {@link #detect} reads the shape back from the
 *       catalog and {@link #applyTimescale} sets chunk interval, compression and the compression
 *       and retention jobs. Native partitions are kept by {@link PartitionManager}.</li>
 * </ol>
 */
final class ReadingsLayout {

    private static final Logger log = LoggerFactory.getLogger(ReadingsLayout.class);
    /** Chunks are compressed once no late reading is expected any more. */
    static final Duration COMPRESS_AFTER = Duration.ofDays(7);

    private ReadingsLayout() {
    }

    /** Tries to install TimescaleDB when the server offers it; false when it is absent or refused. */
    static boolean installTimescale(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'")) {
            if (!r.next()) {
                return false;
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS timescaledb");
            return true;
        } catch (SQLException e) {
            // Typically: not in shared_preload_libraries, or no privilege. Native partitions still work.
            log.warn("timescaledb is available but cannot be installed, using native partitions [cause: {}]",
                    e.getMessage());
            return false;
        }
    }

    /** True when readings is a hypertable, false when it is natively partitioned. */
    static boolean detect(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT relkind FROM pg_class WHERE oid = 'readings'::regclass")) {
            r.next();
            return !"p".equals(r.getString(1));
        }
    }

    /**
     * Makes readings a hypertable (once) and, with {@code policies}, sets its chunk width,
     * compression and retention jobs.
     */
    static void applyTimescale(Connection c, RetentionConfig retention, boolean policies) throws SQLException {
        long chunkSeconds = retention.partitionInterval().toSeconds();
        c.setAutoCommit(false);
        try {
            String version = scalar(c, "SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'");
            if (!isHypertable(c)) {
                // by_range() is the generalized API of TimescaleDB 2.13+; older releases only have the first form.
                String sql = atLeast(version, 2, 13)
                        ? "SELECT create_hypertable('readings', by_range('ts', ? * interval '1 second'),"
                          + " create_default_indexes => false, if_not_exists => true)"
                        : "SELECT create_hypertable('readings', 'ts', chunk_time_interval => ? * interval '1 second',"
                          + " create_default_indexes => false, if_not_exists => true)";
                execute(c, sql, chunkSeconds);
                log.info("readings converted to a hypertable [timescaledb: {}]", version);
            }
            if (!policies) {
                c.commit();
                return;
            }
            execute(c, "SELECT set_chunk_time_interval('readings', ? * interval '1 second')", chunkSeconds);
            if (!"true".equals(scalar(c, "SELECT compression_enabled::text FROM timescaledb_information.hypertables"
                    + " WHERE hypertable_name = 'readings'"))) {
                try (Statement s = c.createStatement()) {
                    s.execute("ALTER TABLE readings SET (timescaledb.compress,"
                            + " timescaledb.compress_segmentby = 'point_id', timescaledb.compress_orderby = 'ts')");
                }
            }
            // Policies are replaced, not kept, so that a changed retention takes effect.
            execute(c, "SELECT remove_compression_policy('readings', if_exists => true)");
            if (retention.retention().compareTo(COMPRESS_AFTER) > 0) {
                execute(c, "SELECT add_compression_policy('readings', compress_after => ? * interval '1 second')",
                        COMPRESS_AFTER.toSeconds());
            }
            execute(c, "SELECT remove_retention_policy('readings', if_exists => true)");
            execute(c, "SELECT add_retention_policy('readings', drop_after => ? * interval '1 second')",
                    retention.retention().toSeconds());
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static boolean isHypertable(Connection c) throws SQLException {
        return scalar(c, "SELECT hypertable_name FROM timescaledb_information.hypertables"
                + " WHERE hypertable_name = 'readings'") != null;
    }

    static boolean atLeast(String version, int major, int minor) {
        String[] parts = version.split("[.-]");
        int ma = Integer.parseInt(parts[0]);
        int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        return ma > major || (ma == major && mi >= minor);
    }

    private static String scalar(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : null;
        }
    }

    private static void execute(Connection c, String sql, long... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setLong(i + 1, params[i]);
            }
            s.execute();
        }
    }
}
