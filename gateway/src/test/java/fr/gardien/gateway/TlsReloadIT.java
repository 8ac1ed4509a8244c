package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.DEVICE;
import static fr.gardien.gateway.GatewayHarness.SECRET;
import static fr.gardien.gateway.GatewayHarness.SUPPLY;
import static fr.gardien.gateway.GatewayHarness.boilerPack;
import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.gateway.config.TestCertificates;
import fr.gardien.storage.testing.TestPostgres;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14: the certificate of the HTTPS and MQTT over TLS listeners is reloaded when its files
 * change, without a restart; a broken renewal is refused and the certificate in force keeps
 * serving. New connections are asked which certificate they were shown (its serial number).
 */
@Timeout(180)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsReloadIT {

    static Path dir;
    static Path liveCert;
    static Path liveKey;
    static TestCertificates first;
    static TestCertificates renewed;
    static TestCertificates other;
    static GatewayHarness harness;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("gardien-tls-reload-");
        first = TestCertificates.generate(dir, "first");
        renewed = TestCertificates.generate(dir, "renewed");
        other = TestCertificates.generate(dir, "other");
        liveCert = dir.resolve("chain.pem");
        liveKey = dir.resolve("key.pem");
        Files.copy(first.cert(), liveCert);
        Files.copy(first.key(), liveKey);
        harness = GatewayHarness.start(dir, TestPostgres.shared().newDatabase(), Map.of(
                "http.tls.port", "0", "http.tls.cert", liveCert.toString(), "http.tls.key", liveKey.toString(),
                "mqtt.tls.port", "0", "mqtt.tls.cert", liveCert.toString(), "mqtt.tls.key", liveKey.toString()));
    }

    @AfterAll
    static void stop() throws IOException {
        GatewayHarness.stopAndDelete(harness, dir);
    }

    /** A renewed pair written over the files is shown to new HTTPS and MQTT connections, which then work end to end. */
    @Test
    @Order(1)
    void aRenewedCertificateIsServedToNewConnectionsWithoutRestart() throws Exception {
        assertThat(servedSerial(harness.gateway.httpsPort())).isEqualTo(serial(first));
        assertThat(servedSerial(harness.gateway.mqttTlsPort())).isEqualTo(serial(first));

        install(renewed.key(), liveKey);
        install(renewed.cert(), liveCert);
        awaitServed(renewed);

        // Clients that trust the renewed certificate only: a whole request and a QoS 1 publish.
        HttpClient client = HttpClient.newBuilder().sslContext(renewed.clientContext()).build();
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                + harness.gateway.httpsPort() + "/health/live")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        long before = harness.countReadings(SUPPLY);
        MqttClient mqtt = new MqttClient("ssl://127.0.0.1:" + harness.gateway.mqttTlsPort(), "tls-renewed", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(DEVICE);
        options.setPassword(SECRET.toCharArray());
        options.setSocketFactory(renewed.clientContext().getSocketFactory());
        mqtt.connect(options);
        MqttMessage message = new MqttMessage(boilerPack(Instant.now().getEpochSecond(), 71.0, 50.0));
        message.setQos(1);
        mqtt.publish("telemetry/" + DEVICE, message);
        assertThat(harness.countReadings(SUPPLY)).isEqualTo(before + 1);
        mqtt.disconnect();
        mqtt.close();
    }

    /**
     * A certificate whose key is not on disk (another certificate over the chain file) is refused
     * on both listeners, counted, and the certificate in force keeps serving; once the matching
     * key is written, the new pair is served.
     */
    @Test
    @Order(2)
    void aBrokenRenewalIsRefusedAndTheCertificateInForceKeepsServing() throws Exception {
        BigInteger inForce = servedSerial(harness.gateway.httpsPort());
        double httpsRefused = refused("https");
        double mqttsRefused = refused("mqtts");
        install(other.cert(), liveCert); // the key on disk is still the one in force
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while ((refused("https") <= httpsRefused || refused("mqtts") <= mqttsRefused) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(refused("https")).isGreaterThan(httpsRefused);
        assertThat(refused("mqtts")).isGreaterThan(mqttsRefused);
        assertThat(servedSerial(harness.gateway.httpsPort())).isEqualTo(inForce);
        assertThat(servedSerial(harness.gateway.mqttTlsPort())).isEqualTo(inForce);

        install(other.key(), liveKey);
        awaitServed(other);
    }

    private static void awaitServed(TestCertificates pair) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while ((!servedSerial(harness.gateway.httpsPort()).equals(serial(pair))
                || !servedSerial(harness.gateway.mqttTlsPort()).equals(serial(pair))) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(servedSerial(harness.gateway.httpsPort())).isEqualTo(serial(pair));
        assertThat(servedSerial(harness.gateway.mqttTlsPort())).isEqualTo(serial(pair));
    }

    /** Written beside, then moved over: the watch never reads half a file. */
    private static void install(Path from, Path to) throws IOException {
        Path next = Files.copy(from, to.resolveSibling(to.getFileName() + ".next"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(next, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The serial number of the certificate a new TLS connection to {@code port} is shown. */
    private static BigInteger servedSerial(int port) throws Exception {
        AtomicReference<X509Certificate> shown = new AtomicReference<>();
        // Records what the server presents, whatever it is: the test asks which certificate, not whether to trust it.
        TrustManager recording = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                shown.set(chain[0]);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {recording}, new SecureRandom());
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.startHandshake();
        }
        return shown.get().getSerialNumber();
    }

    private static BigInteger serial(TestCertificates pair) {
        return ((X509Certificate) pair.certificate()).getSerialNumber();
    }

    /** {@code gardien_tls_reloads_total{listener, outcome="refused"}} from the Prometheus page (0 when not yet counted). */
    private static double refused(String listener) throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(harness.httpBase() + "/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString());
        return metrics.body().lines()
                .filter(l -> l.startsWith("gardien_tls_reloads_total{") && l.contains("listener=\"" + listener + "\"")
                        && l.contains("outcome=\"refused\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
