package fr.gardien.gateway.ops;

import fr.gardien.storage.write.BatchWriter;
import fr.gardien.storage.db.Database;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code /health/live}: the process answers. {@code /health/ready}: the database answers, the
 * writer keeps up (its oldest queued batch is younger than {@code health.max-writer-lag}), and
 * the gateway is not shutting down. 200 when ready, 503 otherwise, with each check's state.
 *
 * <p>Readiness answers within a second whatever the database does (issue 15): its check runs on
 * the database's own ping connection and thread with a deadline of {@link #PING_TIMEOUT}, never
 * behind the queries on the shared worker pool; while the embedded server's supervisor restarts
 * it, the database reads {@code RESTARTING} without being asked.
 */
public final class Health {

    static final Duration PING_TIMEOUT = Duration.ofMillis(800);
    private static final Duration PING_REUSE = Duration.ofSeconds(1);

    private final Database database;
    private final BatchWriter writer;
    private final Duration maxWriterLag;
    private final Supplier<String> serverState;
    private volatile boolean stopping;
    /** The last database check, reused for a second: probes, unauthenticated, must not each take a connection. */
    private volatile CompletableFuture<Boolean> lastPing;
    private volatile long lastPingNanos;

    /**
     * @param serverState what the embedded server's supervisor says ({@code RUNNING},
     *     {@code RESTARTING}…); always {@code RUNNING} for an external database
     */
    public Health(Database database, BatchWriter writer, Duration maxWriterLag, Supplier<String> serverState) {
        this.database = database;
        this.writer = writer;
        this.maxWriterLag = maxWriterLag;
        this.serverState = serverState;
    }

    /** From now on, readiness fails: load balancers stop sending new work. */
    public void stopping() {
        stopping = true;
    }

    private synchronized CompletableFuture<Boolean> databaseUp() {
        long now = System.nanoTime();
        if (lastPing == null || now - lastPingNanos > PING_REUSE.toNanos()) {
            lastPing = database.pingAsync(PING_TIMEOUT);
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
        String server = serverState.get();
        Future<Boolean> up = "RUNNING".equals(server)
                ? Future.fromCompletionStage(databaseUp(), ctx.vertx().getOrCreateContext())
                : Future.succeededFuture(false);
        up.onComplete(ar -> {
            boolean dbOk = ar.succeeded() && Boolean.TRUE.equals(ar.result());
            boolean ready = dbOk && writerOk && !stopping;
            JsonObject checks = new JsonObject()
                    .put("database", dbOk ? "UP" : "RUNNING".equals(server) ? "DOWN" : server)
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
