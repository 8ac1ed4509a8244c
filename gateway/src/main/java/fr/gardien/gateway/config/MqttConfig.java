package fr.gardien.gateway.config;

/**
 * The MQTT server.
 *
 * @param host the address to bind
 * @param port the TCP port, 0 to 65535; 0 picks a free port
 * @param maxPendingPerConnection the QoS 1 messages a connection may have waiting for the
 *     writer before it is disconnected with reason code 0x97 (quota exceeded), 1 to 65535
 * @throws IllegalArgumentException when a value is out of its range
 */
public record MqttConfig(String host, int port, int maxPendingPerConnection) {
    public MqttConfig {
        host = ConfigKey.MQTT_HOST.checkHost(host);
        ConfigKey.MQTT_PORT.checkInt(port);
        ConfigKey.MQTT_MAX_PENDING_PER_CONNECTION.checkInt(maxPendingPerConnection);
    }
}
