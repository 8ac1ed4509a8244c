package fr.gardien.gateway;

import fr.gardien.gateway.config.ServerCredentials;
import fr.gardien.gateway.config.TlsListener;
import fr.gardien.gateway.ops.GatewayMetrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the TLS listeners' certificate and key files every {@link #EVERY} (issue 14), off the
 * event loops, so that a renewed certificate is served to new connections without a restart.
 * Counts each outcome in {@code gardien.tls.reloads{listener, outcome}} (reloaded, refused).
 */
final class CertificateWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CertificateWatch.class);
    /** Two small files read and hashed per listener: cheap enough to notice a renewal within seconds. */
    static final Duration EVERY = Duration.ofSeconds(2);

    private final Vertx vertx;
    private final long timer;

    private CertificateWatch(Vertx vertx, List<TlsListener> listeners, GatewayMetrics metrics) {
        this.vertx = vertx;
        if (listeners.isEmpty()) {
            timer = -1;
            return;
        }
        timer = vertx.setPeriodic(EVERY.toMillis(), id -> vertx.executeBlocking(() -> {
            for (TlsListener listener : listeners) {
                ServerCredentials credentials = listener.credentials();
                ServerCredentials.Reload outcome = credentials.reloadIfChanged();
                if (outcome != ServerCredentials.Reload.UNCHANGED) {
                    Counter.builder("gardien.tls.reloads").description("Renewed TLS certificate files, served or refused")
                            .tag("listener", credentials.listener()).tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                            .register(metrics.registry()).increment();
                }
            }
            return null;
        }, false).onFailure(e -> log.warn("TLS certificate check failed: {}", e.toString())));
    }

    /** Starts watching the files of {@code listeners} (none: nothing to do). */
    static CertificateWatch start(Vertx vertx, List<TlsListener> listeners, GatewayMetrics metrics) {
        return new CertificateWatch(vertx, List.copyOf(listeners), metrics);
    }

    @Override
    public void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
