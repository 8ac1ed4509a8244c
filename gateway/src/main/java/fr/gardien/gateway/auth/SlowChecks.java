package fr.gardien.gateway.auth;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs slow hash verifications on a worker pool, never on an event loop, and refuses new ones
 * once {@code maxPending} are waiting: a flood of bad credentials must not queue without bound.
 */
final class SlowChecks {

    private final WorkerExecutor executor;
    private final int maxPending;
    private final AtomicInteger pending = new AtomicInteger();

    SlowChecks(WorkerExecutor executor, int maxPending) {
        this.executor = executor;
        this.maxPending = maxPending;
    }

    /**
     * @return the check's result, or a failure with {@link AuthException.Reason#BUSY} when too
     *     many checks are waiting
     */
    <T> Future<T> run(Callable<T> check) {
        if (pending.incrementAndGet() > maxPending) {
            pending.decrementAndGet();
            return Future.failedFuture(new AuthException(AuthException.Reason.BUSY, "too many authentications in progress"));
        }
        return executor.executeBlocking(check, false).andThen(ar -> pending.decrementAndGet());
    }
}
