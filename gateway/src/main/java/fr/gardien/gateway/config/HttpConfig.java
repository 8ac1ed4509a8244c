package fr.gardien.gateway.config;

import java.time.Duration;

/**
 * The HTTP server (device telemetry, the API and the dashboard).
 *
 * @param host the address to bind
 * @param port the TCP port, 0 to 65535; 0 picks a free port
 * @param headerTimeout a new connection's request line and headers must have arrived within it
 * @param bodyTimeout a request's body must have arrived within it, from its headers on
 * @param idleTimeout a kept-alive connection must start its next request within it
 * @throws IllegalArgumentException when a value is out of its range
 */
public record HttpConfig(String host, int port, Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout) {
    public HttpConfig {
        host = ConfigKey.HTTP_HOST.checkHost(host);
        ConfigKey.HTTP_PORT.checkInt(port);
        ConfigKey.HTTP_HEADER_TIMEOUT.checkDuration(headerTimeout);
        ConfigKey.HTTP_BODY_TIMEOUT.checkDuration(bodyTimeout);
        ConfigKey.HTTP_IDLE_TIMEOUT.checkDuration(idleTimeout);
    }

    /** With the default timeouts. */
    public HttpConfig(String host, int port) {
        this(host, port, ConfigKey.HTTP_HEADER_TIMEOUT.defaultDuration(), ConfigKey.HTTP_BODY_TIMEOUT.defaultDuration(),
                ConfigKey.HTTP_IDLE_TIMEOUT.defaultDuration());
    }
}
