package fr.gardien.gateway;

import fr.gardien.gateway.config.ClusterConfig;
import fr.gardien.gateway.config.GardienConfig;
import fr.gardien.gateway.ops.GatewayMetrics;
import fr.gardien.storage.write.BatchWriter;
import fr.gardien.storage.db.Database;
import fr.gardien.storage.db.DatabaseConfig;
import fr.gardien.storage.db.EmbeddedDatabase;
import fr.gardien.storage.db.RetentionConfig;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage room: the database (embedded when {@code db.url} is empty), its partitions, and the
 * batch writer that group-commits the readings.
 */
final class Storage implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Storage.class);

    private final EmbeddedDatabase embedded;
    private final Database database;
    private final DatabaseConfig databaseConfig;
    private final RetentionConfig retention;
    private BatchWriter writer;

    private Storage(EmbeddedDatabase embedded, Database database, DatabaseConfig databaseConfig, RetentionConfig retention) {
        this.embedded = embedded;
        this.database = database;
        this.databaseConfig = databaseConfig;
        this.retention = retention;
    }

    /** Opens the database and brings its partitions up to date; blocking. */
    static Storage open(GardienConfig config) {
        EmbeddedDatabase embedded = null;
        try {
            DatabaseConfig dbConfig;
            if (config.db().url() == null || config.db().url().isBlank()) {
                embedded = EmbeddedDatabase.start(config.data().dir(), 0);
                dbConfig = embedded.config(config.db().poolSize());
                log.info("database: EMBEDDED PostgreSQL [files: {}, url: {}] - set db.url to use an external PostgreSQL/TimescaleDB",
                        config.data().dir().resolve("postgres").toAbsolutePath(), embedded.jdbcUrl());
            } else {
                dbConfig = new DatabaseConfig(config.db().url(), config.db().user(), config.db().password(), config.db().poolSize());
            }
            RetentionConfig retention = config.storage().readings();
            // The writers get connections of their own: nothing else can hold one they wait for.
            // In a cluster the leader alone writes the TimescaleDB policies (issue 13, Maintenance).
            Database database = Database.open(dbConfig, retention, config.writer().threads(),
                    config.cluster().role() == ClusterConfig.Role.ALL);
            Storage storage = new Storage(embedded, database, dbConfig, retention);
            log.info("database: {}", database.description());
            database.partitions().maintain(Instant.now());
            return storage;
        } catch (RuntimeException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    /** Starts the batch writer, with its gauges. */
    BatchWriter startWriter(GardienConfig config, GatewayMetrics metrics) {
        writer = new BatchWriter(database.writerDataSource(), database.partitions(), config.writer(), metrics);
        metrics.gauge("gardien.writer.queue.readings", "Readings queued for the writer", writer::queuedRows);
        metrics.gauge("gardien.writer.queue.capacity", "Capacity of the writer's queue, in readings", writer::capacityRows);
        metrics.gauge("gardien.writer.lag.seconds", "Age of the oldest queued batch",
                () -> writer.oldestQueuedAge().toNanos() / 1e9);
        return writer;
    }

    /** (Re)writes the TimescaleDB policies from this process's configuration; blocking. */
    void applyPolicies() {
        database.applyPolicies(retention);
    }

    Database database() {
        return database;
    }

    DatabaseConfig databaseConfig() {
        return databaseConfig;
    }

    BatchWriter writer() {
        return writer;
    }

    /** Flushes and commits what the writer accepted, then stops it; blocking. */
    void closeWriter() {
        if (writer != null) {
            writer.close();
        }
    }

    /**
     * As {@link #closeWriter()}, waiting at most {@code timeout}: with the database gone, what is
     * left fails unacknowledged (issue 15).
     */
    void closeWriter(Duration timeout) {
        // Edges and workers have no writer (issue 13).
        if (writer != null) {
            writer.close(timeout);
        }
    }

    /** The embedded server's state for the readiness probe; {@code RUNNING} for an external database. */
    String serverState() {
        return embedded == null ? "RUNNING" : embedded.state().name();
    }

    /** Closes the pool, then the embedded server if there is one. */
    @Override
    public void close() {
        try {
            closeDatabase();
        } finally {
            closeEmbedded();
        }
    }

    void closeDatabase() {
        database.close();
    }

    void closeEmbedded() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
