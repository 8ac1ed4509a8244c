package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.DEVICE;
import static fr.gardien.gateway.GatewayHarness.SECRET;
import static fr.gardien.gateway.GatewayHarness.boilerPack;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.elements.AddressEndpointContext;
import org.eclipse.californium.elements.RawData;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/**
 * Seeded fuzzing of every device protocol against a running gateway (issue 15): MQTT 3.1.1 and 5
 * (raw sockets), HTTP (mutated telemetry requests), SenML (mutated JSON and CBOR bodies in
 * well-formed requests), CoAP (mutated messages, unknown options and block-wise lies sent inside a
 * DTLS session by Californium's connector, and libcoap's {@code coap-client} with random options
 * and block sizes when installed) and DTLS (mutated ClientHellos, garbage, and cookie-completed
 * handshakes abandoned, from a new port each).
 *
 * <p>Case {@code i} of a protocol depends only on the seed, the protocol and {@code i}: a failing
 * case is replayed by its number. A case is a <em>crash</em> when the gateway answers it with an
 * internal error (HTTP 500, CoAP 5.00), or when after a batch the gateway no longer serves a
 * well-formed client of that protocol; <em>left open</em> when a TCP connection is still open
 * past the gateway's deadlines ({@link #DEADLINES}, {@link #BOUND}).
 */
final class Fuzzer implements AutoCloseable {

    /** Short deadlines, so that "closed within its deadline" can be waited for. */
    static final Map<String, String> DEADLINES = Map.of(
            "mqtt.connect-timeout", "1s", "mqtt.idle-timeout", "2s",
            "http.header-timeout", "1s", "http.body-timeout", "1s", "http.idle-timeout", "1s",
            "ingest.max-payload-bytes", "65536");
    /** A deadline of 1 or 2 s, a sweep, and a loaded machine's slack. */
    static final Duration BOUND = Duration.ofSeconds(6);
    private static final int BATCH = 24;
    private static final byte[] TOPIC = ("telemetry/" + DEVICE).getBytes(StandardCharsets.UTF_8);

    enum Protocol {
        MQTT_311("mqtt-3.1.1"), MQTT_5("mqtt-5"), HTTP("http"), SENML("senml"), COAP("coap"), DTLS("dtls");

        final String label;

        Protocol(String label) {
            this.label = label;
        }
    }

    /** What the cases of one protocol did. */
    static final class Tally {
        final AtomicInteger cases = new AtomicInteger();
        final AtomicInteger crashes = new AtomicInteger();
        final AtomicInteger leftOpen = new AtomicInteger();
        final List<String> failing = new ArrayList<>();

        synchronized void fail(String what) {
            if (failing.size() < 20) {
                failing.add(what);
            }
        }
    }

    /** The run's figures. */
    record Report(long seed, Duration took, Map<Protocol, Tally> tallies, int mqttConnectionsAtEnd, int dtlsConnectionsMax,
            int dtlsConnectionsAtEnd, long heapUsedMaxBytes, long peakRssBytes) {

        int crashes() {
            return tallies.values().stream().mapToInt(t -> t.crashes.get()).sum();
        }

        int leftOpen() {
            return tallies.values().stream().mapToInt(t -> t.leftOpen.get()).sum();
        }

        String text() {
            StringBuilder out = new StringBuilder(String.format("fuzz: seed %d, %d s%n", seed, took.toSeconds()));
            out.append(String.format("  %-12s %8s %8s %12s%n", "protocol", "cases", "crashes", "left open"));
            tallies.forEach((p, t) -> out.append(String.format("  %-12s %8d %8d %12s%n", p.label, t.cases.get(), t.crashes.get(),
                    p == Protocol.COAP || p == Protocol.DTLS || p == Protocol.SENML ? "-" : Integer.toString(t.leftOpen.get()))));
            out.append(String.format("  MQTT connections open at the end: %d; DTLS connections (handshakes and sessions): at most %d, "
                    + "at the end %d%n", mqttConnectionsAtEnd, dtlsConnectionsMax, dtlsConnectionsAtEnd));
            out.append(String.format("  memory of the JVM (gateway and fuzzer): heap used at most %d MB (sampled after each batch), "
                    + "peak RSS %d MB%n", heapUsedMaxBytes >> 20, peakRssBytes >> 20));
            tallies.forEach((p, t) -> t.failing.forEach(f -> out.append("  failing ").append(p.label).append(": ").append(f).append('\n')));
            return out.toString();
        }
    }

