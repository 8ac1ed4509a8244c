package fr.gardien.gateway;

import fr.gardien.gateway.ops.GatewayMetrics;
import fr.gardien.storage.series.RollupStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the rollups current: every {@code interval}, on the database worker pool, folds what the
 * writers logged into the hour and day rows ({@link RollupStore#refresh}). Ingestion never waits
 * for it: the writers only append to the log, which a pass reads and deletes without a lock a
 * writer could meet. One pass at a time (across processes too); a failed pass is retried at the
 * next tick (the log stays in the database).
 */
final class RollupMaintainer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RollupMaintainer.class);
    /** A pass longer than this is logged: the rollups fall behind the readings meanwhile. */
    private static final long SLOW_PASS_MILLIS = 2000;

    private final Vertx vertx;
    private final RollupStore store;
    private final WorkerExecutor db;
    private final GatewayMetrics metrics;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile RollupStore.Backlog backlog = new RollupStore.Backlog(0, 0, Duration.ZERO);
    private final long timer;
    private volatile boolean closed;

    RollupMaintainer(Vertx vertx, RollupStore store, WorkerExecutor db, Duration interval, GatewayMetrics metrics) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.store = store;
        this.db = db;
        db.executeBlocking(store::rebuildStaleDays, false).onSuccess(days -> {
            if (days > 0) {
                log.info("daily rollups recomputed for sites whose time zone changed [days: {}]", days);
            }
        }).onFailure(e -> log.warn("daily rollups not rebuilt [cause: {}]", e.getMessage()));
        this.timer = vertx.setPeriodic(interval.toMillis(), id -> tick());
    }

    /** Starts a pass unless one is running; completes with what it did ({@link RollupStore.Pass#SKIPPED} when skipped). */
    Future<RollupStore.Pass> tick() {
        if (closed || !running.compareAndSet(false, true)) {
            return Future.succeededFuture(RollupStore.Pass.SKIPPED);
        }
        return db.executeBlocking(() -> {
            long start = System.nanoTime();
            RollupStore.Pass pass = store.refresh();
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (millis >= SLOW_PASS_MILLIS) {
                log.info("slow rollup pass [millis: {}, segments: {}, hours: {}, refolded from readings: {}]", millis,
                        pass.segments(), pass.hours(), pass.refolded());
            }
            // What arrived during the pass: read here, on the worker, for the gauges.
            backlog = store.backlog();
            metrics.rollupPass(pass.hours(), pass.refolded());
            return pass;
        }, false).onComplete(ar -> {
            running.set(false);
            if (ar.failed()) {
                log.warn("rollup pass failed, retried at the next tick [cause: {}]", ar.cause().getMessage());
            } else if (ar.result().hours() > 0) {
                log.debug("rollups refreshed [segments: {}, hours: {}, refolded from readings: {}]",
                        ar.result().segments(), ar.result().hours(), ar.result().refolded());
            }
        });
    }

    /** What the log held after the last pass: the gauges' source, never a query on the caller's thread. */
    RollupStore.Backlog backlog() {
        return backlog;
    }

    /** Rebuilds the days of sites whose time zone changed (after a portfolio reload). */
    Future<Integer> rebuildStaleDays() {
        return db.executeBlocking(store::rebuildStaleDays, false);
    }

    @Override
    public void close() {
        closed = true;
        vertx.cancelTimer(timer);
    }
}
