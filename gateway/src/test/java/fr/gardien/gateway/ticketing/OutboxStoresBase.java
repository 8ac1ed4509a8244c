package fr.gardien.gateway.ticketing;

import fr.gardien.storage.alerts.AlertStore;
import fr.gardien.storage.alerts.DigestStore;
import fr.gardien.storage.alerts.OutboxEntry;
import fr.gardien.storage.alerts.OutboxStore;
import fr.gardien.storage.db.Database;
import fr.gardien.storage.db.RetentionConfig;
import fr.gardien.storage.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the dispatcher's ITs share: for each test a database of its own with the alert, outbox
 * and digest stores, a Vert.x with a database worker, and the dispatchers the test made, stopped
 * after it.
 */
abstract class OutboxStoresBase {

    Database db;
    AlertStore alerts;
    OutboxStore outbox;
    DigestStore digests;
    Vertx vertx;
    WorkerExecutor worker;
    final List<OutboxDispatcher> dispatchers = new ArrayList<>();

    @BeforeEach
    void openStores() {
        db = Database.open(TestPostgres.shared().newDatabase(), RetentionConfig.of(Duration.ofDays(365)));
        alerts = new AlertStore(db.dataSource());
        outbox = new OutboxStore(db.dataSource());
        digests = new DigestStore(db.dataSource());
        vertx = Vertx.vertx();
        worker = vertx.createSharedWorkerExecutor("test-db", 4);
    }

    @AfterEach
    void closeStores() throws Exception {
        for (OutboxDispatcher d : dispatchers) {
            await(d.stop(Duration.ofMillis(100)));
        }
        await(vertx.close());
        db.close();
    }

    /** The outbox row of an alert. */
    OutboxEntry row(long alertId) {
        return outbox.list(null, 1000).stream().filter(e -> e.alertId() == alertId).findFirst().orElseThrow();
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
}
