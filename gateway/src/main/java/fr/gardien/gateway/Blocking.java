package fr.gardien.gateway;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Waiting for a future from the start-up or shutdown thread (never an event loop). */
final class Blocking {

    private Blocking() {
    }

    /** The future's result, waiting up to 30 s; its failure rethrown unchecked. */
    static <T> T await(Future<T> future) {
        return await(future, Duration.ofSeconds(30));
    }

    /** The future's result, waiting up to {@code timeout}; its failure (or the timeout) rethrown unchecked. */
    static <T> T await(Future<T> future, Duration timeout) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause.getMessage(), cause);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
