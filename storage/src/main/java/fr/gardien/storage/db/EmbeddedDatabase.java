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
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    public static final String DATABASE = "gardien";
    public static final String USER = "postgres";
    /** zonky's lock file in the data directory, held while a server runs. */
    private static final String LOCK_FILE = "epg-lock";

    private final EmbeddedPostgres postgres;
    private final Path directory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path directory) {
        this.postgres = postgres;
        this.directory = directory;
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
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
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
                    .start();
            EmbeddedDatabase db = new EmbeddedDatabase(postgres, directory);
            db.createDatabase();
            log.info("embedded PostgreSQL started [directory: {}, port: {}, initdb: {}]", directory,
                    postgres.getPort(), fresh);
            return db;
        } catch (IOException | SQLException | RuntimeException e) {
            throw new StorageException("cannot start the embedded PostgreSQL in " + directory + ": " + e.getMessage(), e);
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
        return postgres.getPort();
    }

    /** The server's data directory ({@code dataDir/postgres}). */
    public Path directory() {
        return directory;
    }

    /** Stops the server cleanly (fast shutdown: sessions are ended, committed data is on disk). */
    @Override
    public void close() {
        try {
            postgres.close();
            log.info("embedded PostgreSQL stopped [directory: {}]", directory);
        } catch (IOException e) {
            log.warn("embedded PostgreSQL did not stop cleanly [directory: {}, cause: {}]", directory, e.getMessage());
        }
    }
}