    private final GatewayHarness harness;
    private final long seed;
    private final ExecutorService pool = Executors.newFixedThreadPool(12);
    private final Map<Protocol, Tally> tallies = new EnumMap<>(Protocol.class);
    private final String coapClient = program("coap-client", "coap-client-openssl", "coap-client-gnutls");
    private DTLSConnector coapSession;
    private final AtomicInteger coapInternalErrors = new AtomicInteger();
    private int dtlsMax;
    private long heapMax;

    Fuzzer(GatewayHarness harness, long seed) {
        this.harness = harness;
        this.seed = seed;
        for (Protocol p : Protocol.values()) {
            tallies.put(p, new Tally());
        }
    }

    /**
     * Runs {@code casesPerProtocol} cases of each protocol, or, when {@code duration} is given,
     * batches of each in turn until it is spent.
     */
    Report run(int casesPerProtocol, Duration duration) throws Exception {
        long start = System.nanoTime();
        for (Protocol p : Protocol.values()) {
            // A well-formed client first: each protocol must work before it is fuzzed (and the
            // brake on guessing then knows the device at this address).
            if (!serves(p)) {
                throw new IllegalStateException(p.label + " does not serve a well-formed client before fuzzing");
            }
        }
        int[] next = new int[Protocol.values().length];
        boolean more = true;
        while (more) {
            more = false;
            for (Protocol p : Protocol.values()) {
                int from = next[p.ordinal()];
                int to = duration == null ? Math.min(casesPerProtocol, from + BATCH) : from + BATCH;
                if (from >= to || (duration != null && System.nanoTime() - start > duration.toNanos())) {
                    continue;
                }
                batch(p, from, to);
                next[p.ordinal()] = to;
                more = true;
                sample();
            }
        }
        // Whatever the cases left behind is gone once the deadlines are past.
        Thread.sleep(BOUND.toMillis());
        sample();
        int coapErrors = coapInternalErrors.get();
        tallies.get(Protocol.COAP).crashes.addAndGet(coapErrors);
        if (coapErrors > 0) {
            tallies.get(Protocol.COAP).fail(coapErrors + " answer(s) 5.00");
        }
        return new Report(seed, Duration.ofNanos(System.nanoTime() - start), tallies, mqttConnections(), dtlsMax,
                harness.gateway.coapDtlsConnections(), heapMax, peakRss());
    }

