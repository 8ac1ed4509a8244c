package fr.gardien.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fuzzing suite of every device protocol ({@link Fuzzer}), bounded: 30 cases per protocol with
 * seed 15 in the build. {@code -Dfuzz.seed=S -Dfuzz.cases=N} or {@code -Dfuzz.minutes=M} (the long
 * run of {@code ./gardien fuzz}) change it, {@code -Dfuzz.max-sessions=N} the gateway's
 * {@code coap.max-sessions}; the figures are printed and written to {@code fuzz.report} (a path,
 * default {@code target/fuzz-report.txt}).
 */
@Timeout(value = 3, unit = TimeUnit.HOURS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FuzzIT {

    /** Small by default, so that the handshake flood below reaches the bound. */
    static final int MAX_SESSIONS = Integer.getInteger("fuzz.max-sessions", 200);

    @RegisterExtension
    static final GatewayHarness harness = GatewayHarness.perClass(withMaxSessions());

    private static Map<String, String> withMaxSessions() {
        Map<String, String> keys = new HashMap<>(Fuzzer.DEADLINES);
        keys.put("coap.max-sessions", Integer.toString(MAX_SESSIONS));
        return keys;
    }

    /**
     * Every protocol's cases: no internal error, no TCP connection left open past its deadlines,
     * every protocol still serving a well-formed client after each batch, no MQTT connection
     * counted open at the end, and DTLS state within {@code coap.max-sessions}.
     */
    @Test
    @Order(1)
    void everyProtocolSurvivesItsCases() throws Exception {
        long seed = Long.getLong("fuzz.seed", 15);
        int cases = Integer.getInteger("fuzz.cases", 30);
        String minutes = System.getProperty("fuzz.minutes");
        Fuzzer.Report report;
        try (Fuzzer fuzzer = new Fuzzer(harness, seed)) {
            report = fuzzer.run(cases, minutes == null || minutes.isBlank() ? null : Duration.ofMinutes(Long.parseLong(minutes)));
        }
        String text = report.text();
        System.out.print(text);
        Path file = Path.of(System.getProperty("fuzz.report", "target/fuzz-report.txt"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);

        for (Fuzzer.Tally tally : report.tallies().values()) {
            assertThat(tally.cases.get()).isGreaterThanOrEqualTo(Math.min(cases, 24));
        }
        assertThat(report.crashes()).as(text).isZero();
        assertThat(report.leftOpen()).as(text).isZero();
        assertThat(report.mqttConnectionsAtEnd()).as(text).isZero();
        assertThat(report.dtlsConnectionsMax()).as(text).isLessThanOrEqualTo(MAX_SESSIONS);
    }

    /**
     * A flood of handshakes from many ports, each taken past its cookie and abandoned: a first
     * ClientHello costs the server no state (its HelloVerifyRequest still comes once the store is
     * full), and the handshakes in progress never exceed {@code coap.max-sessions}.
     */
    @Test
    @Order(2)
    void aHandshakeFloodIsBoundedByMaxSessions() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(MAX_SESSIONS <= 1000, "a flood of coap.max-sessions handshakes is too long here");
        Random random = new Random(15);
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", harness.gateway.coapDtlsPort());
        List<DatagramSocket> ports = new ArrayList<>();
        int cookies = 0;
        try {
            for (int i = 0; i < MAX_SESSIONS + 100; i++) {
                DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                socket.setSoTimeout(2000);
                ports.add(socket);
                byte[] clientRandom = Fuzzer.randomBytes(random, 32);
                byte[] cookie = Fuzzer.helloVerifyCookie(socket, server, Fuzzer.clientHello(clientRandom, new byte[0], 0));
                if (cookie != null) {
                    cookies++;
                    byte[] second = Fuzzer.clientHello(clientRandom, cookie, 1);
                    socket.send(new java.net.DatagramPacket(second, second.length, server));
                }
            }
            assertThat(cookies).as("every first ClientHello answered statelessly").isEqualTo(MAX_SESSIONS + 100);
            int connections = 0;
            for (int i = 0; i < 20 && connections < MAX_SESSIONS; i++) {
                Thread.sleep(100);
                connections = harness.gateway.coapDtlsConnections();
            }
            assertThat(connections).as("handshakes in progress: the store filled up").isGreaterThanOrEqualTo(MAX_SESSIONS / 2);
            assertThat(connections).as("and never past its bound").isLessThanOrEqualTo(MAX_SESSIONS);
        } finally {
            ports.forEach(DatagramSocket::close);
        }
    }
}
