package fr.gardien.gateway.ops;

import fr.gardien.storage.db.Database;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;

/**
 * {@code /health/live}: the process answers. {@code /health/ready}: the database answers, each
 * {@link ReadinessCheck} of the process's role is up (the writer keeps up; an edge's Kafka is
 * reachable; a worker's consumer runs), and the gateway is not shutting down. 200 when ready,
 * 503 otherwise, with each check's state.
 */
public final class Health {

    private static final Duration PING_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration PING_REUSE = Duration.ofSeconds(1);

    private final Database database;
    private final List<ReadinessCheck> checks;
    private final WorkerExecutor db;
    private volatile boolean stopping;
    /** The last database check, reused for a second: probes, unauthenticated, must not each take a connection. */
    private volatile Future<Boolean> lastPing;
    private volatile long lastPingNanos;

    public Health(Database database, List<ReadinessCheck> checks, WorkerExecutor db) {
        this.database = database;
        this.checks = List.copyOf(checks);
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
        JsonObject states = new JsonObject();
        boolean partsUp = true;
        for (ReadinessCheck check : checks) {
            boolean up = check.up();
            partsUp &= up;
            states.put(check.name(), check.state().put("status", up ? "UP" : check.downStatus()));
        }
        boolean allPartsUp = partsUp;
        databaseUp().onComplete(ar -> {
            boolean dbOk = ar.succeeded() && Boolean.TRUE.equals(ar.result());
            boolean ready = dbOk && allPartsUp && !stopping;
            JsonObject body = new JsonObject().put("database", dbOk ? "UP" : "DOWN");
            body.mergeIn(states);
            if (stopping) {
                body.put("shutdown", "IN PROGRESS");
            }
            ctx.response().setStatusCode(ready ? 200 : 503).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("status", ready ? "UP" : "DOWN").put("checks", body).encode());
        });
    }
}
