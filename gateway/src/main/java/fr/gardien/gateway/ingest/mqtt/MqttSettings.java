package fr.gardien.gateway.ingest.mqtt;

import fr.gardien.gateway.config.TlsListener;
import java.time.Duration;
import java.util.Optional;

/**
 * @param host the address to bind
 * @param port the port to bind; 0 picks a free one
 * @param maxTopicLength longer topics are refused
 * @param maxPendingPerConnection QoS 1 publishes a connection may have waiting for the writer;
 *     announced to MQTT 5 clients as Receive Maximum
 * @param maxMessageBytes the largest MQTT packet read; larger ones close the connection
 * @param connectTimeout a connection that has not sent a whole CONNECT within it is closed
 *     (whole seconds, at least one)
 * @param idleTimeout a connection that sends no packet for this long is closed
 * @param tls present for the MQTT over TLS listener ({@code port} is then its port)
 */
public record MqttSettings(String host, int port, int maxTopicLength, int maxPendingPerConnection, int maxMessageBytes,
        Duration connectTimeout, Duration idleTimeout, Optional<TlsListener> tls) {

    /** The same server on another listener: {@code newPort}, in TLS with {@code newTls} when present. */
    public MqttSettings withListener(int newPort, Optional<TlsListener> newTls) {
        return new MqttSettings(host, newPort, maxTopicLength, maxPendingPerConnection, maxMessageBytes, connectTimeout,
                idleTimeout, newTls);
    }
}
