package fr.gardien.sim.mqtt;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link MqttLink} over Paho's MQTT 3.1.1 asynchronous client. */
final class PahoV3Link implements MqttLink {
  private static final Logger log = LoggerFactory.getLogger(PahoV3Link.class);

  private final Settings settings;
  private final MqttAsyncClient client;
  private final MqttConnectOptions options = new MqttConnectOptions();
  private final AtomicLong reconnections = new AtomicLong();

  PahoV3Link(Settings settings) throws PublishException {
    this.settings = settings;
    try {
      client = new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence());
    } catch (MqttException | IllegalArgumentException e) {
      throw new PublishException("invalid MQTT server URI " + settings.serverUri() + ": " + e.getMessage(), e);
    }
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setUserName(settings.username());
    options.setPassword(settings.password().toCharArray());
    options.setCleanSession(true);
    options.setAutomaticReconnect(settings.autoReconnect());
    options.setMaxReconnectDelay(10_000);
    // Our window bounds what is in flight; leave Paho headroom for late PUBACKs after a timeout.
    options.setMaxInflight(settings.maxInflight() * 2 + 8);
    options.setConnectionTimeout((int) Math.max(1, settings.connectTimeout().toSeconds()));
    options.setKeepAliveInterval(30);
    client.setCallback(new MqttCallbackExtended() {
      @Override
      public void connectComplete(boolean reconnect, String serverUri) {
        if (reconnect) {
          reconnections.incrementAndGet();
          log.info("reconnected [client: {}]", settings.clientId());
        }
      }

      @Override
      public void connectionLost(Throwable cause) {
        log.warn("connection lost [client: {}, reason: {}]", settings.clientId(), cause.getMessage());
      }

      @Override
      public void messageArrived(String topic, MqttMessage message) {
        // The simulator subscribes to nothing.
      }

      @Override
      public void deliveryComplete(IMqttDeliveryToken token) {
        // Completion is handled per publish by its action listener.
      }
    });
  }

  @Override
  public void connect() throws PublishException {
    try {
      client.connect(options).waitForCompletion(settings.connectTimeout().toMillis() + 1000);
    } catch (MqttException e) {
      throw new PublishException(connectReason(e), e);
    }
  }

  private static String connectReason(MqttException e) {
    return switch (e.getReasonCode()) {
      case MqttException.REASON_CODE_FAILED_AUTHENTICATION -> "connection refused: bad user name or password";
      case MqttException.REASON_CODE_NOT_AUTHORIZED -> "connection refused: not authorized";
      case MqttException.REASON_CODE_CLIENT_TIMEOUT -> "no CONNACK in time";
      default -> e.getMessage() + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : "");
    };
  }

  @Override
  public CompletableFuture<Void> publish(String topic, byte[] payload, int qos) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      client.publish(topic, payload, qos, false, null, new IMqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          done.complete(null);
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
          done.completeExceptionally(failure(e));
        }
      });
    } catch (MqttException e) {
      done.completeExceptionally(failure(e));
    }
    return done;
  }

  private static PublishException failure(Throwable e) {
    if (e instanceof MqttException m) {
      String reason = switch (m.getReasonCode()) {
        case MqttException.REASON_CODE_CLIENT_NOT_CONNECTED -> "not connected";
        case MqttException.REASON_CODE_CONNECTION_LOST -> "connection lost";
        case MqttException.REASON_CODE_MAX_INFLIGHT -> "too many publishes in progress";
        case MqttException.REASON_CODE_CLIENT_DISCONNECTING,
            MqttException.REASON_CODE_CLIENT_CLOSED -> "client closing";
        default -> "MQTT error " + m.getReasonCode();
      };
      return new PublishException(reason, e);
    }
    return new PublishException(e.toString(), e);
  }

  @Override
  public boolean isConnected() {
    return client.isConnected();
  }

  @Override
  public long reconnections() {
    return reconnections.get();
  }

  @Override
  public void close(Duration quiesce) {
    try {
      if (client.isConnected()) {
        client.disconnect(quiesce.toMillis()).waitForCompletion(quiesce.toMillis() + 1000);
      }
    } catch (MqttException e) {
      log.debug("disconnect failed [client: {}, reason: {}]", settings.clientId(), e.getMessage());
      try {
        client.disconnectForcibly(0, 100);
      } catch (MqttException ignored) {
        // Already down: nothing left to release but the client below.
      }
    } finally {
      try {
        client.close();
      } catch (MqttException e) {
        log.debug("close failed [client: {}, reason: {}]", settings.clientId(), e.getMessage());
      }
    }
  }
}
