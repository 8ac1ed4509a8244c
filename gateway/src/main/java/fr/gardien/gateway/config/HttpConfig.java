package fr.gardien.gateway.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The HTTP server (device telemetry, the API and the dashboard).
 *
 * @param host the address to bind (both listeners)
 * @param port the clear TCP port, 0 to 65535; 0 picks a free port. Opened only when {@code plainEnabled}
 * @param headerTimeout a new connection's request line and headers must have arrived within it
 * @param bodyTimeout a request's body must have arrived within it, from its headers on
 * @param idleTimeout a kept-alive connection must start its next request within it
 * @param plainEnabled whether the clear listener is opened; false needs {@code tls}
 * @param tls the HTTPS listener, when configured
 * @throws IllegalArgumentException when a value is out of its range, or no listener would be left
 */
public record HttpConfig(String host, int port, Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout,
        boolean plainEnabled, Optional<TlsConfig> tls) {
    public HttpConfig {
        host = ConfigKey.HTTP_HOST.checkHost(host);
        ConfigKey.HTTP_PORT.checkInt(port);
        ConfigKey.HTTP_HEADER_TIMEOUT.checkDuration(headerTimeout);
        ConfigKey.HTTP_BODY_TIMEOUT.checkDuration(bodyTimeout);
        ConfigKey.HTTP_IDLE_TIMEOUT.checkDuration(idleTimeout);
        TlsConfig.checkSomeListener(ConfigKey.HTTP_PLAIN_ENABLED, plainEnabled, tls, ConfigKey.HTTP_TLS_CERT);
    }

    /** Clear only, with the default timeouts. */
    public HttpConfig(String host, int port) {
        this(host, port, ConfigKey.HTTP_HEADER_TIMEOUT.defaultDuration(), ConfigKey.HTTP_BODY_TIMEOUT.defaultDuration(),
                ConfigKey.HTTP_IDLE_TIMEOUT.defaultDuration(), true, Optional.empty());
    }

    /**
     * The TLS listener, its certificate and key read and checked now; blocking.
     *
     * @throws IllegalArgumentException naming the key at fault, in English and French
     */
    public Optional<TlsListener> tlsListener() {
        return tls.map(t -> new TlsListener(t, ServerCredentials.load("https", ConfigKey.HTTP_TLS_CERT, ConfigKey.HTTP_TLS_KEY, t)));
    }
}
