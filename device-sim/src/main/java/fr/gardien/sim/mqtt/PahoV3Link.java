package fr.gardien.sim.mqtt;

import java.util.concurrent.CompletableFuture;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** {@link MqttLink} over Paho's MQTT 3.1.1 asynchronous client. */
final class PahoV3Link extends PahoLink {

  private final MqttAsyncClient client;
  private final MqttConnectOptions options = new MqttConnectOptions();

  PahoV3Link(Settings settings) throws PublishException {
    super(settings, false);
    try {
      client = new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence());
    } catch (MqttException | IllegalArgumentException e) {
      throw invalidUri(settings, e);
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
        connected(reconnect);
      }

      @Override
      public void connectionLost(Throwable cause) {
        lost(cause.getMessage());
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
  protected void connectAndWait(long waitMillis) throws MqttException {
    client.connect(options).waitForCompletion(waitMillis);
  }

  @Override
  protected String connectReason(Exception failure) {
    if (!(failure instanceof MqttException e)) {
      return withCause(failure);
    }
    return switch (e.getReasonCode()) {
      case MqttException.REASON_CODE_FAILED_AUTHENTICATION -> "connection refused: bad user name or password";
      case MqttException.REASON_CODE_NOT_AUTHORIZED -> "connection refused: not authorized";
      case MqttException.REASON_CODE_CLIENT_TIMEOUT -> "no CONNACK in time";
      default -> withCause(e);
    };
  }

  @Override
  protected void send(String topic, byte[] payload, int qos, CompletableFuture<Void> done) throws MqttException {
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
    client.disconnectForcibly(0, 100);
  }

  @Override
  protected void closeClient() throws MqttException {
    client.close();
  }
}
