package fr.gardien.storage.db;

import static fr.gardien.storage.testing.Fixtures.queryLong;
import static fr.gardien.storage.testing.Fixtures.readings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.gardien.storage.testing.Fixtures;
import fr.gardien.storage.write.BatchWriter;
import fr.gardien.storage.write.WriteBatch;
import fr.gardien.storage.write.WriterConfig;
import fr.gardien.storage.write.WriterMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class EmbeddedDatabaseIT {

    @TempDir
    Path dataDir;

    /** Committed readings survive stopping the embedded server and starting it again on the same directory, without a new initdb. */
    @Test
    void dataWrittenSurvivesARestartOnTheSameDirectory() throws Exception {
        Instant now = Instant.now();
        FileTime initialized;
        try (EmbeddedDatabase server = EmbeddedDatabase.start(dataDir, 0);
             Database db = Database.open(server.config(4), Fixtures.RETENTION);
             BatchWriter writer = new BatchWriter(db.dataSource(), db.partitions(), WriterConfig.DEFAULTS,
                     WriterMetrics.NOOP)) {
            assertThat(server.directory()).isEqualTo(dataDir.resolve("postgres").toAbsolutePath());
            assertThat(db.description()).startsWith("PostgreSQL 17").contains(server.jdbcUrl()).endsWith("(native partitions)");
            writer.offer(WriteBatch.of(readings(1, now, 1000))).get(10, TimeUnit.SECONDS);
            initialized = Files.getLastModifiedTime(server.directory().resolve("PG_VERSION"));
        }
        try (EmbeddedDatabase server = EmbeddedDatabase.start(dataDir, 0);
             Database db = Database.open(server.config(2), Fixtures.RETENTION)) {
            assertThat(queryLong(db.dataSource(), "SELECT count(*) FROM readings")).isEqualTo(1000);
            assertThat(Files.getLastModifiedTime(server.directory().resolve("PG_VERSION")))
                    .as("no second initdb").isEqualTo(initialized);
            assertThat(db.ping(Duration.ofSeconds(5))).isTrue();
        }
    }

    /** The embedded server keeps PostgreSQL's durability (fsync and synchronous_commit on), which zonky turns off by default. */
    @Test
    void theEmbeddedServerIsDurable() throws Exception {
        try (EmbeddedDatabase server = EmbeddedDatabase.start(dataDir, 0);
             Connection c = java.sql.DriverManager.getConnection(server.jdbcUrl(), EmbeddedDatabase.USER, "");
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT current_setting('fsync'), current_setting('synchronous_commit'),"
                     + " current_setting('full_page_writes')")) {
            r.next();
            assertThat(r.getString(1)).isEqualTo("on");
            assertThat(r.getString(2)).isEqualTo("on");
            assertThat(r.getString(3)).isEqualTo("on");
        }
    }

    /** Starting a second server on a directory in use fails with a clear message and leaves the first one running. */
    @Test
    void aDirectoryInUseIsRefused() throws Exception {
        try (EmbeddedDatabase server = EmbeddedDatabase.start(dataDir, 0)) {
            assertThatThrownBy(() -> EmbeddedDatabase.start(dataDir, 0)).isInstanceOf(StorageException.class)
                    .hasMessageContaining(dataDir.resolve("postgres").toAbsolutePath().toString());
            try (Connection c = java.sql.DriverManager.getConnection(server.jdbcUrl(), EmbeddedDatabase.USER, "")) {
                assertThat(c.isValid(5)).isTrue();
            }
        }
    }

    /** Opening a database that does not answer fails fast with a message naming the URL, never the password. */
    @Test
    void anUnreachableDatabaseFailsClearly() {
        int port;
        try (EmbeddedDatabase server = EmbeddedDatabase.start(dataDir, 0)) {
            port = server.port();
        }
        DatabaseConfig config = new DatabaseConfig("jdbc:postgresql://127.0.0.1:" + port + "/gardien", "postgres",
                "topsecret", 2);
        long start = System.nanoTime();
        assertThatThrownBy(() -> Database.open(config, Fixtures.RETENTION)).isInstanceOf(StorageException.class)
                .hasMessageContaining("127.0.0.1:" + port).hasMessageNotContaining("topsecret");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    }
}
