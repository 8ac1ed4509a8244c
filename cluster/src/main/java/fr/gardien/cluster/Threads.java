package fr.gardien.cluster;

import java.time.Duration;

/** The end of the cluster's own threads. */
final class Threads {

    private Threads() {
    }

    /** Waits up to {@code timeout} for a thread asked to stop; keeps the caller's interrupt. */
    static void join(Thread thread, Duration timeout) {
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
