package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.DEVICE;
import static fr.gardien.gateway.GatewayHarness.OTHER_SITE_POINT;
import static fr.gardien.gateway.GatewayHarness.SECRET;
import static fr.gardien.gateway.GatewayHarness.SUPPLY;
import static fr.gardien.gateway.GatewayHarness.boilerPack;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** HTTP ingestion end to end: the contract's status codes, problem+json, and what is stored. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpIngestIT {

    private static final String JSON = "application/senml+json";
    private static final ObjectMapper mapper = new ObjectMapper();

    @RegisterExtension
    static final GatewayHarness harness = GatewayHarness.perClass(Map.of("ingest.max-payload-bytes", "4096"));

    /** A valid pack answers 204 and its readings are then in the database. */
    @Test
    void validPackAnswers204AfterCommit() throws Exception {
        long before = harness.countReadings(SUPPLY);
        HttpResponse<String> response = harness.post("/api/v1/telemetry", JSON, boilerPack(now(), 70.5, 52), DEVICE, SECRET);
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(harness.countReadings(SUPPLY)).isEqualTo(before + 1);
    }

    /** SenML CBOR with integer labels is accepted like JSON. */
    @Test
    void cborPackIsAccepted() throws Exception {
        byte[] cbor = GatewayHarness.cborSupplyPack(68.25);
        long before = harness.countReadings(SUPPLY);
        HttpResponse<String> response = harness.post("/api/v1/telemetry", "application/senml+cbor", cbor, DEVICE, SECRET);
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(harness.countReadings(SUPPLY)).isEqualTo(before + 1);
    }

    /** Missing or wrong credentials answer 401 with a problem document and WWW-Authenticate. */
    @Test
    void badCredentialsAnswer401() throws Exception {
        HttpResponse<String> none = harness.post("/api/v1/telemetry", JSON, boilerPack(now(), 70, 50), null, null);
        assertProblem(none, 401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertProblem(harness.post("/api/v1/telemetry", JSON, boilerPack(now(), 70, 50), DEVICE, "wrong-secret"), 401);
    }

    /** A pack only of another site's points answers 403 and stores nothing. */
    @Test
    void otherSitesPointsAnswer403() throws Exception {
        byte[] pack = ("[{\"n\":\"" + OTHER_SITE_POINT + "\",\"u\":\"Cel\",\"v\":75}]").getBytes(StandardCharsets.UTF_8);
        long before = harness.countReadings(OTHER_SITE_POINT);
        assertProblem(harness.post("/api/v1/telemetry", JSON, pack, DEVICE, SECRET), 403);
        assertThat(harness.countReadings(OTHER_SITE_POINT)).isEqualTo(before);
    }

    /** A body over ingest.max-payload-bytes answers 413. */
    @Test
    void oversizedBodyAnswers413() throws Exception {
        byte[] big = new byte[8192];
        java.util.Arrays.fill(big, (byte) ' ');
        big[0] = '[';
        big[big.length - 1] = ']';
        assertProblem(harness.post("/api/v1/telemetry", JSON, big, DEVICE, SECRET), 413);
        assertThat(harness.get("/metrics", null, "text/plain").body())
                .containsPattern("gardien_ingest_rejected_total\\{protocol=\"http\",reason=\"payload-too-large\"} [1-9]");
    }

    /** Another media type answers 415. */
    @Test
    void otherMediaTypeAnswers415() throws Exception {
        assertProblem(harness.post("/api/v1/telemetry", "text/plain", "hello".getBytes(StandardCharsets.UTF_8), DEVICE, SECRET), 415);
    }

    /** Unreadable SenML answers 400 and is quarantined with its reason. */
    @Test
    void unreadablePackAnswers400AndIsQuarantined() throws Exception {
        long before = harness.countQuarantined("malformed-payload");
        assertProblem(harness.post("/api/v1/telemetry", JSON, "[{\"n\":".getBytes(StandardCharsets.UTF_8), DEVICE, SECRET), 400);
        assertThat(harness.countQuarantined("malformed-payload")).isEqualTo(before + 1);
    }

    /**
     * A pack with some invalid records stores the valid ones, answers 200 listing the rejected,
     * and the quarantine API shows each with its reason.
     */
    @Test
    void partlyInvalidPackStoresValidRecordsAndQuarantinesTheRest() throws Exception {
        long future = now() + 86_400;
        String pack = "[{\"bn\":\"tilleuls/boiler-1/\",\"n\":\"supply_temp\",\"u\":\"Cel\",\"v\":71},"
                + "{\"n\":\"nope\",\"u\":\"Cel\",\"v\":1},"
                + "{\"n\":\"return_temp\",\"u\":\"K\",\"v\":330},"
                + "{\"n\":\"return_temp\",\"u\":\"Cel\"},"
                + "{\"n\":\"return_temp\",\"u\":\"Cel\",\"v\":50,\"t\":" + future + "}]";
        long before = harness.countReadings(SUPPLY);
        HttpResponse<String> response = harness.post("/api/v1/telemetry", JSON, pack.getBytes(StandardCharsets.UTF_8), DEVICE, SECRET);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = mapper.readTree(response.body());
        assertThat(body.get("accepted").asInt()).isEqualTo(1);
        assertThat(body.get("rejected")).extracting(n -> n.get("reason").asText())
                .containsExactlyInAnyOrder("unknown-point", "wrong-unit", "no-value", "future-timestamp");
        assertThat(harness.countReadings(SUPPLY)).isEqualTo(before + 1);

        HttpResponse<String> quarantine = harness.get("/api/v1/quarantine?limit=1000", GatewayHarness.ADMIN_TOKEN);
        assertThat(quarantine.statusCode()).isEqualTo(200);
        JsonNode records = mapper.readTree(quarantine.body()).get("records");
        assertThat(records).extracting(n -> n.get("reason").asText())
                .contains("unknown-point", "wrong-unit", "no-value", "future-timestamp");
        assertThat(records).anySatisfy(n -> {
            assertThat(n.get("reason").asText()).isEqualTo("unknown-point");
            assertThat(n.get("point").asText()).isEqualTo("tilleuls/boiler-1/nope");
            assertThat(n.get("device").asText()).isEqualTo(DEVICE);
            assertThat(n.get("protocol").asText()).isEqualTo("http");
        });
    }

    /** Rejections are counted per reason in the Prometheus metrics. */
    @Test
    void rejectionsAreCountedByReason() throws Exception {
        harness.post("/api/v1/telemetry", JSON, "[{\"n\":\"tilleuls/boiler-1/zzz\",\"v\":1}]".getBytes(StandardCharsets.UTF_8),
                DEVICE, SECRET);
        HttpResponse<String> metrics = harness.get("/metrics", null, "text/plain");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).containsPattern("gardien_ingest_rejected_total\\{[^}]*reason=\"unknown-point\"[^}]*} [1-9]");
        assertThat(metrics.body()).contains("jvm_memory_used_bytes");
    }

    private static void assertProblem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = mapper.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asText()).startsWith("urn:gardien:problem:");
        assertThat(problem.get("title").asText()).isNotBlank();
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }
}
