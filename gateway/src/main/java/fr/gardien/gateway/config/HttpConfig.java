package fr.gardien.gateway.config;

/**
 * The HTTP server (device telemetry, the API and the dashboard).
 *
 * @param host the address to bind
 * @param port the TCP port, 0 to 65535; 0 picks a free port
 * @throws IllegalArgumentException when a value is out of its range
 */
public record HttpConfig(String host, int port) {
    public HttpConfig {
        host = ConfigKey.HTTP_HOST.checkHost(host);
        ConfigKey.HTTP_PORT.checkInt(port);
    }
}
