package fr.gardien.sim.mqtt;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One MQTT connection of one device, over Paho's asynchronous client (MQTT 3.1.1 or 5).
 * The caller bounds its own in-flight window (see {@link PublishWindow}); the link reconnects
 * on its own after a drop once the first connection succeeded.
 */
public interface MqttLink {

  /** Connection settings; {@code password} is the device's plain secret. */
  record Settings(String serverUri, int mqttVersion, String clientId, String username,
      String password, int maxInflight, boolean autoReconnect, Duration connectTimeout) {
    public Settings {
      if (mqttVersion != 3 && mqttVersion != 5) {
        throw new IllegalArgumentException("MQTT version must be 3 or 5, got " + mqttVersion);
      }
    }
  }

  /** Creates a link for the settings' MQTT version; nothing is connected yet. */
  static MqttLink create(Settings settings) throws PublishException {
    return settings.mqttVersion() == 5 ? new PahoV5Link(settings) : new PahoV3Link(settings);
  }

  /** Connects, waiting up to the connect timeout; fails with the server's or network's reason. */
  void connect() throws PublishException;

  /**
   * Publishes one message. Completes when the server acknowledged it (QoS 1 PUBACK with a
   * success reason code) or, for QoS 0, when it was written; fails with a {@link PublishException}
   * naming the reason (MQTT 5 reason code, connection lost, not connected).
   */
  CompletableFuture<Void> publish(String topic, byte[] payload, int qos);

  /** Whether the connection is currently up. */
  boolean isConnected();

  /** Number of successful reconnections after a drop. */
  long reconnections();

  /** Disconnects cleanly (DISCONNECT packet), waiting at most {@code quiesce}, and frees resources. */
  void close(Duration quiesce);
}