    private void batch(Protocol p, int from, int to) throws Exception {
        Tally tally = tallies.get(p);
        List<Future<Outcome>> outcomes = new ArrayList<>();
        for (int i = from; i < to; i++) {
            Random random = new Random(seed * 1_000_003L + p.ordinal() * 1_000_000_007L + i);
            int number = i;
            outcomes.add(pool.submit(() -> fuzzCase(p, random, number)));
        }
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome outcome;
            try {
                outcome = outcomes.get(i).get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                outcome = Outcome.OK; // the fuzzer's own socket failed (e.g. reset while sending): nothing to judge
            }
            tally.cases.incrementAndGet();
            if (outcome == Outcome.CRASH) {
                tally.crashes.incrementAndGet();
                tally.fail("case " + (from + i) + ": internal error");
            } else if (outcome == Outcome.LEFT_OPEN) {
                tally.leftOpen.incrementAndGet();
                tally.fail("case " + (from + i) + ": left open");
            }
        }
        if (!serves(p)) {
            tally.crashes.incrementAndGet();
            tally.fail("after cases " + from + "-" + (to - 1) + ": a well-formed client is no longer served");
        }
    }

    enum Outcome { OK, CRASH, LEFT_OPEN }

    private Outcome fuzzCase(Protocol p, Random random, int number) throws Exception {
        return switch (p) {
            case MQTT_311 -> mqtt(4, random);
            case MQTT_5 -> mqtt(5, random);
            case HTTP -> http(random);
            case SENML -> senml(random);
            case COAP -> coap(random, number);
            case DTLS -> dtls(random);
        };
    }

    // ---- MQTT ----

    private Outcome mqtt(int version, Random random) throws IOException {
        byte[] valid = concat(RawMqtt.connect(version, DEVICE, SECRET, random.nextInt(3) * 30),
                RawMqtt.publishQos1(version, TOPIC, 1 + random.nextInt(60_000), boilerPack(Instant.now().getEpochSecond(), 70, 50)));
        byte[] bytes = random.nextInt(5) == 0 ? randomBytes(random, 1 + random.nextInt(300)) : mutate(valid, random);
        try (RawMqtt mqtt = new RawMqtt(harness.gateway.mqttPort())) {
            try {
                mqtt.send(bytes);
            } catch (SocketException e) {
                return Outcome.OK;
            }
            return mqtt.awaitClose(BOUND, new ArrayList<>()) != null ? Outcome.OK : Outcome.LEFT_OPEN;
        }
    }

    // ---- HTTP and SenML ----

    private static String basic() {
        return "Authorization: Basic " + Base64.getEncoder().encodeToString((DEVICE + ":" + SECRET).getBytes(StandardCharsets.UTF_8))
                + "\r\n";
    }

    private static byte[] request(String contentType, byte[] body, String extraHeaders) {
        String head = "POST /api/v1/telemetry HTTP/1.1\r\nHost: gardien\r\n" + basic() + "Content-Type: " + contentType
                + "\r\nContent-Length: " + body.length + "\r\n" + extraHeaders + "\r\n";
        return concat(head.getBytes(StandardCharsets.ISO_8859_1), body);
    }

    /** A telemetry request whose framing is damaged: bytes changed, cut, repeated; lying lengths; bad chunks. */
    private Outcome http(Random random) throws IOException {
        byte[] body = boilerPack(Instant.now().getEpochSecond(), 70, 50);
        byte[] bytes = switch (random.nextInt(4)) {
            case 0 -> ("POST /api/v1/telemetry HTTP/1.1\r\nHost: g\r\n" + basic() + "Content-Type: application/senml+json\r\n"
                    + "Content-Length: " + (body.length + 1 + random.nextInt(100_000)) + "\r\n\r\n"
                    + new String(body, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
            case 1 -> ("POST /api/v1/telemetry HTTP/1.1\r\nHost: g\r\n" + basic() + "Content-Type: application/senml+json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(random.nextInt(1 << 20)) + "\r\n"
                    + new String(body, StandardCharsets.ISO_8859_1) + "\r\n" + (random.nextBoolean() ? "0\r\n\r\n" : ""))
                    .getBytes(StandardCharsets.ISO_8859_1);
            default -> mutate(request("application/senml+json", body, random.nextBoolean() ? "Connection: close\r\n" : ""), random);
        };
        return exchange(bytes);
    }

    /** A well-framed request whose SenML body (JSON or CBOR) is damaged or strange. */
    private Outcome senml(Random random) throws IOException {
        long now = Instant.now().getEpochSecond();
        boolean cbor = random.nextInt(3) == 0;
        byte[] valid = cbor ? GatewayHarness.cborSupplyPack(random.nextInt(100)) : boilerPack(now - random.nextInt(3600), 70, 50);
        byte[] body = switch (random.nextInt(5)) {
            case 0 -> strangeJson(random, now).getBytes(StandardCharsets.UTF_8);
            case 1 -> randomBytes(random, random.nextInt(2000));
            default -> mutate(valid, random);
        };
        return exchange(request(cbor ? "application/senml+cbor" : "application/senml+json", body, "Connection: close\r\n"));
    }

    private static String strangeJson(Random random, long now) {
        return switch (random.nextInt(6)) {
            case 0 -> "[".repeat(1 + random.nextInt(5000)) + "]".repeat(random.nextInt(5000));
            case 1 -> "[{\"n\":\"tilleuls/boiler-1/supply_temp\",\"v\":1e" + random.nextInt(100_000) + ",\"t\":" + now + "}]";
            case 2 -> "[{\"bn\":\"tilleuls/boiler-1/\",\"n\":\"supply_temp\",\"n\":\"" + "x".repeat(random.nextInt(5000))
                    + "\",\"v\":1}]";
            case 3 -> "[{\"n\":\"tilleuls/boiler-1/supply_temp\",\"vs\":\"\\u0000\\ud800\",\"t\":" + (random.nextBoolean() ? "-" : "")
                    + random.nextLong() + "}]";
            case 4 -> "[" + "{\"n\":\"tilleuls/boiler-1/supply_temp\",\"v\":1},".repeat(1 + random.nextInt(3000)) + "{}]";
            default -> "{\"n\":\"tilleuls/boiler-1/supply_temp\",\"v\":" + random.nextDouble() + ",\"bt\":\"" + now + "\"}";
        };
    }

    /** Sends a request and reads until the server closes: an internal error is a crash, a connection still open a leak. */
    private Outcome exchange(byte[] bytes) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", harness.gateway.httpPort()), 5000);
            try {
                socket.getOutputStream().write(bytes);
                socket.getOutputStream().flush();
            } catch (SocketException e) {
                return Outcome.OK;
            }
            String answer = readUntilClosed(socket, BOUND);
            if (answer == null) {
                return Outcome.LEFT_OPEN;
            }
            return answer.startsWith("HTTP/1.1 500") || answer.contains("\r\n\r\nHTTP/1.1 500") ? Outcome.CRASH : Outcome.OK;
        }
    }

    /** What the server sent until it closed the connection, or null when it was still open after {@code wait}. */
    static String readUntilClosed(Socket socket, Duration wait) throws IOException {
        StringBuilder text = new StringBuilder();
        long deadline = System.nanoTime() + wait.toNanos();
        socket.setSoTimeout(50);
        byte[] buffer = new byte[4096];
        while (System.nanoTime() < deadline) {
            try {
                int n = socket.getInputStream().read(buffer);
                if (n < 0) {
                    return text.toString();
                }
                text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            } catch (SocketTimeoutException e) {
                // keep waiting
            } catch (SocketException e) {
                return text.toString();
            }
        }
        return null;
    }

    // ---- CoAP inside DTLS ----

    /**
     * A CoAP message sent as application data of an established DTLS session (so that the CoAP
     * layer, not the handshake, meets it): a POST to /telemetry with random options (unknown,
     * critical, repeated, over-long), block-wise lies (a first block never followed, a block far
     * past the first, Size1 announcing gigabytes), then possibly damaged. One case in eight is
     * libcoap's coap-client posting with random options and block sizes, when installed.
     */
    private Outcome coap(Random random, int number) throws Exception {
        if (coapClient != null && number % 8 == 7) {
            return coapClientCase(random);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] token = randomBytes(random, random.nextInt(9));
        out.write(0x40 | (random.nextInt(4) == 0 ? 0x10 : 0) | token.length); // CON or NON
        out.write(random.nextInt(10) == 0 ? random.nextInt(256) : 0x02); // POST
        out.write(random.nextInt(256));
        out.write(random.nextInt(256));
        out.write(token);
        List<int[]> options = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        option(options, values, 11, "telemetry".getBytes(StandardCharsets.US_ASCII));
        option(options, values, 12, new byte[] {(byte) (random.nextBoolean() ? 110 : 112)});
        switch (random.nextInt(4)) {
            case 0 -> option(options, values, 27, block(0, true, random.nextInt(8))); // a first block never followed
            case 1 -> option(options, values, 27, block(1 + random.nextInt(100_000), random.nextBoolean(), random.nextInt(8)));
            case 2 -> {
                option(options, values, 27, block(0, true, random.nextInt(7)));
                option(options, values, 60, new byte[] {(byte) 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}); // Size1 lies
            }
            default -> {
            }
        }
        for (int n = random.nextInt(4); n > 0; n--) {
            option(options, values, random.nextInt(3000), randomBytes(random, random.nextInt(random.nextInt(10) == 0 ? 1100 : 20)));
        }
        writeOptions(out, options, values, random);
        byte[] payload = random.nextInt(4) == 0 ? randomBytes(random, random.nextInt(600)) : boilerPack(Instant.now().getEpochSecond(), 70, 50);
        if (payload.length > 0) {
            out.write(0xFF);
            out.write(payload);
        }
        byte[] message = random.nextInt(3) == 0 ? mutate(out.toByteArray(), random) : out.toByteArray();
        coapSession().send(RawData.outbound(message, new AddressEndpointContext(coapAddress()), null, false));
        Thread.sleep(20);
        return Outcome.OK;
    }

    private static void option(List<int[]> options, List<byte[]> values, int number, byte[] value) {
        int at = 0;
        while (at < options.size() && options.get(at)[0] <= number) {
            at++;
        }
        options.add(at, new int[] {number});
        values.add(at, value);
    }

    private static byte[] block(int num, boolean more, int szx) {
        int value = (num << 4) | (more ? 0x08 : 0) | szx;
        if (value < 0x100) {
            return new byte[] {(byte) value};
        }
        if (value < 0x10000) {
            return new byte[] {(byte) (value >> 8), (byte) value};
        }
        return new byte[] {(byte) (value >> 16), (byte) (value >> 8), (byte) value};
    }

    /** RFC 7252 §3.1 option encoding, deltas and lengths extended as needed (sometimes with the reserved nibble 15). */
    private static void writeOptions(ByteArrayOutputStream out, List<int[]> options, List<byte[]> values, Random random) {
        int previous = 0;
        for (int i = 0; i < options.size(); i++) {
            int delta = options.get(i)[0] - previous;
            previous = options.get(i)[0];
            byte[] value = values.get(i);
            int deltaNibble = nibble(delta);
            int lengthNibble = random.nextInt(50) == 0 ? 15 : nibble(value.length);
            out.write((deltaNibble << 4) | lengthNibble);
            extended(out, delta, deltaNibble);
            extended(out, value.length, lengthNibble);
            out.writeBytes(value);
        }
    }

    private static int nibble(int n) {
        return n < 13 ? n : n < 269 ? 13 : 14;
    }

    private static void extended(ByteArrayOutputStream out, int n, int nibble) {
        if (nibble == 13) {
            out.write(n - 13);
        } else if (nibble == 14) {
            out.write((n - 269) >> 8);
            out.write(n - 269);
        }
    }

    private synchronized DTLSConnector coapSession() throws IOException {
        if (coapSession == null) {
            Configuration config = new Configuration(org.eclipse.californium.core.config.CoapConfig.DEFINITIONS, DtlsConfig.DEFINITIONS,
                    org.eclipse.californium.elements.config.UdpConfig.DEFINITIONS,
                    org.eclipse.californium.elements.config.SystemConfig.DEFINITIONS);
            config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
            DTLSConnector connector = new DTLSConnector(DtlsConnectorConfig.builder(config)
                    .setAddress(new InetSocketAddress("127.0.0.1", 0))
                    .setAdvancedPskStore(new AdvancedSinglePskStore(DEVICE, SECRET.getBytes(StandardCharsets.UTF_8))).build());
            connector.setRawDataReceiver(data -> {
                byte[] bytes = data.getBytes();
                // 5.00 Internal Server Error: class 5, detail 0.
                if (bytes.length >= 2 && (bytes[1] & 0xFF) == 0xA0) {
                    coapInternalErrors.incrementAndGet();
                }
            });
            connector.start();
            coapSession = connector;
        }
        return coapSession;
    }

    private InetSocketAddress coapAddress() {
        return new InetSocketAddress("127.0.0.1", harness.gateway.coapDtlsPort());
    }

    /** libcoap's client with random options (some critical and unknown) and a random block size. */
    private Outcome coapClientCase(Random random) throws Exception {
        List<String> command = new ArrayList<>(List.of(coapClient, "-m", "post", "-u", DEVICE, "-k", SECRET, "-t",
                random.nextBoolean() ? "110" : "112", "-B", "3", "-b", Integer.toString(16 << random.nextInt(7))));
        for (int n = random.nextInt(3); n > 0; n--) {
            command.add("-O");
            command.add((1 + random.nextInt(2000)) + ",0x" + hex(randomBytes(random, 1 + random.nextInt(8))));
        }
        byte[] payload = random.nextBoolean() ? boilerPack(Instant.now().getEpochSecond(), 70, 50)
                : strangeJson(random, Instant.now().getEpochSecond()).getBytes(StandardCharsets.UTF_8);
        Path file = Files.createTempFile("gardien-fuzz", ".senml");
        try {
            Files.write(file, payload);
            command.addAll(List.of("-f", file.toString(), "coaps://127.0.0.1:" + harness.gateway.coapDtlsPort() + "/telemetry"));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return new String(output, StandardCharsets.UTF_8).contains("5.00") ? Outcome.CRASH : Outcome.OK;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    // ---- DTLS ----

    /** From a new port: a damaged ClientHello, garbage, or a handshake taken past its cookie and abandoned. */
    private Outcome dtls(Random random) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(1000);
            InetSocketAddress server = new InetSocketAddress("127.0.0.1", harness.gateway.coapDtlsPort());
            byte[] clientRandom = randomBytes(random, 32);
            byte[] hello = clientHello(clientRandom, new byte[0], 0);
            switch (random.nextInt(3)) {
                case 0 -> {
                    byte[] bytes = mutate(hello, random);
                    socket.send(new DatagramPacket(bytes, bytes.length, server));
                }
                case 1 -> {
                    byte[] bytes = randomBytes(random, 1 + random.nextInt(1400));
                    socket.send(new DatagramPacket(bytes, bytes.length, server));
                }
                default -> {
                    byte[] cookie = helloVerifyCookie(socket, server, hello);
                    if (cookie != null) {
                        byte[] second = clientHello(clientRandom, cookie, 1);
                        socket.send(new DatagramPacket(second, second.length, server));
                        // The ServerHello flight comes back; the handshake is then abandoned.
                        byte[] buffer = new byte[2048];
                        try {
                            socket.receive(new DatagramPacket(buffer, buffer.length));
                        } catch (SocketTimeoutException e) {
                            // nothing: judged by the batch's check
                        }
                    }
                }
            }
        }
        return Outcome.OK;
    }

    /** Sends {@code hello} and returns the cookie of the HelloVerifyRequest, or null when none came. */
    static byte[] helloVerifyCookie(DatagramSocket socket, InetSocketAddress server, byte[] hello) throws IOException {
        socket.send(new DatagramPacket(hello, hello.length, server));
        byte[] buffer = new byte[2048];
        DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(answer);
        } catch (SocketTimeoutException e) {
            return null;
        }
        // record header 13, handshake header 12 (type 3 = hello_verify_request), version 2, cookie length 1
        if (answer.getLength() < 28 || buffer[0] != 22 || buffer[13] != 3) {
            return null;
        }
        int length = buffer[27] & 0xFF;
        return answer.getLength() < 28 + length ? null : Arrays.copyOfRange(buffer, 28, 28 + length);
    }

    /**
     * A DTLS 1.2 ClientHello offering TLS_PSK_WITH_AES_128_CCM_8, in one record. The one that
     * returns a cookie must repeat the first one's random: the cookie is computed over it.
     */
    static byte[] clientHello(byte[] clientRandom, byte[] cookie, int sequence) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0xFE);
        body.write(0xFD);
        body.writeBytes(clientRandom);
        body.write(0); // no session id
        body.write(cookie.length);
        body.writeBytes(cookie);
        body.writeBytes(new byte[] {0, 2, (byte) 0xC0, (byte) 0xA8}); // cipher suites
        body.writeBytes(new byte[] {1, 0}); // compression: null
        byte[] b = body.toByteArray();
        ByteArrayOutputStream handshake = new ByteArrayOutputStream();
        handshake.write(1); // client_hello
        uint24(handshake, b.length);
        handshake.write(0);
        handshake.write(sequence); // message_seq
        uint24(handshake, 0); // fragment offset
        uint24(handshake, b.length);
        handshake.writeBytes(b);
        byte[] h = handshake.toByteArray();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.writeBytes(new byte[] {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, (byte) sequence});
        record.write(h.length >> 8);
        record.write(h.length);
        record.writeBytes(h);
        return record.toByteArray();
    }

    private static void uint24(ByteArrayOutputStream out, int n) {
        out.write(n >> 16);
        out.write(n >> 8);
        out.write(n);
    }

    // ---- liveness and measures ----

    /** Whether a well-formed client of {@code p} is still served. */
    private boolean serves(Protocol p) {
        try {
            return switch (p) {
                case MQTT_311, MQTT_5 -> {
                    try (RawMqtt mqtt = new RawMqtt(harness.gateway.mqttPort())) {
                        mqtt.send(RawMqtt.connect(p == Protocol.MQTT_5 ? 5 : 4, DEVICE, SECRET, 30));
                        RawMqtt.Packet connack = mqtt.read(Duration.ofSeconds(10));
                        yield connack != null && connack.kind() == 2 && connack.body()[1] == 0;
                    }
                }
                case HTTP, SENML -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress("127.0.0.1", harness.gateway.httpPort()), 5000);
                        socket.getOutputStream().write(request("application/senml+json",
                                boilerPack(Instant.now().getEpochSecond(), 70, 50), "Connection: close\r\n"));
                        String answer = readUntilClosed(socket, Duration.ofSeconds(10));
                        yield answer != null && answer.startsWith("HTTP/1.1 204");
                    }
                }
                case COAP, DTLS -> {
                    try (CoapTestClient client = CoapTestClient.dtls(harness.gateway.coapDtlsPort(), DEVICE, SECRET)) {
                        CoapResponse response = client.post(boilerPack(Instant.now().getEpochSecond(), 70, 50),
                                MediaTypeRegistry.APPLICATION_SENML_JSON);
                        yield response != null && response.getCode() == ResponseCode.CHANGED;
                    }
                }
            };
        } catch (IOException e) {
            return false;
        }
    }

    private void sample() {
        dtlsMax = Math.max(dtlsMax, harness.gateway.coapDtlsConnections());
        heapMax = Math.max(heapMax, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }

    private int mqttConnections() throws Exception {
        String metrics = harness.get("/metrics", null).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("gardien_connections\\{[^}]*protocol=\"mqtt\"[^}]*} ([0-9.E]+)")
                .matcher(metrics);
        return m.find() ? (int) Double.parseDouble(m.group(1)) : 0;
    }

    /** The process's peak resident set (VmHWM), 0 where /proc is not there. */
    private static long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return 0;
    }

    // ---- byte tools, shared with ProtocolEdgesIT ----

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** One to four byte changes, a cut, or a repeated slice. */
    static byte[] mutate(byte[] valid, Random random) {
        byte[] out = valid.clone();
        switch (random.nextInt(3)) {
            case 0 -> {
                for (int n = 1 + random.nextInt(4); n > 0; n--) {
                    out[random.nextInt(out.length)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> out = Arrays.copyOf(out, 1 + random.nextInt(out.length - 1));
            default -> {
                int from = random.nextInt(out.length);
                int length = 1 + random.nextInt(Math.min(64, out.length - from));
                byte[] slice = Arrays.copyOfRange(out, from, from + length);
                out = concat(concat(Arrays.copyOf(out, from + length), slice), Arrays.copyOfRange(out, from + length, out.length));
            }
        }
        return out;
    }

    static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            out.append(String.format("%02x", b));
        }
        return out.toString();
    }

    private static String program(String... names) {
        String path = System.getenv("PATH");
        for (String name : names) {
            for (String folder : path == null ? new String[0] : path.split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(folder, name))) {
                    return Path.of(folder, name).toString();
                }
            }
        }
        return null;
    }

    @Override
    public void close() {
        pool.shutdownNow();
        if (coapSession != null) {
            coapSession.destroy();
        }
    }
}
