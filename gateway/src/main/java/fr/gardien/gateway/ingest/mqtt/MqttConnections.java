package fr.gardien.gateway.ingest.mqtt;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The live MQTT connections of all server instances, for a shutdown that waits for the acks owed. */
public final class MqttConnections {

    private final Set<MqttConnection> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    void add(MqttConnection connection) {
        connections.add(connection);
    }

    void remove(MqttConnection connection) {
        connections.remove(connection);
    }

    /** The gateway is stopping: commit failures are expected from now on. */
    public void beginStop() {
        stopping = true;
    }

    /**
     * After the writer closed: publishes still parked will never be written, so their
     * connections are closed without acknowledgement.
     */
    public void abandonParked() {
        connections.forEach(MqttConnection::abandonParked);
    }

    boolean isStopping() {
        return stopping;
    }

    /**
     * QoS 1 acknowledgements still owed, all connections together. Each connection's count is
     * read without its event loop, so the figure is a snapshot, good enough to wait on.
     */
    public int pendingAcks() {
        return connections.stream().mapToInt(MqttConnection::pendingAcks).sum();
    }
}
