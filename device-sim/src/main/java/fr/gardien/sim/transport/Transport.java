package fr.gardien.sim.transport;

import fr.gardien.sim.mqtt.PublishException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * How one simulated device reaches the gateway: MQTT, CoAP over DTLS-PSK or HTTP. The caller
 * bounds what is in flight; a transport sends what it is given, as it is given.
 */
public interface Transport {

  /**
   * First contact with the gateway (MQTT CONNECT, a DTLS handshake and CoAP ping, an HTTP
   * health probe), waiting a bounded time.
   *
   * @throws PublishException naming why the gateway cannot be reached
   */
  void connect() throws PublishException;

  /**
   * Sends one SenML pack.
   *
   * @return completes once the gateway acknowledged the pack (PUBACK, 2.04, 204/200), or for
   *     MQTT QoS 0 once it was written; fails with a {@link PublishException} whose
   *     {@link PublishException#retryable()} tells whether the same pack may be sent later
   */
  CompletableFuture<Void> send(byte[] pack);

  /** Whether a pack may be handed over now: MQTT needs its connection; CoAP and HTTP try each time. */
  boolean canSend();

  /** Whether the gateway answered the last exchange (MQTT: the connection is up). */
  boolean isConnected();

  /** Times contact was regained after it was lost. */
  long reconnections();

  /** Ends the session cleanly, waiting at most {@code quiesce}, and frees its resources. */
  void close(Duration quiesce);
}
