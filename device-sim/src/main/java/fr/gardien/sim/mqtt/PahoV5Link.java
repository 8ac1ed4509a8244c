package fr.gardien.sim.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MqttLink} over Paho's MQTT 5 asynchronous client. A PUBACK with a reason code of
 * 0x80 or more (MQTT 5 §3.4.2.1) fails the publish with that code, e.g. 0x97 quota exceeded.
 */
final class PahoV5Link implements MqttLink {
  private static final Logger log = LoggerFactory.getLogger(PahoV5Link.class);

  private final Settings settings;
  private final MqttAsyncClient client;
  private final MqttConnectionOptions options = new MqttConnectionOptions();
  private final AtomicLong reconnections = new AtomicLong();

  PahoV5Link(Settings settings) throws PublishException {
    this.settings = settings;
    try {
      client = new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence());
    } catch (MqttException | IllegalArgumentException e) {
      throw new PublishException("invalid MQTT server URI " + settings.serverUri() + ": " + e.getMessage(), e);
    }
    options.setUserName(settings.username());
    options.setPassword(settings.password().getBytes(StandardCharsets.UTF_8));
    options.setCleanStart(true);
    options.setAutomaticReconnect(settings.autoReconnect());
    options.setAutomaticReconnectDelay(1, 10);
    options.setConnectionTimeout((int) Math.max(1, settings.connectTimeout().toSeconds()));
    options.setKeepAliveInterval(30);
    client.setCallback(new MqttCallback() {
      @Override
      public void disconnected(MqttDisconnectResponse response) {
        log.warn("connection lost [client: {}, reason: {}]", settings.clientId(), response.getReasonString());
      }

      @Override
      public void mqttErrorOccurred(MqttException e) {
        log.warn("MQTT error [client: {}, reason: {}]", settings.clientId(), e.getMessage());
      }

      @Override
      public void messageArrived(String topic, MqttMessage message) {
        // The simulator subscribes to nothing.
      }

      @Override
      public void deliveryComplete(IMqttToken token) {
        // Completion is handled per publish by its action listener.
      }

      @Override
      public void connectComplete(boolean reconnect, String serverUri) {
        if (reconnect) {
          reconnections.incrementAndGet();
          log.info("reconnected [client: {}]", settings.clientId());
        }
      }

      @Override
      public void authPacketArrived(int reasonCode, MqttProperties properties) {
        // No enhanced authentication: user name and password only.
      }
    });
  }

  @Override
  public void connect() throws PublishException {
    try {
      client.connect(options).waitForCompletion(settings.connectTimeout().toMillis() + 1000);
    } catch (MqttException e) {
      int code = e.getReasonCode();
      String reason = code >= 0x80 && code <= 0xFF
          ? "connection refused: " + PublishException.describe(code)
          : e.getMessage() + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : "");
      throw new PublishException(reason, e);
    }
  }

  @Override
  public CompletableFuture<Void> publish(String topic, byte[] payload, int qos) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      client.publish(topic, payload, qos, false, null, new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          int[] codes = token.getReasonCodes();
          if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
            done.completeExceptionally(new PublishException(PublishException.describe(codes[0]), null));
          } else {
            done.complete(null);
          }
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
      int code = m.getReasonCode();
      String reason;
      if (code >= 0x80 && code <= 0xFF) {
        reason = PublishException.describe(code);
      } else {
        reason = switch (code) {
          case MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED -> "not connected";
          case MqttClientException.REASON_CODE_CONNECTION_LOST -> "connection lost";
          case MqttClientException.REASON_CODE_MAX_INFLIGHT -> "too many publishes in progress";
          case MqttClientException.REASON_CODE_CLIENT_DISCONNECTING,
              MqttClientException.REASON_CODE_CLIENT_CLOSED -> "client closing";
          default -> "MQTT error " + code;
        };
      }
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
        client.disconnectForcibly(0, 100, false);
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
