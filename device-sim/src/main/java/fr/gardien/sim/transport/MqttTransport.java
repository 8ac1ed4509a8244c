package fr.gardien.sim.transport;

import fr.gardien.sim.mqtt.MqttLink;
import fr.gardien.sim.mqtt.PublishException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A device over MQTT: publishes on {@code telemetry/{deviceId}} at a fixed QoS. */
final class MqttTransport implements Transport {
  private final MqttLink link;
  private final String topic;
  private final int qos;

  MqttTransport(MqttLink link, String deviceId, int qos) {
    this.link = link;
    this.topic = "telemetry/" + deviceId;
    this.qos = qos;
  }

  @Override
  public void connect() throws PublishException {
    link.connect();
  }

  @Override
  public CompletableFuture<Void> send(byte[] pack) {
    return link.publish(topic, pack, qos);
  }

  @Override
  public boolean canSend() {
    return link.isConnected();
  }

  @Override
  public boolean isConnected() {
    return link.isConnected();
  }

  @Override
  public long reconnections() {
    return link.reconnections();
  }

  @Override
  public void close(Duration quiesce) {
    link.close(quiesce);
  }
}
