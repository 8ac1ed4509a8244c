package fr.gardien.storage.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded PostgreSQL (zonky binaries) whose files live under {@code dataDir/postgres}, so
 * data survives a restart: initdb runs only the first time and the directory is never cleaned.
 * The gateway's database is {@code gardien}, owned by the trust-authenticated superuser
 * {@code postgres}, on 127.0.0.1 only.
 *
 * <p>Durability is PostgreSQL's default: fsync and synchronous_commit are on (zonky turns them
 * off for throw-away test servers; here they are turned back on). A postmaster left running by a
 * process that died is stopped before starting, unless a live process still holds the directory.
 *
 * <p>Supervised (issue 15): when the postmaster dies while this object holds it (killed, crashed,
 * out of memory), a thread named {@code gardien-db-supervisor} starts it again on the same
 * directory and port, at once and then with a growing pause (up to {@link #MAX_RESTART_PAUSE})
 * while it fails; PostgreSQL's crash recovery replays the write-ahead log, so every committed
 * transaction is there again. Clients keep their JDBC URL; the pools open new connections.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    public static final String DATABASE = "gardien";
    public static final String USER = "postgres";
    /** zonky's lock file in the data directory, held while a server runs. */
    private static final String LOCK_FILE = "epg-lock";
    static final Duration MAX_RESTART_PAUSE = Duration.ofSeconds(5);

    /** Whether the server answers, as far as its supervisor knows. */
    public enum State { RUNNING, RESTARTING, STOPPED }

    private volatile EmbeddedPostgres postgres;
    private final Path directory;
    private final int port;
    private volatile State state = State.RUNNING;
    private final AtomicInteger restarts = new AtomicInteger();
    private final Object lifecycle = new Object();

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path directory) {
        this.postgres = postgres;
        this.directory = directory;
        this.port = postgres.getPort();
        watch(postgres);
    }

    /**
     * Starts the server (initdb the first time) and creates the {@code gardien} database if
     * missing. Blocking, up to a minute (crash recovery included).
     *
     * @param port the TCP port, 0 for a free one
     * @throws StorageException when the directory is in use or the server does not start
     */
    public static EmbeddedDatabase start(Path dataDir, int port) {
        Path directory = dataDir.resolve("postgres").toAbsolutePath();
        try {
            Files.createDirectories(directory);
            stopOrphan(directory);
            boolean fresh = !Files.exists(directory.resolve("postgresql.conf"));
            EmbeddedPostgres postgres = launch(directory, port);
            EmbeddedDatabase db = new EmbeddedDatabase(postgres, directory);
            db.createDatabase();
            log.info("embedded PostgreSQL started [directory: {}, port: {}, initdb: {}]", directory,
                    postgres.getPort(), fresh);
            return db;
        } catch (IOException | SQLException | RuntimeException e) {
            throw new StorageException("cannot start the embedded PostgreSQL in " + directory + ": " + e.getMessage(), e);
        }
    }

    private static EmbeddedPostgres launch(Path directory, int port) throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(directory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60))
                // Durability first: zonky starts with -F (fsync off) and synchronous_commit off.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                // Ingest throughput: fewer checkpoints under a steady COPY load.
                .setServerConfig("shared_buffers", "256MB")
                .setServerConfig("max_wal_size", "2GB")
                .setServerConfig("checkpoint_timeout", "15min")
                .setServerConfig("listen_addresses", "127.0.0.1")
                // In every backend's process title: the supervisor finds this server's orphans by it.
                .setServerConfig("cluster_name", clusterName(directory))
                .start();
    }

    /** The title a process shows in ps: PostgreSQL rewrites its argv, which /proc/PID/cmdline shows (Linux). */
    private static String processTitle(ProcessHandle p) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")),
                    java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return p.info().commandLine().orElse("");
        }
    }

    private static String clusterName(Path directory) {
        return "gardien-" + Integer.toHexString(directory.toString().hashCode());
    }

    /**
     * Backends outlive a killed postmaster for a moment and keep its shared memory, which a new
     * postmaster refuses to start beside: they are stopped as the postmaster would have on a
     * crash, and waited for.
     */
    private void stopOrphanedBackends() {
        String title = "postgres: " + clusterName(directory) + ":";
        List<ProcessHandle> orphans = ProcessHandle.allProcesses()
                .filter(p -> processTitle(p).startsWith(title))
                .toList();
        orphans.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : orphans) {
            try {
                p.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.debug("backend did not exit [pid: {}]", p.pid());
            }
        }
        if (!orphans.isEmpty()) {
            log.info("stopped the dead postmaster's backends [count: {}]", orphans.size());
        }
    }

    /**
     * The postmaster's exit is the signal to restart (zonky's own process is pg_ctl, gone once the
     * server started). A postmaster that stops cleanly removes its postmaster.pid; one that was
     * killed or crashed leaves it behind.
     */
    private void watch(EmbeddedPostgres server) {
        Path pidFile = directory.resolve("postmaster.pid");
        Optional<ProcessHandle> postmaster;
        try {
            postmaster = ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim()));
        } catch (IOException | RuntimeException e) {
            log.warn("embedded PostgreSQL not supervised: no readable postmaster.pid [directory: {}, cause: {}]", directory,
                    e.toString());
            return;
        }
        postmaster.ifPresentOrElse(p -> p.onExit().thenRun(() -> {
            boolean crashed = Files.exists(pidFile);
            synchronized (lifecycle) {
                if (state != State.RUNNING || postgres != server) {
                    return;
                }
                if (!crashed) {
                    // Stopped on purpose (pg_ctl stop, zonky's shutdown hook at JVM exit): not a crash.
                    state = State.STOPPED;
                    log.warn("embedded PostgreSQL was stopped from outside the gateway [directory: {}]", directory);
                    return;
                }
                state = State.RESTARTING;
            }
            log.warn("embedded PostgreSQL died, restarting it [directory: {}, pid: {}]", directory, p.pid());
            Thread t = new Thread(() -> restart(server), "gardien-db-supervisor");
            t.setDaemon(true);
            t.start();
        }), () -> log.warn("embedded PostgreSQL not supervised: its postmaster is not running [directory: {}]", directory));
    }

    private void restart(EmbeddedPostgres dead) {
        closeQuietly(dead);
        stopOrphanedBackends();
        long pauseMillis = 100;
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            synchronized (lifecycle) {
                if (state != State.RESTARTING) {
                    return;
                }
                try {
                    EmbeddedPostgres server = launch(directory, port);
                    postgres = server;
                    state = State.RUNNING;
                    restarts.incrementAndGet();
                    watch(server);
                    log.warn("embedded PostgreSQL restarted after crash recovery [directory: {}, attempts: {}, seconds: {}]",
                            directory, attempt, String.format(java.util.Locale.ROOT, "%.1f",
                                    (System.nanoTime() - started) / 1e9));
                    return;
                } catch (IOException | RuntimeException e) {
                    // Typically: the dead postmaster's backends still hold its shared memory for a moment.
                    log.warn("embedded PostgreSQL did not restart yet [attempt: {}, cause: {}]", attempt, e.getMessage());
                }
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pauseMillis = Math.min(MAX_RESTART_PAUSE.toMillis(), pauseMillis * 2);
        }
    }

    /** RUNNING, RESTARTING (its supervisor is starting it again) or STOPPED (closed). */
    public State state() {
        return state;
    }

    /** How many times the supervisor started the server again since this object started it. */
    public int restarts() {
        return restarts.get();
    }

    private void closeQuietly(EmbeddedPostgres server) {
        try {
            // Releases zonky's lock on the directory; pg_ctl finds nothing to stop.
            server.close();
        } catch (IOException | RuntimeException e) {
            log.debug("closing a dead embedded PostgreSQL [cause: {}]", e.getMessage());
        }
    }

    private void createDatabase() throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                s.setString(1, DATABASE);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        return;
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + DATABASE);
            }
        }
    }

    /** Stops a postmaster whose owning process died; refuses when a live process holds the directory. */
    private static void stopOrphan(Path directory) throws IOException {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try (FileChannel channel = new RandomAccessFile(directory.resolve(LOCK_FILE).toFile(), "rw").getChannel();
             FileLock lock = channel.tryLock()) {
            if (lock == null) {
                throw new StorageException("the embedded PostgreSQL in " + directory + " is used by another process");
            }
        } catch (java.nio.channels.OverlappingFileLockException e) {
            throw new StorageException("the embedded PostgreSQL in " + directory + " is already started in this process");
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            return;
        }
        long pid = Long.parseLong(lines.get(0).trim());
        Optional<ProcessHandle> process = ProcessHandle.of(pid)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (process.isEmpty()) {
            return;
        }
        log.warn("stopping an orphaned embedded PostgreSQL [pid: {}, directory: {}]", pid, directory);
        ProcessHandle postmaster = process.get();
        postmaster.destroy();
        try {
            postmaster.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            postmaster.destroyForcibly();
        }
    }

    /** A config for the {@code gardien} database. */
    public DatabaseConfig config(int poolSize) {
        return new DatabaseConfig(jdbcUrl(), USER, "", poolSize);
    }

    /** The JDBC URL of the {@code gardien} database. */
    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    /** The JDBC URL of another database of this server (e.g. {@code postgres}, to create databases). */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    public int port() {
        return port;
    }

    /** The server's data directory ({@code dataDir/postgres}). */
    public Path directory() {
        return directory;
    }

    /** Stops the server cleanly (fast shutdown: sessions are ended, committed data is on disk). */
    @Override
    public void close() {
        EmbeddedPostgres server;
        synchronized (lifecycle) {
            if (state == State.STOPPED) {
                return;
            }
            state = State.STOPPED;
            server = postgres;
        }
        try {
            server.close();
            log.info("embedded PostgreSQL stopped [directory: {}]", directory);
        } catch (IOException e) {
            log.warn("embedded PostgreSQL did not stop cleanly [directory: {}, cause: {}]", directory, e.getMessage());
        }
    }
}
