package fr.gardien.sim.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * {@link MqttLink} over Paho's MQTT 5 asynchronous client. A PUBACK with a reason code of
 * 0x80 or more (MQTT 5 §3.4.2.1) fails the publish with that code, e.g. 0x97 quota exceeded.
 */
final class PahoV5Link extends PahoLink {

  private final MqttAsyncClient client;
  private final MqttConnectionOptions options = new MqttConnectionOptions();

  PahoV5Link(Settings settings) throws PublishException {
    super(settings, true);
    try {
      client = new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence());
    } catch (MqttException | IllegalArgumentException e) {
      throw invalidUri(settings, e);
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
        lost(response.getReasonString());
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
        connected(reconnect);
      }

      @Override
      public void authPacketArrived(int reasonCode, MqttProperties properties) {
        // No enhanced authentication: user name and password only.
      }
    });
  }

  @Override
  protected void connectAndWait(long waitMillis) throws MqttException {
    client.connect(options).waitForCompletion(waitMillis);
  }

  @Override
  protected String connectReason(Exception e) {
    int code = reasonCode(e);
    return code >= 0x80 && code <= 0xFF ? "connection refused: " + PublishException.describe(code) : withCause(e);
  }

  @Override
  protected void send(String topic, byte[] payload, int qos, CompletableFuture<Void> done) throws MqttException {
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
  }

  @Override
  protected int reasonCode(Throwable e) {
    return e instanceof MqttException m ? m.getReasonCode() : -1;
  }

  @Override
  public boolean isConnected() {
    return client.isConnected();
  }

  @Override
  protected void disconnectAndWait(long quiesceMillis, long waitMillis) throws MqttException {
    client.disconnect(quiesceMillis).waitForCompletion(waitMillis);
  }

  @Override
  protected void disconnectForcibly() throws MqttException {
    client.disconnectForcibly(0, 100, false);
  }

  @Override
  protected void closeClient() throws MqttException {
    client.close();
  }
}
