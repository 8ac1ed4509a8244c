package fr.gardien.sim.testing;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttAuth;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A small MQTT server standing in for the gateway in tests: it checks user name and password
 * against the device secrets, records every publish, and PUBACKs QoS 1 publishes (with a
 * configurable MQTT 5 reason code). Loopback only, port chosen by the system.
 */
public final class FakeMqttServer implements AutoCloseable {

  /** One received publish and who sent it. */
  public record Received(String username, String clientId, String topic, int qos, byte[] payload) {}

  private final Vertx vertx = Vertx.vertx();
  private final Map<String, String> secrets;
  private final Queue<Received> received = new ConcurrentLinkedQueue<>();
  private final AtomicInteger rejectedConnections = new AtomicInteger();
  private volatile MqttPubAckReasonCode pubAckCode;
  private volatile Consumer<Received> onPublish = r -> { };
  private volatile boolean withholdPubAcks;
  private final Queue<MqttEndpoint> endpoints = new ConcurrentLinkedQueue<>();
  private MqttServer server;

  public FakeMqttServer(Map<String, String> secrets) {
    this.secrets = Map.copyOf(secrets);
  }

  /** Starts listening on 127.0.0.1 and an ephemeral port. */
  public FakeMqttServer start() throws Exception {
    server = MqttServer.create(vertx, new MqttServerOptions().setHost("127.0.0.1").setPort(0));
    server.endpointHandler(endpoint -> {
      MqttAuth auth = endpoint.auth();
      String expected = auth == null ? null : secrets.get(auth.getUsername());
      if (expected == null || !expected.equals(auth.getPassword())) {
        rejectedConnections.incrementAndGet();
        endpoint.reject(endpoint.protocolVersion() == 5
            ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
            : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
        return;
      }
      String user = auth.getUsername();
      endpoint.publishHandler(message -> {
        Received r = new Received(user, endpoint.clientIdentifier(), message.topicName(),
            message.qosLevel().value(), message.payload().getBytes());
        received.add(r);
        onPublish.accept(r);
        if (message.qosLevel() == MqttQoS.AT_LEAST_ONCE && !withholdPubAcks) {
          MqttPubAckReasonCode code = pubAckCode;
          if (code == null) {
            endpoint.publishAcknowledge(message.messageId());
          } else {
            endpoint.publishAcknowledge(message.messageId(), code, MqttProperties.NO_PROPERTIES);
          }
        }
      });
      endpoints.add(endpoint);
      endpoint.closeHandler(v -> endpoints.remove(endpoint));
      endpoint.accept(false);
    });
    server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return this;
  }

  /** The server's URI for Paho, e.g. tcp://127.0.0.1:40123. */
  public String uri() {
    return "tcp://127.0.0.1:" + server.actualPort();
  }

  /** Answers later QoS 1 publishes with this MQTT 5 reason code (null: success). */
  public void pubAckWith(MqttPubAckReasonCode code) {
    this.pubAckCode = code;
  }

  /** Sends no PUBACK for later QoS 1 publishes while {@code withhold} is true (an overloaded gateway's back-pressure). */
  public void withholdPubAcks(boolean withhold) {
    this.withholdPubAcks = withhold;
  }

  /** Closes every open client connection from the server's side, without DISCONNECT. */
  public void dropConnections() {
    endpoints.forEach(MqttEndpoint::close);
  }

  /** Calls {@code listener} with each later publish, on the server's event loop, before its PUBACK. */
  public void onPublish(Consumer<Received> listener) {
    this.onPublish = listener;
  }

  /** Every publish received so far. */
  public List<Received> received() {
    return List.copyOf(received);
  }

  /** How many connection attempts had a wrong user name or password. */
  public int rejectedConnections() {
    return rejectedConnections.get();
  }

  @Override
  public void close() throws Exception {
    if (server != null) {
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
