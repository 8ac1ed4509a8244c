package fr.gardien.gateway.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The MQTT server.
 *
 * @param host the address to bind (both listeners)
 * @param port the clear TCP port, 0 to 65535; 0 picks a free port. Opened only when {@code plainEnabled}
 * @param maxPendingPerConnection the QoS 1 messages a connection may have waiting for the
 *     writer before it is disconnected with reason code 0x97 (quota exceeded), 1 to 65535
 * @param connectTimeout a connection must have sent its whole CONNECT within it, 1s to 1h
 * @param idleTimeout a connection that sends no packet for this long is closed, 1s to 1 day
 * @param plainEnabled whether the clear listener is opened; false needs {@code tls}
 * @param tls the MQTT over TLS listener, when configured
 * @throws IllegalArgumentException when a value is out of its range, or no listener would be left
 */
public record MqttConfig(String host, int port, int maxPendingPerConnection, Duration connectTimeout, Duration idleTimeout,
        boolean plainEnabled, Optional<TlsConfig> tls) {
    public MqttConfig {
        host = ConfigKey.MQTT_HOST.checkHost(host);
        ConfigKey.MQTT_PORT.checkInt(port);
        ConfigKey.MQTT_MAX_PENDING_PER_CONNECTION.checkInt(maxPendingPerConnection);
        ConfigKey.MQTT_CONNECT_TIMEOUT.checkDuration(connectTimeout);
        ConfigKey.MQTT_IDLE_TIMEOUT.checkDuration(idleTimeout);
        TlsConfig.checkSomeListener(ConfigKey.MQTT_PLAIN_ENABLED, plainEnabled, tls, ConfigKey.MQTT_TLS_CERT);
    }

    /** Clear only, with the default timeouts. */
    public MqttConfig(String host, int port, int maxPendingPerConnection) {
        this(host, port, maxPendingPerConnection, ConfigKey.MQTT_CONNECT_TIMEOUT.defaultDuration(),
                ConfigKey.MQTT_IDLE_TIMEOUT.defaultDuration(), true, Optional.empty());
    }

    /**
     * The TLS listener, its certificate and key read and checked now; blocking.
     *
     * @throws IllegalArgumentException naming the key at fault, in English and French
     */
    public Optional<TlsListener> tlsListener() {
        return tls.map(t -> new TlsListener(t, ServerCredentials.load("mqtts", ConfigKey.MQTT_TLS_CERT, ConfigKey.MQTT_TLS_KEY, t)));
    }
}
