package fr.gardien.gateway.ingest.mqtt;

/**
 * @param host the address to bind
 * @param port the port to bind; 0 picks a free one
 * @param maxTopicLength longer topics are refused
 * @param maxPendingPerConnection QoS 1 publishes a connection may have waiting for the writer;
 *     announced to MQTT 5 clients as Receive Maximum
 * @param maxMessageBytes the largest MQTT packet read; larger ones close the connection
 */
public record MqttSettings(String host, int port, int maxTopicLength, int maxPendingPerConnection, int maxMessageBytes) {

    public MqttSettings withPort(int newPort) {
        return new MqttSettings(host, newPort, maxTopicLength, maxPendingPerConnection, maxMessageBytes);
    }
}
