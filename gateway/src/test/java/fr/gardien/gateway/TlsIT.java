package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.ADMIN_TOKEN;
import static fr.gardien.gateway.GatewayHarness.DEVICE;
import static fr.gardien.gateway.GatewayHarness.SECRET;
import static fr.gardien.gateway.GatewayHarness.SUPPLY;
import static fr.gardien.gateway.GatewayHarness.boilerPack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
        GatewayHarness.stopAndDelete(harness, dir);
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

    /** Clients the project did not write: curl over HTTPS and mosquitto_pub over TLS, each trusting only the PEM file. */
    @Test
    void curlAndMosquittoPubTrustingThePemFile() throws Exception {
        assumeTrue(onPath("curl") && onPath("mosquitto_pub"), "curl and mosquitto_pub are installed");
        long before = harness.countReadings(SUPPLY);
        Path pack = Files.write(dir.resolve("pack.json"), boilerPack(Instant.now().getEpochSecond(), 69.0, 49.0));
        Result curl = run("curl", "-sS", "--cacert", certificates.cert().toString(), "-u", DEVICE + ":" + SECRET,
                "-H", "Content-Type: application/senml+json", "--data-binary", "@" + pack, "-o", "/dev/null",
                "-w", "%{http_code}", "https://127.0.0.1:" + harness.gateway.httpsPort() + "/api/v1/telemetry");
        assertThat(curl.exit()).as(curl.output()).isZero();
        assertThat(curl.output()).startsWith("20");
        Result mosquitto = run("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(harness.gateway.mqttTlsPort()),
                "--cafile", certificates.cert().toString(), "-u", DEVICE, "-P", SECRET, "-i", "tls-mosquitto",
                "-t", "telemetry/" + DEVICE, "-q", "1", "-f", pack.toString());
        assertThat(mosquitto.exit()).as(mosquitto.output()).isZero();
        // The same pack twice: one row per publish (a reading is not deduplicated).
        assertThat(harness.countReadings(SUPPLY)).isEqualTo(before + 2);
    }

    /**
     * openssl s_client: TLS 1.2 is served, TLS 1.1 and 1.0 are refused (RFC 8996), on both
     * listeners. The JDK's default policy refuses them too; the gateway's own protocol list keeps
     * them off where an operator relaxed that policy.
     */
    @Test
    void tlsBelow12IsRefused() throws Exception {
        assumeTrue(onPath("openssl"), "openssl is installed");
        for (int port : new int[] {harness.gateway.httpsPort(), harness.gateway.mqttTlsPort()}) {
            String target = "127.0.0.1:" + port;
            Result tls12 = run("openssl", "s_client", "-connect", target, "-tls1_2", "-CAfile", certificates.cert().toString());
            assertThat(tls12.output()).contains("Protocol  : TLSv1.2").contains("Verify return code: 0 (ok)");
            for (String old : new String[] {"-tls1_1", "-tls1"}) {
                // SECLEVEL=0 lets this client offer the old protocol: the refusal is the server's.
                Result refused = run("openssl", "s_client", "-connect", target, old, "-cipher", "DEFAULT@SECLEVEL=0");
                assertThat(refused.exit()).as(refused.output()).isNotZero();
                // The server's alert 70 (RFC 5246 §7.2.2: protocol_version); no cipher agreed.
                assertThat(refused.output()).contains("alert protocol version").contains("Cipher is (NONE)");
            }
        }
    }

    record Result(int exit, String output) {
    }

    static Result run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
                new java.io.File("/dev/null"))).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command) + " finished").isTrue();
        return new Result(process.exitValue(), output);
    }

    static boolean onPath(String program) {
        return Stream.of(System.getenv("PATH").split(java.io.File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
