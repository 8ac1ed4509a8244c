package fr.gardien.gateway.ticketing;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: after the n-th failure, a wait drawn between half and all of
 * {@code initial × 2^(n-1)}, capped at {@code max}. The jitter spreads the retries of many
 * deliveries that failed together (the ticketing system went down) instead of sending them back
 * in one burst; keeping half the wait guarantees that the delay still grows.
 */
final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final DoubleSupplier random;

    Backoff(Duration initial, Duration max) {
        this(initial, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /** The wait after the {@code failures}-th failure (from 1). */
    Duration after(int failures) {
        long ceiling = max.toMillis();
        long base = initial.toMillis();
        for (int i = 1; i < failures && base < ceiling; i++) {
            base *= 2;
        }
        base = Math.min(base, ceiling);
        return Duration.ofMillis(base / 2 + (long) (random.getAsDouble() * (base - base / 2)));
    }
}
