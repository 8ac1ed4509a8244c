package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.DEVICE;
import static fr.gardien.gateway.GatewayHarness.OTHER_SITE_POINT;
import static fr.gardien.gateway.GatewayHarness.SECRET;
import static fr.gardien.gateway.GatewayHarness.SUPPLY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import fr.gardien.storage.testing.TestPostgres;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with another CoAP stack than Californium: libcoap's {@code coap-client}
 * (Debian {@code libcoap3-bin}) posting over DTLS-PSK. Skipped, with a message, where the program
 * is not installed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CoapClientProgramIT {

    /** The names Debian gives the program: the alternative, then the builds for each TLS library. */
    /** How long coap-client waits for the answer to a pack the gateway should take (-B). */
    private static final int ANSWER_WAIT = 15;

    private static final String[] PROGRAMS = {"coap-client", "coap-client-openssl", "coap-client-gnutls"};

    @TempDir
    static Path dir;
    static GatewayHarness harness;
    static String program;

    @BeforeAll
    static void start() throws Exception {
        program = findProgram();
        assumeTrue(program != null, "coap-client (Debian package libcoap3-bin) is not installed: libcoap interoperability not tested");
        harness = GatewayHarness.start(dir, TestPostgres.shared().newDatabase(), Map.of());
    }

    @AfterAll
    static void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    /** coap-client posts a SenML JSON pack with -u/-k: it is stored before the program exits, which it does without error. */
    @Test
    void coapClientPostsOverDtlsPsk() throws Exception {
        long before = harness.countReadings(SUPPLY);
        String pack = "[{\"bn\":\"tilleuls/boiler-1/\",\"bt\":" + Instant.now().getEpochSecond()
                + ",\"n\":\"supply_temp\",\"u\":\"Cel\",\"v\":72.5},{\"n\":\"return_temp\",\"u\":\"Cel\",\"v\":54}]";
        Result result = run(DEVICE, SECRET, pack, ANSWER_WAIT);
        assertThat(result.exitCode).as(result.output).isZero();
        assertThat(harness.countReadings(SUPPLY)).isEqualTo(before + 1);
    }

    /** coap-client is told 4.03 and the diagnostic when the pack is only of another site's points. */
    @Test
    void coapClientSeesTheDiagnosticOfARefusal() throws Exception {
        Result result = run(DEVICE, SECRET, "[{\"n\":\"" + OTHER_SITE_POINT + "\",\"u\":\"Cel\",\"v\":75}]", ANSWER_WAIT);
        assertThat(result.output).contains("4.03").contains("not-device-site");
    }

    /**
     * With a wrong key the handshake fails: nothing is stored. The gateway answers a wrong key with
     * silence, so coap-client waits out its -B; 5 s where a handshake the gateway accepted takes
     * milliseconds on loopback.
     */
    @Test
    void coapClientWithAWrongKeyStoresNothing() throws Exception {
        long before = harness.countReadings(SUPPLY);
        String pack = "[{\"n\":\"" + SUPPLY + "\",\"u\":\"Cel\",\"v\":70}]";
        Result result = run(DEVICE, "not-the-secret", pack, 5);
        assertThat(result.output).doesNotContain("2.04");
        assertThat(harness.countReadings(SUPPLY)).isEqualTo(before);
    }

    /** {@code waitSeconds}: coap-client's -B, how long it waits for an answer. */
    private Result run(String identity, String key, String payload, int waitSeconds) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(program, "-m", "post", "-u", identity, "-k", key, "-t", "110",
                "-B", Integer.toString(waitSeconds), "-v", "4", "-e", payload,
                "coaps://127.0.0.1:" + harness.gateway.coapDtlsPort() + "/telemetry"));
        Path out = Files.createTempFile(dir, "coap-client", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    private record Result(int exitCode, String output) {
    }

    private static String findProgram() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String name : PROGRAMS) {
            for (String folder : path.split(File.pathSeparator)) {
                Path candidate = Path.of(folder, name);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        return null;
    }
}
