package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.ADMIN_TOKEN;
import static fr.gardien.gateway.GatewayHarness.DEVICE;
import static fr.gardien.gateway.GatewayHarness.SECRET;
import static fr.gardien.gateway.GatewayHarness.SUPPLY;
import static fr.gardien.gateway.GatewayHarness.boilerPack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.gardien.gateway.config.TestCertificates;
import fr.gardien.storage.testing.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14: HTTPS and MQTT over TLS with a PEM certificate and key, the clear listeners turned
 * off, and the register saying so. Real clients over loopback: the JDK's HttpClient and Paho.
 */
@Timeout(120)
class TlsIT {

    static Path dir;
    static TestCertificates certificates;
    static SSLContext trusting;
    static int plainHttpPort;
    static int plainMqttPort;
    static GatewayHarness harness;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("gardien-tls-");
        certificates = TestCertificates.generate(dir, "gateway");
        trusting = certificates.clientContext();
        plainHttpPort = freePort();
        plainMqttPort = freePort();
        harness = GatewayHarness.start(dir, TestPostgres.shared().newDatabase(), Map.of(
                "http.port", Integer.toString(plainHttpPort), "http.plain-enabled", "false", "http.tls.port", "0",
                "http.tls.cert", certificates.cert().toString(), "http.tls.key", certificates.key().toString(),
                "mqtt.port", Integer.toString(plainMqttPort), "mqtt.plain-enabled", "false", "mqtt.tls.port", "0",
                "mqtt.tls.cert", certificates.cert().toString(), "mqtt.tls.key", certificates.key().toString()));
    }

    @AfterAll
    static void stop() throws IOException {
        if (harness != null) {
            harness.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** Telemetry posted over HTTPS is stored, and the register served over HTTPS reports TLS on and clear off. */
    @Test
    void httpsServesTelemetryAndTheRegister() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trusting).connectTimeout(Duration.ofSeconds(5)).build();
        String base = "https://127.0.0.1:" + harness.gateway.httpsPort();
        long before = harness.countReadings(SUPPLY);
        HttpResponse<String> posted = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/telemetry"))
                .header("Content-Type", "application/senml+json")
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((DEVICE + ":" + SECRET).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(boilerPack(Instant.now().getEpochSecond(), 70.5, 50.0)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isBetween(200, 204);
        assertThat(harness.countReadings(SUPPLY)).isEqualTo(before + 1);

        HttpResponse<String> register = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/governance/register"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Accept", "application/json").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(register.statusCode()).isEqualTo(200);
        JsonObject security = new JsonObject(register.body()).getJsonObject("security");
        assertThat(security.getBoolean("httpTls")).isTrue();
        assertThat(security.getBoolean("plainHttp")).isFalse();
        assertThat(security.getBoolean("mqttTls")).isTrue();
        assertThat(security.getBoolean("plainMqtt")).isFalse();
    }

    /** A QoS 1 publish over ssl:// gets its PUBACK, and its reading is stored by then. */
    @Test
    void mqttOverTlsPublishQos1IsAckedAndStored() throws Exception {
        long before = harness.countReadings(SUPPLY);
        MqttClient client = new MqttClient("ssl://127.0.0.1:" + harness.gateway.mqttTlsPort(), "tls-qos1", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(DEVICE);
        options.setPassword(SECRET.toCharArray());
        options.setSocketFactory(trusting.getSocketFactory());
        client.connect(options);
        MqttMessage message = new MqttMessage(boilerPack(Instant.now().getEpochSecond(), 72.0, 51.0));
        message.setQos(1);
        client.publish("telemetry/" + DEVICE, message); // returns once the PUBACK arrived
        assertThat(harness.countReadings(SUPPLY)).isEqualTo(before + 1);
        client.disconnect();
        client.close();
    }

    /** With the clear listeners turned off, nothing listens on their ports. */
    @Test
    void clearListenersAreClosed() {
        assertThat(harness.gateway.httpPort()).isEqualTo(-1);
        assertThat(harness.gateway.mqttPort()).isEqualTo(-1);
        assertThatThrownBy(() -> new Socket("127.0.0.1", plainHttpPort).close()).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> new Socket("127.0.0.1", plainMqttPort).close()).isInstanceOf(ConnectException.class);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
