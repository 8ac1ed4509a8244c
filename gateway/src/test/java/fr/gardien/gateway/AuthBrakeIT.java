package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.ADMIN_TOKEN;
import static fr.gardien.gateway.GatewayHarness.DEVICE;
import static fr.gardien.gateway.GatewayHarness.SECRET;
import static fr.gardien.gateway.GatewayHarness.boilerPack;
import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.storage.testing.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The brake on credential guessing against a real gateway (issue 15): sources are loopback
 * addresses of their own (127.0.0.x), so that several of them can be played from one machine.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AuthBrakeIT {

    @TempDir
    static Path dir;
    static GatewayHarness harness;

    @BeforeAll
    static void start() throws Exception {
        harness = GatewayHarness.start(dir, TestPostgres.shared().newDatabase(),
                Map.of("auth.max-failures", "5", "auth.device-max-failures", "12", "auth.block-time", "1m"));
    }

    @AfterAll
    static void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    /**
     * Wrong secrets from one address are answered 401 until the threshold, then 429 with
     * Retry-After, unchecked, also over MQTT and for the right secret; they are counted; and the
     * right secret from another address still works.
     */
    @Test
    void repeatedWrongSecretsAreRefusedAndCountedWhileAnotherAddressStillWorks() throws Exception {
        String attacker = "127.0.0.2";
        for (int i = 0; i < 5; i++) {
            assertThat(telemetry(attacker, DEVICE, "guess-" + i)).as("attempt %d", i).startsWith("HTTP/1.1 401");
        }
        String refused = telemetry(attacker, DEVICE, "guess-5");
        assertThat(refused).startsWith("HTTP/1.1 429").contains("Retry-After: ").contains("réessayer");
        assertThat(retryAfter(refused)).isBetween(1L, 60L);
        assertThat(telemetry(attacker, DEVICE, SECRET)).as("even the right secret, from there").startsWith("HTTP/1.1 429");
        try (RawMqtt mqtt = new RawMqtt(harness.gateway.mqttPort(), attacker)) {
            mqtt.send(RawMqtt.connect(5, DEVICE, SECRET, 30));
            RawMqtt.Packet connack = mqtt.read(Duration.ofSeconds(10));
            assertThat(connack).isNotNull();
            assertThat(connack.body()[1] & 0xFF).as("0x9F connection rate exceeded").isEqualTo(0x9F);
        }

        assertThat(telemetry("127.0.0.3", DEVICE, SECRET)).as("another address").startsWith("HTTP/1.1 204");

        String metrics = harness.get("/metrics", null).body();
        assertThat(counter(metrics, "http", "wrong-secret")).isGreaterThanOrEqualTo(5);
        assertThat(counter(metrics, "http", "refused")).isGreaterThanOrEqualTo(2);
        assertThat(counter(metrics, "mqtt", "refused")).isGreaterThanOrEqualTo(1);
    }

    /**
     * Guessing one device from many addresses closes it to addresses it never used, not to the
     * one it authenticated from before.
     */
    @Test
    void aDeviceGuessedFromManyAddressesStaysOpenFromItsUsualAddress() throws Exception {
        String device = GatewayHarness.OTHER_DEVICE;
        String usual = "127.0.0.20";
        assertThat(telemetry(usual, device, GatewayHarness.OTHER_SECRET)).startsWith("HTTP/1.1 403");
        // (the pack's points belong to the other site: 403, but the secret was right)
        for (int source = 21; source < 25; source++) {
            for (int i = 0; i < 3; i++) {
                assertThat(telemetry("127.0.0." + source, device, "guess")).startsWith("HTTP/1.1 401");
            }
        }
        assertThat(telemetry("127.0.0.30", device, GatewayHarness.OTHER_SECRET)).as("a new address").startsWith("HTTP/1.1 429");
        assertThat(telemetry(usual, device, GatewayHarness.OTHER_SECRET)).as("its usual address").startsWith("HTTP/1.1 403");
    }

    /** Wrong API tokens are braked per address like device secrets. */
    @Test
    void wrongApiTokensAreBrakedToo() throws Exception {
        String source = "127.0.0.40";
        for (int i = 0; i < 5; i++) {
            assertThat(api(source, "not-a-token-" + i)).startsWith("HTTP/1.1 401");
        }
        assertThat(api(source, "not-a-token-5")).startsWith("HTTP/1.1 429");
        assertThat(api("127.0.0.41", ADMIN_TOKEN)).startsWith("HTTP/1.1 200");
    }

    private static String telemetry(String from, String device, String secret) throws IOException {
        byte[] body = boilerPack(Instant.now().getEpochSecond(), 70, 50);
        String head = "POST /api/v1/telemetry HTTP/1.1\r\nHost: gardien\r\nConnection: close\r\n"
                + "Authorization: Basic " + Base64.getEncoder().encodeToString((device + ":" + secret).getBytes(StandardCharsets.UTF_8))
                + "\r\nContent-Type: application/senml+json\r\nContent-Length: " + body.length + "\r\n\r\n";
        return exchange(from, head.getBytes(StandardCharsets.UTF_8), body);
    }

    private static String api(String from, String token) throws IOException {
        String head = "GET /api/v1/sites HTTP/1.1\r\nHost: gardien\r\nConnection: close\r\nAuthorization: Bearer " + token + "\r\n\r\n";
        return exchange(from, head.getBytes(StandardCharsets.UTF_8), new byte[0]);
    }

    /** One request from a chosen source address; the whole answer, once the server closed. */
    private static String exchange(String from, byte[] head, byte[] body) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", harness.gateway.httpPort()), 5000);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(head);
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static long retryAfter(String answer) {
        Matcher m = Pattern.compile("(?i)Retry-After: (\\d+)").matcher(answer);
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static double counter(String metrics, String protocol, String outcome) {
        Matcher m = Pattern.compile("gardien_auth_failures_total\\{[^}]*outcome=\"" + outcome + "\",protocol=\"" + protocol
                + "\"[^}]*} ([0-9.E]+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
