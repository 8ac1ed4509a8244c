package fr.gardien.gateway;

import fr.gardien.storage.RollupStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the rollups current: every {@code interval}, on the database worker pool, re-aggregates
 * the hours the writer marked (late data included) until none is left, in passes of a bounded
 * size so that one pass never holds a connection long. Ingestion never waits for it: the writer
 * only marks hours, in its own transaction. One pass at a time; a failed pass is retried at the
 * next tick (the marks stay in the database).
 */
final class RollupMaintainer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RollupMaintainer.class);
    /** Hours per pass: a few seconds of work at most on a busy database. */
    static final int HOURS_PER_PASS = 20_000;

    private final Vertx vertx;
    private final RollupStore store;
    private final WorkerExecutor db;
    private final AtomicBoolean running = new AtomicBoolean();
    private final long timer;
    private volatile boolean closed;

    RollupMaintainer(Vertx vertx, RollupStore store, WorkerExecutor db, Duration interval) {
        this.vertx = vertx;
        this.store = store;
        this.db = db;
        db.executeBlocking(store::rebuildStaleDays, false).onSuccess(days -> {
            if (days > 0) {
                log.info("daily rollups recomputed for sites whose time zone changed [days: {}]", days);
            }
        }).onFailure(e -> log.warn("daily rollups not rebuilt [cause: {}]", e.getMessage()));
        this.timer = vertx.setPeriodic(interval.toMillis(), id -> tick());
    }

    /** Starts a pass unless one is running; completes with the hours refreshed by it (0 when skipped). */
    Future<Integer> tick() {
        if (closed || !running.compareAndSet(false, true)) {
            return Future.succeededFuture(0);
        }
        return db.executeBlocking(() -> {
            int total = 0;
            for (int n; !closed && (n = store.refresh(HOURS_PER_PASS)) > 0; ) {
                total += n;
            }
            return total;
        }, false).onComplete(ar -> {
            running.set(false);
            if (ar.failed()) {
                log.warn("rollup pass failed, retried at the next tick [cause: {}]", ar.cause().getMessage());
            } else if (ar.result() > 0) {
                log.debug("rollups refreshed [hours: {}]", ar.result());
            }
        });
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
