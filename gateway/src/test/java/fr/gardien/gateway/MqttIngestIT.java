package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.DEVICE;
import static fr.gardien.gateway.GatewayHarness.OTHER_SITE_POINT;
import static fr.gardien.gateway.GatewayHarness.RETURN;
import static fr.gardien.gateway.GatewayHarness.SECRET;
import static fr.gardien.gateway.GatewayHarness.SUPPLY;
import static fr.gardien.gateway.GatewayHarness.boilerPack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** MQTT ingestion end to end: Paho clients over loopback, a real gateway, a real PostgreSQL. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MqttIngestIT {

    @RegisterExtension
    static final GatewayHarness harness = GatewayHarness.perClass(Map.of());

    /** The rows of a QoS 1 publish are already in the database when its PUBACK reaches the client. */
    @Test
    void publishQos1IsAckedOnlyAfterCommit() throws Exception {
        MqttAsyncClient client = v3Client("ack-after-commit");
        long before = harness.countReadings(SUPPLY);
        CompletableFuture<Long> rowsWhenAcked = new CompletableFuture<>();
        client.publish("telemetry/" + DEVICE, new MqttMessage(boilerPack(now(), 71.5, 55.0)) {{ setQos(1); }}, null,
                new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        try {
                            // Runs on Paho's thread as the PUBACK arrives: the count is taken at that instant.
                            rowsWhenAcked.complete(harness.countReadings(SUPPLY));
                        } catch (Exception e) {
                            rowsWhenAcked.completeExceptionally(e);
                        }
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable e) {
                        rowsWhenAcked.completeExceptionally(e);
                    }
                });
        assertThat(rowsWhenAcked.get(20, TimeUnit.SECONDS)).isEqualTo(before + 1);
        client.disconnect().waitForCompletion(5000);
        client.close();
    }

    /** QoS 0 publishes are stored too, best effort. */
    @Test
    void publishQos0IsStored() throws Exception {
        MqttAsyncClient client = v3Client("qos0");
        long before = harness.countReadings(RETURN);
        client.publish("telemetry/" + DEVICE, new MqttMessage(boilerPack(now(), 70.0, 50.0)) {{ setQos(0); }}).waitForCompletion(5000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (harness.countReadings(RETURN) == before && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(harness.countReadings(RETURN)).isEqualTo(before + 1);
        client.disconnect().waitForCompletion(5000);
        client.close();
    }

    /** An MQTT 5 client with a wrong secret is refused with reason code 0x87 (not authorized). */
    @Test
    void mqtt5WrongSecretIsRefusedWith0x87() {
        assertThatThrownBy(() -> v5Client("bad-secret", DEVICE, "not-the-secret"))
                .isInstanceOf(MqttException.class)
                .satisfies(e -> assertThat(((MqttException) e).getReasonCode()).isEqualTo(0x87));
        assertThatThrownBy(() -> v5Client("unknown-device", "no-such-device", SECRET))
                .isInstanceOf(MqttException.class)
                .satisfies(e -> assertThat(((MqttException) e).getReasonCode()).isEqualTo(0x87));
    }

    /** A pack that is not SenML gets PUBACK 0x99 and is kept in the quarantine. */
    @Test
    void mqtt5UnreadablePayloadGets0x99AndIsQuarantined() throws Exception {
        org.eclipse.paho.mqttv5.client.MqttAsyncClient client = v5Client("bad-payload", DEVICE, SECRET);
        long before = harness.countQuarantined("malformed-payload");
        var token = client.publish("telemetry/" + DEVICE, "{not senml".getBytes(StandardCharsets.UTF_8), 1, false);
        token.waitForCompletion(10_000);
        assertThat(token.getReasonCodes()).containsExactly(0x99);
        assertThat(harness.countQuarantined("malformed-payload")).isEqualTo(before + 1);
        client.disconnect().waitForCompletion(5000);
        client.close();
    }

    /** Points of another site get PUBACK 0x87; in a mixed pack the device's own points are still stored. */
    @Test
    void mqtt5OtherSitePointsAreNotAuthorizedButOwnPointsAreKept() throws Exception {
        org.eclipse.paho.mqttv5.client.MqttAsyncClient client = v5Client("other-site", DEVICE, SECRET);
        String foreign = "[{\"n\":\"" + OTHER_SITE_POINT + "\",\"u\":\"Cel\",\"v\":80}]";
        var refused = client.publish("telemetry/" + DEVICE, foreign.getBytes(StandardCharsets.UTF_8), 1, false);
        refused.waitForCompletion(10_000);
        assertThat(refused.getReasonCodes()).containsExactly(0x87);

        long before = harness.countReadings(SUPPLY);
        long forbiddenBefore = harness.countQuarantined("not-device-site");
        String mixed = "[{\"n\":\"" + OTHER_SITE_POINT + "\",\"u\":\"Cel\",\"v\":80},{\"n\":\"" + SUPPLY + "\",\"u\":\"Cel\",\"v\":66}]";
        var partial = client.publish("telemetry/" + DEVICE, mixed.getBytes(StandardCharsets.UTF_8), 1, false);
        partial.waitForCompletion(10_000);
        assertThat(partial.getReasonCodes()).containsExactly(0x00);
        assertThat(harness.countReadings(SUPPLY)).isEqualTo(before + 1);
        assertThat(harness.countQuarantined("not-device-site")).isEqualTo(forbiddenBefore + 1);
        client.disconnect().waitForCompletion(5000);
        client.close();
    }

    /** Publishing to another device's topic is not authorized. */
    @Test
    void mqtt5PublishToAnotherDevicesTopicGets0x87() throws Exception {
        org.eclipse.paho.mqttv5.client.MqttAsyncClient client = v5Client("wrong-topic", DEVICE, SECRET);
        var token = client.publish("telemetry/gw-marronniers", boilerPack(now(), 70, 50), 1, false);
        token.waitForCompletion(10_000);
        assertThat(token.getReasonCodes()).containsExactly(0x87);
        client.disconnect().waitForCompletion(5000);
        client.close();
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    private static MqttAsyncClient v3Client(String clientId) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient(harness.mqttUri(), clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(DEVICE);
        options.setPassword(SECRET.toCharArray());
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        client.connect(options).waitForCompletion(10_000);
        return client;
    }

    static org.eclipse.paho.mqttv5.client.MqttAsyncClient v5Client(String clientId, String user, String secret) throws MqttException {
        var client = new org.eclipse.paho.mqttv5.client.MqttAsyncClient(harness.mqttUri(), clientId,
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(user);
        options.setPassword(secret.getBytes(StandardCharsets.UTF_8));
        options.setConnectionTimeout(10);
        client.connect(options).waitForCompletion(10_000);
        return client;
    }
}
