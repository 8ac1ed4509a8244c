package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.DEVICE;
import static fr.gardien.gateway.GatewayHarness.OTHER_DEVICE;
import static fr.gardien.gateway.GatewayHarness.OTHER_SECRET;
import static fr.gardien.gateway.GatewayHarness.SUPPLY;
import static fr.gardien.gateway.GatewayHarness.boilerPack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import fr.gardien.gateway.config.TestCertificates;
import fr.gardien.storage.testing.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14, {@code mqtt.tls.client-ca}: devices authenticate over MQTT TLS by a client
 * certificate signed by the configured authority, whose subject CN is their id; no certificate,
 * one of another authority, or one naming a device the registry does not know is refused; a
 * device so authenticated publishes to its own topic only. Keys made by keytool in the test;
 * clients: Paho (3.1.1 and 5) and mosquitto_pub.
 */
@Timeout(180)
class MqttClientCertificateIT {

    static Path dir;
    static TestCertificates server;
    static TestCertificates authority;
    static TestCertificates tilleuls;
    static TestCertificates stranger;
    static TestCertificates forged;
    static GatewayHarness harness;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("gardien-client-cert-");
        server = TestCertificates.generate(dir, "gateway");
        authority = TestCertificates.authority(dir, "devices-ca");
        tilleuls = authority.sign(dir, "tilleuls", DEVICE);
        stranger = authority.sign(dir, "stranger", "gw-unknown");
        // Same CN, signed by an authority the gateway does not trust.
        forged = TestCertificates.authority(dir, "rogue-ca").sign(dir, "forged", DEVICE);
        harness = GatewayHarness.start(dir, TestPostgres.shared().newDatabase(), Map.of(
                "mqtt.tls.port", "0", "mqtt.tls.cert", server.cert().toString(), "mqtt.tls.key", server.key().toString(),
                "mqtt.tls.client-ca", authority.cert().toString()));
    }

    @AfterAll
    static void stop() throws IOException {
        GatewayHarness.stopAndDelete(harness, dir);
    }

    /** A certificate signed by the authority, CN = a registered device: connected without a secret, QoS 1 acknowledged after the store. */
    @Test
    void aDeviceCertificateSignedByTheAuthorityPublishesWithoutASecret() throws Exception {
        long before = harness.countReadings(SUPPLY);
        MqttClient client = connect("cert-ok", server.clientContext(tilleuls), null, null);
        MqttMessage message = new MqttMessage(boilerPack(Instant.now().getEpochSecond(), 70.0, 50.0));
        message.setQos(1);
        client.publish("telemetry/" + DEVICE, message);
        assertThat(harness.countReadings(SUPPLY)).isEqualTo(before + 1);
        client.disconnect();
        client.close();
    }

    /** A device authenticated by its certificate is still scoped to its own topic (MQTT 5: 0x87 on another device's). */
    @Test
    void aCertificateDeviceIsScopedToItsOwnTopic() throws Exception {
        MqttAsyncClient client = new MqttAsyncClient("ssl://127.0.0.1:" + harness.gateway.mqttTlsPort(), "cert-scope",
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(server.clientContext(tilleuls).getSocketFactory());
        options.setConnectionTimeout(10);
        client.connect(options).waitForCompletion(10_000);
        var token = client.publish("telemetry/" + OTHER_DEVICE, boilerPack(Instant.now().getEpochSecond(), 70, 50), 1, false);
        token.waitForCompletion(10_000);
        assertThat(token.getReasonCodes()).containsExactly(0x87);
        client.disconnect().waitForCompletion(5000);
        client.close();
    }

    /**
     * No certificate, or one of another authority: the server ends the TLS handshake, no CONNECT
     * is read (in TLS 1.3 the client learns it as a lost connection, before any CONNACK).
     */
    @Test
    void noCertificateOrAnotherAuthorityIsRefusedAtTheHandshake() throws Exception {
        for (SSLContext context : new SSLContext[] {server.clientContext(), server.clientContext(forged)}) {
            MqttException refused = catchThrowableOfType(() -> connect("cert-refused", context, null, null), MqttException.class);
            assertThat(refused).isNotNull();
            assertThat(refused.getReasonCode()).isIn((int) MqttException.REASON_CODE_CLIENT_EXCEPTION,
                    (int) MqttException.REASON_CODE_CONNECTION_LOST);
        }
    }

    /**
     * A valid certificate naming a device the registry does not know, or the id and secret of
     * another device sent with a certificate: not authorized (3.1.1 code 5).
     */
    @Test
    void anUnknownDeviceOrAnotherUsernameIsNotAuthorized() throws Exception {
        MqttException unknown = catchThrowableOfType(() -> connect("cert-unknown", server.clientContext(stranger), null, null),
                MqttException.class);
        assertThat(unknown.getReasonCode()).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
        MqttException other = catchThrowableOfType(() -> connect("cert-other", server.clientContext(tilleuls), OTHER_DEVICE, OTHER_SECRET),
                MqttException.class);
        assertThat(other.getReasonCode()).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
    }

    /** mosquitto_pub with --cafile, --cert and --key publishes; without a certificate, or with the forged one, it fails. */
    @Test
    void mosquittoPubWithAClientCertificate() throws Exception {
        assumeTrue(TlsIT.onPath("mosquitto_pub"), "mosquitto_pub is installed");
        long before = harness.countReadings(SUPPLY);
        Path pack = Files.write(dir.resolve("pack.json"), boilerPack(Instant.now().getEpochSecond(), 68.0, 48.0));
        String port = Integer.toString(harness.gateway.mqttTlsPort());
        TlsIT.Result ok = TlsIT.run("mosquitto_pub", "-h", "127.0.0.1", "-p", port, "--cafile", server.cert().toString(),
                "--cert", tilleuls.cert().toString(), "--key", tilleuls.key().toString(), "-i", "cert-mosquitto",
                "-t", "telemetry/" + DEVICE, "-q", "1", "-f", pack.toString());
        assertThat(ok.exit()).as(ok.output()).isZero();
        assertThat(harness.countReadings(SUPPLY)).isEqualTo(before + 1);
        TlsIT.Result none = TlsIT.run("mosquitto_pub", "-h", "127.0.0.1", "-p", port, "--cafile", server.cert().toString(),
                "-i", "cert-none", "-t", "telemetry/" + DEVICE, "-q", "1", "-f", pack.toString());
        assertThat(none.exit()).as(none.output()).isNotZero();
        TlsIT.Result rogue = TlsIT.run("mosquitto_pub", "-h", "127.0.0.1", "-p", port, "--cafile", server.cert().toString(),
                "--cert", forged.cert().toString(), "--key", forged.key().toString(), "-i", "cert-forged",
                "-t", "telemetry/" + DEVICE, "-q", "1", "-f", pack.toString());
        assertThat(rogue.exit()).as(rogue.output()).isNotZero();
        assertThat(harness.countReadings(SUPPLY)).isEqualTo(before + 1);
    }

    private static MqttClient connect(String id, SSLContext context, String username, String password) throws MqttException {
        MqttClient client = new MqttClient("ssl://127.0.0.1:" + harness.gateway.mqttTlsPort(), id, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setSocketFactory(context.getSocketFactory());
        options.setConnectionTimeout(10);
        if (username != null) {
            options.setUserName(username);
            options.setPassword(password.toCharArray());
        }
        try {
            client.connect(options);
        } catch (MqttException e) {
            client.close();
            throw e;
        }
        return client;
    }
}
