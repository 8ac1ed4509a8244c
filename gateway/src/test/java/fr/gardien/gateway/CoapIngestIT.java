package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.DEVICE;
import static fr.gardien.gateway.GatewayHarness.OTHER_SITE_POINT;
import static fr.gardien.gateway.GatewayHarness.RETURN;
import static fr.gardien.gateway.GatewayHarness.SECRET;
import static fr.gardien.gateway.GatewayHarness.SUPPLY;
import static fr.gardien.gateway.GatewayHarness.boilerPack;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gardien.gateway.registry.SecretHasher;
import fr.gardien.storage.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** CoAP ingestion end to end with a Californium client: DTLS-PSK, the contract's codes, what is stored. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CoapIngestIT {

    static final String PLAIN_DEVICE = "meter-plain";
    static final String PLAIN_SECRET = "plain-secret-1";
    static final String HASHED_DEVICE = "gw-hashed";
    static final String HASHED_SECRET = "hashed-secret-1";
    static final String ROTATING_DEVICE = "gw-rotating";

    private static final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    static Path dir;
    static GatewayHarness harness;

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(dir.resolve("portfolio.yaml"), portfolio("rotating-secret-1"));
        harness = GatewayHarness.start(dir, TestPostgres.shared().newDatabase(),
                Map.of("ingest.max-payload-bytes", "300", "coap.plain-enabled", "true"));
    }

    @AfterAll
    static void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    /** The harness portfolio plus a plain-CoAP device, a device known only by its hash, and one whose secret the tests change. */
    static String portfolio(String rotatingSecret) {
        String hash = SecretHasher.DEFAULT.hash(HASHED_SECRET);
        return GatewayHarness.PORTFOLIO.replace("api-tokens:", String.join("\n",
                "  - {id: " + PLAIN_DEVICE + ", site: tilleuls, secret: \"" + PLAIN_SECRET + "\", coap-plain: true}",
                "  - {id: " + HASHED_DEVICE + ", site: tilleuls, secret-hash: \"" + hash + "\"}",
                "  - {id: " + ROTATING_DEVICE + ", site: tilleuls, secret: \"" + rotatingSecret + "\"}",
                "api-tokens:"));
    }

    /** A confirmable POST is answered 2.04 only once its readings are committed: they are in the database when it arrives. */
    @Test
    void confirmablePackIsAnswered204OnlyAfterCommit() throws Exception {
        long supply = harness.countReadings(SUPPLY);
        long ret = harness.countReadings(RETURN);
        try (CoapTestClient client = CoapTestClient.dtls(harness.gateway.coapDtlsPort(), DEVICE, SECRET)) {
            CoapResponse response = client.post(boilerPack(now(), 71.5, 55), MediaTypeRegistry.APPLICATION_SENML_JSON);
            assertThat(response).isNotNull();
            assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
            assertThat(response.getPayloadSize()).isZero();
            assertThat(harness.countReadings(SUPPLY)).isEqualTo(supply + 1);
            assertThat(harness.countReadings(RETURN)).isEqualTo(ret + 1);
        }
    }

    /** SenML CBOR (content-format 112, integer labels) is stored like JSON. */
    @Test
    void cborPackIsAccepted() throws Exception {
        byte[] cbor = GatewayHarness.cborSupplyPack(66.75);
        long before = harness.countReadings(SUPPLY);
        try (CoapTestClient client = CoapTestClient.dtls(harness.gateway.coapDtlsPort(), DEVICE, SECRET)) {
            CoapResponse response = client.post(cbor, MediaTypeRegistry.APPLICATION_SENML_CBOR);
            assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        }
        assertThat(harness.countReadings(SUPPLY)).isEqualTo(before + 1);
    }

    /** A non-confirmable POST is answered too once committed (best effort only under overload). */
    @Test
    void nonConfirmablePackIsStored() throws Exception {
        long before = harness.countReadings(SUPPLY);
        try (CoapTestClient client = CoapTestClient.dtls(harness.gateway.coapDtlsPort(), DEVICE, SECRET).nonConfirmable()) {
            CoapResponse response = client.post(boilerPack(now(), 70, 54), MediaTypeRegistry.APPLICATION_SENML_JSON);
            assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        }
        assertThat(harness.countReadings(SUPPLY)).isEqualTo(before + 1);
    }

    /** A wrong key or an unknown identity fails the DTLS handshake: no CoAP answer at all, nothing stored. */
    @Test
    void badIdentityOrKeyFailsTheHandshake() throws Exception {
        long before = harness.countReadings(SUPPLY);
        try (CoapTestClient wrongKey = CoapTestClient.dtlsRefused(harness.gateway.coapDtlsPort(), DEVICE, "not-the-secret");
                CoapTestClient unknown = CoapTestClient.dtlsRefused(harness.gateway.coapDtlsPort(), "gw-nobody", SECRET)) {
            assertThat(wrongKey.post(boilerPack(now(), 70, 50), MediaTypeRegistry.APPLICATION_SENML_JSON)).isNull();
            assertThat(unknown.post(boilerPack(now(), 70, 50), MediaTypeRegistry.APPLICATION_SENML_JSON)).isNull();
        }
        assertThat(harness.countReadings(SUPPLY)).isEqualTo(before);
    }

    /** A device whose portfolio entry gives only secret-hash has no key in clear: DTLS-PSK cannot work for it. */
    @Test
    void deviceKnownOnlyByItsHashCannotHandshake() {
        try (CoapTestClient client = CoapTestClient.dtlsRefused(harness.gateway.coapDtlsPort(), HASHED_DEVICE, HASHED_SECRET)) {
            assertThat(client.post(boilerPack(now(), 70, 50), MediaTypeRegistry.APPLICATION_SENML_JSON)).isNull();
        }
    }

    /** Points of another site only: 4.03 with a diagnostic, nothing stored for that point. */
    @Test
    void otherSitesPointsAnswer403() throws Exception {
        byte[] pack = ("[{\"n\":\"" + OTHER_SITE_POINT + "\",\"u\":\"Cel\",\"v\":75}]").getBytes(StandardCharsets.UTF_8);
        long before = harness.countReadings(OTHER_SITE_POINT);
        try (CoapTestClient client = CoapTestClient.dtls(harness.gateway.coapDtlsPort(), DEVICE, SECRET)) {
            CoapResponse response = client.post(pack, MediaTypeRegistry.APPLICATION_SENML_JSON);
            assertThat(response.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
            assertThat(response.getResponseText()).contains("not-device-site");
        }
        assertThat(harness.countReadings(OTHER_SITE_POINT)).isEqualTo(before);
    }

    /** An unreadable pack: 4.00 with a diagnostic naming the reason, and a quarantine entry. */
    @Test
    void unreadablePackAnswers400WithDiagnostic() throws Exception {
        long before = harness.countQuarantined("malformed-payload");
        try (CoapTestClient client = CoapTestClient.dtls(harness.gateway.coapDtlsPort(), DEVICE, SECRET)) {
            CoapResponse response = client.post("{not senml".getBytes(StandardCharsets.UTF_8),
                    MediaTypeRegistry.APPLICATION_SENML_JSON);
            assertThat(response.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
            assertThat(response.getResponseText()).startsWith("malformed-payload");
        }
        assertThat(harness.countQuarantined("malformed-payload")).isEqualTo(before + 1);
    }

    /** Some records valid, some not: 2.04, the valid ones stored, a JSON summary of what was rejected. */
    @Test
    void partlyValidPackAnswers204WithASummary() throws Exception {
        byte[] pack = ("[{\"bn\":\"tilleuls/boiler-1/\",\"n\":\"supply_temp\",\"u\":\"Cel\",\"v\":69},"
                + "{\"n\":\"no_such_point\",\"u\":\"Cel\",\"v\":1}]").getBytes(StandardCharsets.UTF_8);
        long before = harness.countReadings(SUPPLY);
        try (CoapTestClient client = CoapTestClient.dtls(harness.gateway.coapDtlsPort(), DEVICE, SECRET)) {
            CoapResponse response = client.post(pack, MediaTypeRegistry.APPLICATION_SENML_JSON);
            assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
            assertThat(response.getOptions().getContentFormat()).isEqualTo(MediaTypeRegistry.APPLICATION_JSON);
            JsonNode summary = mapper.readTree(response.getPayload());
            assertThat(summary.get("accepted").asInt()).isEqualTo(1);
            assertThat(summary.get("rejected").asInt()).isEqualTo(1);
            assertThat(summary.get("problem").asText()).startsWith("unknown-point");
        }
        assertThat(harness.countReadings(SUPPLY)).isEqualTo(before + 1);
    }

    /** Another content-format than SenML: 4.15 with a diagnostic listing the accepted ones. */
    @Test
    void unsupportedContentFormatAnswers415() throws Exception {
        try (CoapTestClient client = CoapTestClient.dtls(harness.gateway.coapDtlsPort(), DEVICE, SECRET)) {
            CoapResponse response = client.post(boilerPack(now(), 70, 50), MediaTypeRegistry.TEXT_PLAIN);
            assertThat(response.getCode()).isEqualTo(ResponseCode.UNSUPPORTED_CONTENT_FORMAT);
            assertThat(response.getResponseText()).contains("110").contains("112");
        }
    }

    /** A pack over ingest.max-payload-bytes in one datagram: 4.13 with Size1 telling the limit, counted and quarantined. */
    @Test
    void oversizedPackAnswers413WithSize1() throws Exception {
        long before = harness.countQuarantined("payload-too-large");
        try (CoapTestClient client = CoapTestClient.dtls(harness.gateway.coapDtlsPort(), DEVICE, SECRET)) {
            CoapResponse response = client.post(blankPack(450), MediaTypeRegistry.APPLICATION_SENML_JSON);
            assertThat(response.getCode()).isEqualTo(ResponseCode.REQUEST_ENTITY_TOO_LARGE);
            assertThat(response.getOptions().getSize1()).isEqualTo(300);
            assertThat(response.getResponseText()).startsWith("payload-too-large");
        }
        assertThat(harness.countQuarantined("payload-too-large")).isEqualTo(before + 1);
        assertThat(harness.get("/metrics", null, "text/plain").body())
                .contains("gardien_ingest_rejected_total{protocol=\"coap\",reason=\"payload-too-large\"}");
    }

    /** A pack too large for one datagram goes block-wise (RFC 7959); announcing more than the limit, it is refused at its first block. */
    @Test
    void oversizedBlockwiseUploadIsRefusedAtItsFirstBlock() {
        try (CoapTestClient client = CoapTestClient.dtls(harness.gateway.coapDtlsPort(), DEVICE, SECRET)) {
            CoapResponse response = client.post(blankPack(1500), MediaTypeRegistry.APPLICATION_SENML_JSON);
            assertThat(response.getCode()).isEqualTo(ResponseCode.REQUEST_ENTITY_TOO_LARGE);
            assertThat(response.getOptions().getSize1()).isEqualTo(300);
        }
    }

    private static byte[] blankPack(int bytes) {
        byte[] pack = new byte[bytes];
        Arrays.fill(pack, (byte) ' ');
        pack[0] = '[';
        pack[bytes - 1] = ']';
        return pack;
    }

    /**
     * Plain CoAP (enabled here) takes only devices marked coap-plain, identified by ?d=&s=:
     * others, a wrong secret or no identity get 4.01 and store nothing.
     */
    @Test
    void plainCoapIsRefusedUnlessTheDeviceIsAllowed() throws Exception {
        int port = harness.gateway.coapPort();
        assertThat(port).isPositive();
        long before = harness.countReadings(SUPPLY);
        for (String query : new String[] {"d=" + DEVICE + "&s=" + SECRET, "d=" + PLAIN_DEVICE + "&s=wrong-secret-0", ""}) {
            try (CoapTestClient client = CoapTestClient.plain(port, query)) {
                CoapResponse response = client.post(boilerPack(now(), 70, 50), MediaTypeRegistry.APPLICATION_SENML_JSON);
                assertThat(response.getCode()).as(query).isEqualTo(ResponseCode.UNAUTHORIZED);
                assertThat(response.getResponseText()).isNotEmpty();
            }
        }
        assertThat(harness.countReadings(SUPPLY)).isEqualTo(before);
        try (CoapTestClient client = CoapTestClient.plain(port, "d=" + PLAIN_DEVICE + "&s=" + PLAIN_SECRET)) {
            CoapResponse response = client.post(boilerPack(now(), 70, 50), MediaTypeRegistry.APPLICATION_SENML_JSON);
            assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        }
        assertThat(harness.countReadings(SUPPLY)).isEqualTo(before + 1);
    }

    /**
     * A DTLS session opened before the device's secret changed is refused with 4.01 and closed;
     * a new handshake with the new secret works and the old secret no longer does.
     */
    @Test
    void sessionOpenedWithAnOldSecretIsRefusedAfterAChange() throws Exception {
        try (CoapTestClient old = CoapTestClient.dtls(harness.gateway.coapDtlsPort(), ROTATING_DEVICE, "rotating-secret-1")) {
            assertThat(old.post(boilerPack(now(), 70, 50), MediaTypeRegistry.APPLICATION_SENML_JSON).getCode())
                    .isEqualTo(ResponseCode.CHANGED);
            Files.writeString(dir.resolve("portfolio.yaml"), portfolio("rotating-secret-2"));
            harness.gateway.registry().reload();
            long before = harness.countReadings(SUPPLY);
            CoapResponse stale = old.post(boilerPack(now(), 70, 50), MediaTypeRegistry.APPLICATION_SENML_JSON);
            assertThat(stale.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
            assertThat(harness.countReadings(SUPPLY)).isEqualTo(before);
        } finally {
            try (CoapTestClient renewed = CoapTestClient.dtls(harness.gateway.coapDtlsPort(), ROTATING_DEVICE, "rotating-secret-2");
                    CoapTestClient outdated = CoapTestClient.dtlsRefused(harness.gateway.coapDtlsPort(), ROTATING_DEVICE, "rotating-secret-1")) {
                assertThat(renewed.post(boilerPack(now(), 70, 50), MediaTypeRegistry.APPLICATION_SENML_JSON).getCode())
                        .isEqualTo(ResponseCode.CHANGED);
                assertThat(outdated.post(boilerPack(now(), 70, 50), MediaTypeRegistry.APPLICATION_SENML_JSON)).isNull();
            }
        }
    }

    /** CoAP has its own counters and session gauge, tagged protocol=coap. */
    @Test
    void coapTrafficIsCountedUnderItsOwnProtocolTag() throws Exception {
        try (CoapTestClient client = CoapTestClient.dtls(harness.gateway.coapDtlsPort(), DEVICE, SECRET)) {
            assertThat(client.post(boilerPack(now(), 70, 50), MediaTypeRegistry.APPLICATION_SENML_JSON).getCode())
                    .isEqualTo(ResponseCode.CHANGED);
            String metrics = harness.get("/metrics", null, "text/plain").body();
            assertThat(metrics).containsPattern("gardien_ingest_messages_total\\{outcome=\"committed\",protocol=\"coap\"} [1-9]")
                    .containsPattern("gardien_connections\\{protocol=\"coap\"} [1-9]");
        }
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }
}
