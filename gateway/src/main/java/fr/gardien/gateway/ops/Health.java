package fr.gardien.gateway.ops;

import fr.gardien.storage.write.BatchWriter;
import fr.gardien.storage.db.Database;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * {@code /health/live}: the process answers. {@code /health/ready}: the database answers, the
 * writer keeps up (its oldest queued batch is younger than {@code health.max-writer-lag}), and
 * the gateway is not shutting down. 200 when ready, 503 otherwise, with each check's state.
 */
public final class Health {

    private static final Duration PING_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration PING_REUSE = Duration.ofSeconds(1);

    private final Database database;
    private final BatchWriter writer;
    private final Duration maxWriterLag;
    private final WorkerExecutor db;
    private volatile boolean stopping;
    /** The last database check, reused for a second: probes, unauthenticated, must not each take a connection. */
    private volatile Future<Boolean> lastPing;
    private volatile long lastPingNanos;

    public Health(Database database, BatchWriter writer, Duration maxWriterLag, WorkerExecutor db) {
        this.database = database;
        this.writer = writer;
        this.maxWriterLag = maxWriterLag;
        this.db = db;
    }

    /** From now on, readiness fails: load balancers stop sending new work. */
    public void stopping() {
        stopping = true;
    }

    private synchronized Future<Boolean> databaseUp() {
        long now = System.nanoTime();
        if (lastPing == null || now - lastPingNanos > PING_REUSE.toNanos()) {
            lastPing = db.executeBlocking(() -> database.ping(PING_TIMEOUT), false);
            lastPingNanos = now;
        }
        return lastPing;
    }

    public void live(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("status", "UP").encode());
    }

    public void ready(RoutingContext ctx) {
        Duration lag = writer.oldestQueuedAge();
        boolean writerOk = lag.compareTo(maxWriterLag) <= 0;
        databaseUp().onComplete(ar -> {
            boolean dbOk = ar.succeeded() && Boolean.TRUE.equals(ar.result());
            boolean ready = dbOk && writerOk && !stopping;
            JsonObject checks = new JsonObject()
                    .put("database", dbOk ? "UP" : "DOWN")
                    .put("writer", new JsonObject().put("status", writerOk ? "UP" : "LAGGING")
                            .put("oldestQueuedMillis", lag.toMillis())
                            .put("queuedReadings", writer.queuedRows())
                            .put("capacityReadings", writer.capacityRows()));
            if (stopping) {
                checks.put("shutdown", "IN PROGRESS");
            }
            ctx.response().setStatusCode(ready ? 200 : 503).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("status", ready ? "UP" : "DOWN").put("checks", checks).encode());
        });
    }
}
