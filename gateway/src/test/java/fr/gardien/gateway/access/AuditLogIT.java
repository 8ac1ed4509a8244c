package fr.gardien.gateway.access;

import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.storage.access.AuditEntry;
import fr.gardien.storage.access.AuditStore;
import fr.gardien.storage.db.Database;
import fr.gardien.storage.db.RetentionConfig;
import fr.gardien.storage.testing.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The audit log's bounded queue against a real PostgreSQL that stops and resumes answering. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuditLogIT {

    static final int CAPACITY = 100;

    Database database;
    Vertx vertx;
    WorkerExecutor db;
    final AtomicBoolean failing = new AtomicBoolean();
    final CountingMetrics metrics = new CountingMetrics();
    AuditStore store;
    AuditLog log;

    @BeforeEach
    void open() {
        database = Database.open(TestPostgres.shared().newDatabase(), RetentionConfig.of(Duration.ofDays(365)));
        DataSource real = database.dataSource();
        // The database "stops answering" while failing is set: every new connection is refused.
        DataSource flaky = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && failing.get()) {
                        throw new SQLException("connection refused (test)");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        vertx = Vertx.vertx();
        db = vertx.createSharedWorkerExecutor("audit-test-db", 1);
        store = new AuditStore(flaky);
        log = new AuditLog(vertx, store, db, CAPACITY, metrics, Clock.systemUTC());
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        database.close();
    }

    static AuditEntry entry(int i) {
        return new AuditEntry(0, Instant.now(), "actor-" + i, "admin", "GET", "/api/v1/sites", "/api/v1/sites", List.of(),
                Map.of(), 200);
    }

    void flush() throws Exception {
        log.flush().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Queued entries are written as batches, in order, and counted. */
    @Test
    void queuedEntriesAreWrittenInBatches() throws Exception {
        for (int i = 0; i < 60; i++) {
            log.offer(entry(i));
        }
        flush();
        List<AuditEntry> stored = new AuditStore(database.dataSource()).list(null, null, 1000);
        assertThat(stored).hasSize(60);
        assertThat(metrics.written.get()).isEqualTo(60);
        assertThat(log.queued()).isZero();
    }

    /**
     * While the database refuses, the refused batch is kept and the queue fills: then requests are
     * not admitted and a late entry is dropped and counted; once it answers, everything kept is written.
     */
    @Test
    void aFullQueueRefusesRequestsAndRecoversWhenTheDatabaseAnswers() throws Exception {
        failing.set(true);
        for (int i = 0; i < CAPACITY; i++) {
            log.offer(entry(i));
        }
        assertThat(log.admits()).isFalse();
        flush();
        assertThat(log.queued()).as("the refused batch is kept").isEqualTo(CAPACITY);
        assertThat(metrics.written.get()).isZero();

        for (int i = CAPACITY; i < 2 * CAPACITY; i++) {
            log.offer(entry(i));
        }
        assertThat(log.admits()).isFalse();
        log.offer(entry(-1));
        assertThat(metrics.dropped.get()).isEqualTo(1);
        assertThat(log.queued()).isEqualTo(2 * CAPACITY);

        failing.set(false);
        flush();
        assertThat(log.admits()).isTrue();
        assertThat(log.queued()).isZero();
        assertThat(metrics.written.get()).isEqualTo(2 * CAPACITY);
        assertThat(new AuditStore(database.dataSource()).list(null, null, 1000)).hasSize(2 * CAPACITY)
                .noneMatch(e -> e.actor().equals("actor--1"));
    }

    static final class CountingMetrics implements AuditMetrics {
        final AtomicInteger written = new AtomicInteger();
        final AtomicInteger dropped = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();

        @Override
        public void written(int entries) {
            written.addAndGet(entries);
        }

        @Override
        public void dropped() {
            dropped.incrementAndGet();
        }

        @Override
        public void refused() {
            refused.incrementAndGet();
        }
    }
}
