package fr.gardien.storage.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's database: a HikariCP pool on a migrated schema, with the readings table set up
 * as a TimescaleDB hypertable or natively partitioned (see {@link ReadingsLayout}).
 *
 * <p>Every connection has bounded connect, login and socket timeouts, so no call waits forever
 * on a database that stopped answering.
 */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);
    /** Longer than any statement the gateway runs; only a dead or frozen server reaches it. */
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(120);
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);
    static final Duration PING_CONNECTION_TIMEOUT = Duration.ofSeconds(1);

    private final HikariDataSource pool;
    private final HikariDataSource writerPool;
    /** One connection of its own for {@link #pingAsync}: a busy pool must not read as a dead database. */
    private final HikariDataSource pingPool;
    private final boolean timescale;
    private final String description;
    private final PartitionManager partitions;
    private final ExecutorService pinger;

    private Database(HikariDataSource pool, HikariDataSource writerPool, HikariDataSource pingPool, boolean timescale,
            String description, PartitionManager partitions) {
        this.pool = pool;
        this.writerPool = writerPool;
        this.pingPool = pingPool;
        this.timescale = timescale;
        this.description = description;
        this.partitions = partitions;
        AtomicInteger n = new AtomicInteger();
        this.pinger = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "gardien-db-ping-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens the HikariCP pool, installs timescaledb when the server offers it, runs the Flyway
     * migrations (classpath:db/migration) and sets the readings table up: hypertable with
     * compression and retention policies, or native range partitions on ts (created now for
     * [now, now + partitionsAhead intervals]). Blocking.
     *
     * @throws StorageException naming the URL (never the password) when the database is
     *     unreachable, refuses the credentials or the migration fails
     */
    public static Database open(DatabaseConfig config, RetentionConfig retention) {
        return open(config, retention, 0);
    }

    /**
     * As {@link #open(DatabaseConfig, RetentionConfig)}, with {@code writerConnections} of the
     * {@link DatabaseConfig#poolSize()} connections set apart in a pool of their own for the batch
     * writer ({@link #writerDataSource()}): no query, rollup pass, alert or audit insert can then
     * hold a connection a writer waits for.
     *
     * @param writerConnections 0 to share one pool; else at most the pool size minus 2
     */
    public static Database open(DatabaseConfig config, RetentionConfig retention, int writerConnections) {
        return open(config, retention, writerConnections, true);
    }

    /**
     * As {@link #open(DatabaseConfig, RetentionConfig, int)}; with {@code policies} false the
     * TimescaleDB chunk width, compression and retention jobs are left as they are (the readings
     * table still becomes a hypertable the first time): among processes sharing the database, the
     * one that leads writes them ({@link #applyPolicies}, issue 13).
     */
    public static Database open(DatabaseConfig config, RetentionConfig retention, int writerConnections, boolean policies) {
        if (writerConnections < 0 || writerConnections > 0 && writerConnections > config.poolSize() - 2) {
            throw new IllegalArgumentException("writer connections must be within 0.." + (config.poolSize() - 2)
                    + " of a pool of " + config.poolSize() + ", was " + writerConnections);
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari(config, "gardien-db", config.poolSize() - writerConnections));
        } catch (RuntimeException e) {
            throw new StorageException("cannot connect to PostgreSQL at " + config.safeUrl() + " as " + config.user()
                    + ": " + rootMessage(e), e);
        }
        try {
            boolean installed;
            String version;
            try (Connection c = pool.getConnection()) {
                installed = ReadingsLayout.installTimescale(c);
                version = serverVersion(c);
            }
            Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            boolean timescale;
            try (Connection c = pool.getConnection()) {
                timescale = ReadingsLayout.detect(c);
                if (timescale) {
                    ReadingsLayout.applyTimescale(c, retention, policies);
                } else if (installed) {
                    log.warn("timescaledb is installed but readings was created natively partitioned; keeping native"
                            + " partitions (a new database would use a hypertable)");
                }
            }
            PartitionManager partitions = new PartitionManager(pool, retention, timescale);
            partitions.maintain(Instant.now());
            String description = "PostgreSQL " + version + " at " + config.safeUrl()
                    + (timescale ? " (TimescaleDB hypertable)" : " (native partitions)");
            HikariDataSource writers = writerConnections == 0 ? null
                    : new HikariDataSource(hikari(config, "gardien-writer", writerConnections));
            HikariConfig ping = hikari(config, "gardien-ping", 1);
            ping.setConnectionTimeout(PING_CONNECTION_TIMEOUT.toMillis());
            return new Database(pool, writers, new HikariDataSource(ping), timescale, description, partitions);
        } catch (SQLException | RuntimeException e) {
            pool.close();
            if (e instanceof StorageException se) {
                throw se;
            }
            throw new StorageException("cannot prepare the database at " + config.safeUrl() + ": " + rootMessage(e), e);
        }
    }

    private static HikariConfig hikari(DatabaseConfig config, String name, int size) {
        HikariConfig h = new HikariConfig();
        h.setPoolName(name);
        h.setJdbcUrl(config.url());
        h.setUsername(config.user());
        h.setPassword(config.password());
        h.setMaximumPoolSize(size);
        h.setMinimumIdle(Math.min(2, size));
        h.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        h.setValidationTimeout(Duration.ofSeconds(3).toMillis());
        // Fail at once, with the driver's reason, when the database cannot be reached at start.
        h.setInitializationFailTimeout(1);
        // Parameters in the URL take precedence over these defaults (pgjdbc).
        h.addDataSourceProperty("connectTimeout", String.valueOf(CONNECTION_TIMEOUT.toSeconds()));
        h.addDataSourceProperty("loginTimeout", String.valueOf(CONNECTION_TIMEOUT.toSeconds()));
        h.addDataSourceProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT.toSeconds()));
        h.addDataSourceProperty("tcpKeepAlive", "true");
        h.addDataSourceProperty("reWriteBatchedInserts", "true");
        // Named by pool (gardien-db, gardien-writer): pg_stat_activity tells the writers apart.
        h.addDataSourceProperty("ApplicationName", name);
        return h;
    }

    private static String serverVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SHOW server_version")) {
            r.next();
            return r.getString(1).split(" ")[0];
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }

    /** The pool; connections are bounded by {@link DatabaseConfig#poolSize()} (less the writers' own, if set apart). */
    public DataSource dataSource() {
        return pool;
    }

    /** The batch writer's pool: its own when connections were set apart for it at open, else {@link #dataSource()}. */
    public DataSource writerDataSource() {
        return writerPool == null ? pool : writerPool;
    }

    /** True when readings is a TimescaleDB hypertable, false when natively partitioned. */
    public boolean timescale() {
        return timescale;
    }

    /**
     * One line for the start-up log, e.g. "PostgreSQL 17.6 at jdbc:postgresql://localhost:5432/gardien
     * (native partitions)"; never contains the password.
     */
    public String description() {
        return description;
    }

    /** Blocking, at most about {@code timeout}; true when SELECT 1 answers within it. */
    public boolean ping(Duration timeout) {
        try {
            return pingAsync(timeout).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * SELECT 1 on a connection of its own, on a thread of its own: completes with true when the
     * database answered within {@code timeout}, else with false once it has passed, whatever the
     * database or the other pools are doing. Never completes exceptionally.
     */
    public CompletableFuture<Boolean> pingAsync(Duration timeout) {
        if (pinger.isShutdown()) {
            return CompletableFuture.completedFuture(false);
        }
        return CompletableFuture.supplyAsync(() -> {
            try (Connection c = pingPool.getConnection(); Statement s = c.createStatement()) {
                s.setQueryTimeout((int) Math.max(1, timeout.toSeconds() + 1));
                try (ResultSet r = s.executeQuery("SELECT 1")) {
                    return r.next();
                }
            } catch (SQLException e) {
                log.debug("ping failed [cause: {}]", e.getMessage());
                return false;
            }
        }, pinger).completeOnTimeout(false, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * (Re)writes the TimescaleDB chunk width, compression and retention jobs of the readings table
     * from {@code retention}; nothing on native partitions. Blocking.
     *
     * @throws StorageException when the database refused
     */
    public void applyPolicies(RetentionConfig retention) {
        if (!timescale) {
            return;
        }
        try (Connection c = pool.getConnection()) {
            ReadingsLayout.applyTimescale(c, retention, true);
        } catch (SQLException e) {
            throw new StorageException("cannot set the TimescaleDB policies: " + Failures.describe(e), e);
        }
    }

    /** Keeps the native partitions of readings (no-op on TimescaleDB). */
    public PartitionManager partitions() {
        return partitions;
    }

    /** Closes the pool; connections in use are closed as they are returned. */
    @Override
    public void close() {
        pinger.shutdownNow();
        pingPool.close();
        if (writerPool != null) {
            writerPool.close();
        }
        pool.close();
    }
}
