package fr.gardien.gateway.ticketing;

import java.time.Duration;

/**
 * How the dispatcher delivers ({@code ticketing.delivery}).
 *
 * @param maxAttempts tries of one delivery before it is dead-lettered
 * @param initialBackoff the wait after the first failure; doubled after each further one
 * @param maxBackoff the longest wait between two tries
 * @param concurrency deliveries in flight at once, per connector
 * @param pollInterval how often due deliveries are looked for
 * @param claimTimeout how long a try may take before its row is due again (a dispatcher that
 *     died mid-delivery releases its rows after this); longer than any connector's timeout
 */
public record DeliverySettings(int maxAttempts, Duration initialBackoff, Duration maxBackoff, int concurrency,
        Duration pollInterval, Duration claimTimeout) {

    public static final DeliverySettings DEFAULTS = new DeliverySettings(10, Duration.ofSeconds(30), Duration.ofHours(1), 4,
            Duration.ofSeconds(1), Duration.ofMinutes(5));

    public DeliverySettings {
        if (maxAttempts < 1 || concurrency < 1) {
            throw new IllegalArgumentException("maxAttempts and concurrency must be at least 1");
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0 || pollInterval.isZero()
                || pollInterval.isNegative() || claimTimeout.isZero() || claimTimeout.isNegative()) {
            throw new IllegalArgumentException("invalid delivery durations");
        }
    }
}
