package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.ADMIN_TOKEN;
import static fr.gardien.gateway.GatewayHarness.DEVICE;
import static fr.gardien.gateway.GatewayHarness.ENERGY_TOKEN;
import static fr.gardien.gateway.GatewayHarness.MANAGER_MARRONNIERS_TOKEN;
import static fr.gardien.gateway.GatewayHarness.SECRET;
import static fr.gardien.gateway.GatewayHarness.SUPPLY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** The read API: raw series, token scoping per site, admin-only quarantine, health. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadApiIT {

    private static final ObjectMapper mapper = new ObjectMapper();
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.HOURS);

    @RegisterExtension
    static final GatewayHarness harness = GatewayHarness.perClass(Map.of());

    @BeforeAll
    static void start() throws Exception {
        // Three readings a minute apart, sent out of order, plus a string value.
        String pack = "[{\"bn\":\"tilleuls/boiler-1/\",\"bt\":" + T0.getEpochSecond() + ",\"n\":\"supply_temp\",\"u\":\"Cel\",\"v\":72,\"t\":120},"
                + "{\"n\":\"supply_temp\",\"u\":\"Cel\",\"v\":70,\"t\":0},"
                + "{\"n\":\"supply_temp\",\"u\":\"Cel\",\"v\":71,\"t\":60},"
                + "{\"bn\":\"tilleuls/lift-a/\",\"n\":\"fault_code\",\"vs\":\"E42\",\"t\":0}]";
        HttpResponse<String> response = harness.post("/api/v1/telemetry", "application/senml+json",
                pack.getBytes(StandardCharsets.UTF_8), DEVICE, SECRET);
        assertThat(response.statusCode()).isEqualTo(204);
    }

    /** Raw values come back in time order within [from, to). */
    @Test
    void seriesReturnsRawValuesInTimeOrder() throws Exception {
        HttpResponse<String> response = harness.get(seriesQuery(SUPPLY, T0, T0.plusSeconds(120)), ENERGY_TOKEN);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = mapper.readTree(response.body());
        assertThat(body.get("point").asText()).isEqualTo(SUPPLY);
        assertThat(body.get("unit").asText()).isEqualTo("Cel");
        assertThat(body.get("values")).extracting(v -> v.get("v").asDouble()).containsExactly(70.0, 71.0);
        assertThat(body.get("values").get(0).get("t").asText()).isEqualTo(T0.toString());
    }

    /** String readings are served as vs, and as CSV with Accept: text/csv. */
    @Test
    void stringValuesAndCsv() throws Exception {
        HttpResponse<String> json = harness.get(seriesQuery("tilleuls/lift-a/fault_code", T0, T0.plusSeconds(1)), ADMIN_TOKEN);
        assertThat(mapper.readTree(json.body()).get("values").get(0).get("vs").asText()).isEqualTo("E42");
        HttpResponse<String> csv = harness.get(seriesQuery(SUPPLY, T0, T0.plusSeconds(180)), ADMIN_TOKEN, "text/csv");
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
        assertThat(csv.body()).isEqualTo("t,v\n" + T0 + ",70.0\n" + T0.plusSeconds(60) + ",71.0\n" + T0.plusSeconds(120) + ",72.0\n");
    }

    /** A building manager of another site gets 403 for this site's series and does not see it listed. */
    @Test
    void buildingManagerOfAnotherSiteIsForbidden() throws Exception {
        HttpResponse<String> series = harness.get(seriesQuery(SUPPLY, T0, T0.plusSeconds(180)), MANAGER_MARRONNIERS_TOKEN);
        assertThat(series.statusCode()).isEqualTo(403);
        HttpResponse<String> sites = harness.get("/api/v1/sites", MANAGER_MARRONNIERS_TOKEN);
        assertThat(mapper.readTree(sites.body()).get("sites")).extracting(s -> s.get("id").asText()).containsExactly("marronniers");
        HttpResponse<String> all = harness.get("/api/v1/sites", ENERGY_TOKEN);
        assertThat(mapper.readTree(all.body()).get("sites")).extracting(s -> s.get("id").asText())
                .containsExactly("tilleuls", "marronniers");
    }

    /** Without a token, or with an unknown one, the API answers 401. */
    @Test
    void apiNeedsAValidToken() throws Exception {
        assertThat(harness.get("/api/v1/sites", null).statusCode()).isEqualTo(401);
        assertThat(harness.get("/api/v1/sites", "not-a-token-at-all").statusCode()).isEqualTo(401);
        assertThat(harness.get(seriesQuery(SUPPLY, T0, T0.plusSeconds(1)), null).statusCode()).isEqualTo(401);
    }

    /** Only admins read the quarantine. */
    @Test
    void quarantineIsForAdminsOnly() throws Exception {
        assertThat(harness.get("/api/v1/quarantine", ENERGY_TOKEN).statusCode()).isEqualTo(403);
        assertThat(harness.get("/api/v1/quarantine", MANAGER_MARRONNIERS_TOKEN).statusCode()).isEqualTo(403);
        assertThat(harness.get("/api/v1/quarantine", ADMIN_TOKEN).statusCode()).isEqualTo(200);
    }

    /** Unknown points answer 404, bad parameters 400 naming the parameter; bucketed queries are served (SeriesApiIT). */
    @Test
    void badQueriesAreExplained() throws Exception {
        assertThat(harness.get(seriesQuery("tilleuls/boiler-1/none", T0, T0.plusSeconds(1)), ADMIN_TOKEN).statusCode()).isEqualTo(404);
        assertThat(harness.get("/api/v1/series?point=" + SUPPLY + "&from=yesterday", ADMIN_TOKEN).statusCode()).isEqualTo(400);
        HttpResponse<String> badBucket = harness.get(seriesQuery(SUPPLY, T0, T0.plusSeconds(1)) + "&bucket=2h&agg=avg", ADMIN_TOKEN);
        assertThat(badBucket.statusCode()).isEqualTo(400);
        assertThat(badBucket.body()).contains("bucket must be one of");
        assertThat(harness.get(seriesQuery(SUPPLY, T0, T0.plusSeconds(1)) + "&bucket=1h&agg=avg", ADMIN_TOKEN).statusCode())
                .isEqualTo(200);
    }

    /** Liveness and readiness answer 200 on a healthy gateway. */
    @Test
    void healthEndpointsAnswer() throws Exception {
        assertThat(harness.get("/health/live", null).statusCode()).isEqualTo(200);
        HttpResponse<String> ready = harness.get("/health/ready", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(mapper.readTree(ready.body()).get("checks").get("database").asText()).isEqualTo("UP");
    }

    private static String seriesQuery(String point, Instant from, Instant to) {
        return "/api/v1/series?point=" + point + "&from=" + from + "&to=" + to;
    }
}
