package fr.gardien.gateway;

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
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol edges of issue 15, by raw socket against a real gateway: malformed MQTT strings
 * close the connection without an acknowledgement, and no MQTT or HTTP client can hold a
 * connection open by sending slowly, partly or too much.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProtocolEdgesIT {

    /** The fuzzing suite's short deadlines, so that "closed within its deadline" can be waited for in a test. */
    private static final Map<String, String> DEADLINES = Fuzzer.DEADLINES;
    private static final Duration BOUND = Fuzzer.BOUND;

    @TempDir
    static Path dir;
    static GatewayHarness harness;

    @BeforeAll
    static void start() throws Exception {
        harness = GatewayHarness.start(dir, TestPostgres.shared().newDatabase(), DEADLINES);
    }

    @AfterAll
    static void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    private static final byte[] TOPIC = ("telemetry/" + DEVICE).getBytes(StandardCharsets.UTF_8);

    private static byte[] withSuffix(byte[] prefix, int... bytes) {
        byte[] out = new byte[prefix.length + bytes.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        for (int i = 0; i < bytes.length; i++) {
            out[prefix.length + i] = (byte) bytes[i];
        }
        return out;
    }

    /** Connects and returns the CONNACK's reason code. */
    private static int connect(RawMqtt mqtt, int version, int keepAlive) throws IOException {
        mqtt.send(RawMqtt.connect(version, DEVICE, SECRET, keepAlive));
        RawMqtt.Packet connack = mqtt.read(Duration.ofSeconds(10));
        assertThat(connack).as("CONNACK").isNotNull();
        assertThat(connack.kind()).isEqualTo(2);
        return connack.body()[1];
    }

    /** A publish whose topic is malformed: the connection closes, and no PUBACK is ever sent. */
    private static void assertPublishClosesWithoutAck(int version, byte[] topic) throws Exception {
        long before = harness.countReadings(GatewayHarness.SUPPLY);
        try (RawMqtt mqtt = new RawMqtt(harness.gateway.mqttPort())) {
            assertThat(connect(mqtt, version, 60)).isZero();
            mqtt.send(RawMqtt.publishQos1(version, topic, 7, boilerPack(Instant.now().getEpochSecond(), 70, 50)));
            List<RawMqtt.Packet> seen = new ArrayList<>();
            assertThat(mqtt.awaitClose(BOUND, seen)).as("closed").isNotNull();
            assertThat(seen).as("no PUBACK").noneMatch(p -> p.kind() == 4);
        }
        assertThat(harness.countReadings(GatewayHarness.SUPPLY)).isEqualTo(before);
    }

    /** MQTT 3.1.1 §1.5.3: U+0000 in a topic is a malformed packet, and the connection is closed. */
    @Test
    void mqtt311NulInTopicClosesTheConnectionWithoutPuback() throws Exception {
        assertPublishClosesWithoutAck(4, withSuffix(TOPIC, 0x00));
    }

    /** MQTT 3.1.1 §1.5.3: a topic of ill-formed UTF-8 closes the connection. */
    @Test
    void mqtt311InvalidUtf8TopicClosesTheConnectionWithoutPuback() throws Exception {
        assertPublishClosesWithoutAck(4, withSuffix(TOPIC, 0xC3, 0x28));
    }

    /** MQTT 5 §1.5.4: U+0000 and U+FEFF in a topic close the connection, with no PUBACK to carry it back. */
    @Test
    void mqtt5NulOrByteOrderMarkInTopicClosesTheConnectionWithoutPuback() throws Exception {
        assertPublishClosesWithoutAck(5, withSuffix(TOPIC, 0x00));
        assertPublishClosesWithoutAck(5, withSuffix(TOPIC, 0xEF, 0xBB, 0xBF));
        assertPublishClosesWithoutAck(5, withSuffix(TOPIC, 0xED, 0xA0, 0x80));
    }

    /** A refused publish's Reason String names the reason, never the topic the client sent. */
    @Test
    void mqtt5ReasonStringNeverEchoesTheTopic() throws Exception {
        try (RawMqtt mqtt = new RawMqtt(harness.gateway.mqttPort())) {
            assertThat(connect(mqtt, 5, 60)).isZero();
            byte[] topic = "telemetry/someone-else-échoué".getBytes(StandardCharsets.UTF_8);
            mqtt.send(RawMqtt.publishQos1(5, topic, 9, boilerPack(Instant.now().getEpochSecond(), 70, 50)));
            RawMqtt.Packet puback = mqtt.read(Duration.ofSeconds(10));
            assertThat(puback).isNotNull();
            assertThat(puback.kind()).isEqualTo(4);
            assertThat(puback.body()[2] & 0xFF).isEqualTo(0x87);
            String text = new String(puback.body(), StandardCharsets.UTF_8);
            assertThat(text).contains("wrong-topic").doesNotContain("someone-else").doesNotContain("échoué");
        }
    }

    /** A CONNECT announcing 268 MB with 1 KB sent is closed at once, refused if answered at all. */
    @Test
    void aConnectAnnouncingAHugeSizeIsClosedPromptly() throws Exception {
        try (RawMqtt mqtt = new RawMqtt(harness.gateway.mqttPort())) {
            byte[] head = withSuffix(new byte[] {0x10}, 0xFF, 0xFF, 0xFF, 0x7F);
            mqtt.send(head);
            mqtt.send(new byte[1024]);
            List<RawMqtt.Packet> seen = new ArrayList<>();
            assertThat(mqtt.awaitClose(BOUND, seen)).as("closed").isNotNull();
            assertThat(seen).allSatisfy(p -> {
                assertThat(p.kind()).as("CONNACK").isEqualTo(2);
                assertThat(p.body()[1]).as("a refusal").isNotZero();
            });
        }
    }

    /** Random bytes instead of a CONNECT: closed within the connect deadline (seeded, reproducible). */
    @Test
    void garbageInsteadOfConnectIsClosedPromptly() throws Exception {
        Random random = new Random(15);
        for (int i = 0; i < 5; i++) {
            byte[] garbage = new byte[1 + random.nextInt(2048)];
            random.nextBytes(garbage);
            try (RawMqtt mqtt = new RawMqtt(harness.gateway.mqttPort())) {
                mqtt.send(garbage);
                assertThat(mqtt.awaitClose(BOUND, new ArrayList<>())).as("case %d closed", i).isNotNull();
            } catch (SocketException e) {
                // The server may close while the garbage is still being written: closed, as wanted.
            }
        }
    }

    /**
     * After CONNECT (keep alive 0: the client asked for no deadline), a PUBLISH whose topic length
     * runs past the end of its packet leaves the decoder waiting for bytes that never come: the
     * idle deadline closes it.
     */
    @Test
    void aTopicLongerThanItsPacketIsClosedPromptly() throws Exception {
        try (RawMqtt mqtt = new RawMqtt(harness.gateway.mqttPort())) {
            assertThat(connect(mqtt, 4, 0)).isZero();
            // Remaining length 10; topic length 500.
            mqtt.send(new byte[] {0x32, 10, 0x01, (byte) 0xF4, 't', 'e', 'l', 'e', 'm', 0, 1, 'x'});
            List<RawMqtt.Packet> seen = new ArrayList<>();
            assertThat(mqtt.awaitClose(BOUND, seen)).as("closed").isNotNull();
            assertThat(seen).noneMatch(p -> p.kind() == 4);
        }
    }

    /** Slowloris: headers sent a byte at a time, never finished, are cut at the header deadline. */
    @Test
    void slowHeadersAreClosedAtTheHeaderDeadline() throws Exception {
        try (Socket socket = httpSocket()) {
            OutputStream out = socket.getOutputStream();
            out.write("POST /api/v1/telemetry HTTP/1.1\r\nHost: gardien\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            boolean closed = false;
            try {
                for (int i = 0; i < 40 && !closed; i++) {
                    out.write('X');
                    out.flush();
                    closed = closedWithin(socket, Duration.ofMillis(250));
                }
            } catch (SocketException e) {
                closed = true;
            }
            assertThat(closed).as("closed").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
        }
    }

    /** A half-sent request line, then silence: closed at the header deadline. */
    @Test
    void aHalfSentHeaderIsClosedAtTheHeaderDeadline() throws Exception {
        try (Socket socket = httpSocket()) {
            socket.getOutputStream().write("GET /health/li".getBytes(StandardCharsets.US_ASCII));
            assertThat(closedWithin(socket, BOUND)).isTrue();
        }
    }

    /** A body announced and never finished: 408, then the connection is closed. */
    @Test
    void aBodyThatStopsGets408AndIsClosed() throws Exception {
        try (Socket socket = httpSocket()) {
            socket.getOutputStream().write(("POST /api/v1/telemetry HTTP/1.1\r\nHost: gardien\r\n" + basic()
                    + "Content-Type: application/senml+json\r\nContent-Length: 100\r\n\r\n[{\"n\"").getBytes(StandardCharsets.US_ASCII));
            String answer = readUntilClosed(socket, BOUND);
            assertThat(answer).startsWith("HTTP/1.1 408");
        }
    }

    /** A kept-alive connection that starts no new request is closed at the idle deadline. */
    @Test
    void anIdleKeptAliveConnectionIsClosed() throws Exception {
        try (Socket socket = httpSocket()) {
            socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: gardien\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = readUntilClosed(socket, BOUND);
            assertThat(answer).startsWith("HTTP/1.1 200");
        }
    }

    /**
     * A chunked body that runs past ingest.max-payload-bytes gets 413, and the server stops
     * reading: the connection closes long before the 50 MB the client meant to send.
     */
    @Test
    void anOversizedChunkedBodyGets413AndTheConnectionCloses() throws Exception {
        try (Socket socket = httpSocket()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/telemetry HTTP/1.1\r\nHost: gardien\r\n" + basic()
                    + "Content-Type: application/senml+json\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            byte[] head = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            long sent = 0;
            StringBuilder answer = new StringBuilder();
            socket.setSoTimeout(1);
            try {
                while (sent < 50L * 1024 * 1024) {
                    out.write(head);
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    sent += chunk.length;
                    drain(socket.getInputStream(), answer);
                }
            } catch (SocketException e) {
                // Reset or broken pipe: the server closed while we were still sending.
            }
            answer.append(readUntilClosed(socket, BOUND));
            assertThat(answer.toString()).startsWith("HTTP/1.1 413");
            assertThat(sent).as("bytes sent before the server closed").isLessThan(50L * 1024 * 1024);
        }
    }

    private static void drain(InputStream in, StringBuilder into) throws IOException {
        byte[] buffer = new byte[4096];
        try {
            int n = in.read(buffer);
            if (n > 0) {
                into.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (SocketTimeoutException e) {
            // nothing yet
        }
    }

    private static String basic() {
        return "Authorization: Basic " + Base64.getEncoder().encodeToString((DEVICE + ":" + SECRET)
                .getBytes(StandardCharsets.UTF_8)) + "\r\n";
    }

    private static Socket httpSocket() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", harness.gateway.httpPort()), 5000);
        return socket;
    }

    /** True when the server closed the connection (end of stream or reset) within {@code wait}. */
    private static boolean closedWithin(Socket socket, Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        socket.setSoTimeout(50);
        while (System.nanoTime() < deadline) {
            try {
                if (socket.getInputStream().read() < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                // still open
            } catch (SocketException e) {
                return true;
            }
        }
        return false;
    }

    /** What the server sent until it closed the connection; fails when it is still open after {@code wait}. */
    private static String readUntilClosed(Socket socket, Duration wait) throws IOException {
        String text = Fuzzer.readUntilClosed(socket, wait);
        if (text == null) {
            throw new AssertionError("the connection was still open after " + wait);
        }
        return text;
    }
}
