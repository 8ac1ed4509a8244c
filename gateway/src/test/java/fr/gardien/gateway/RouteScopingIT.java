package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.ADMIN_TOKEN;
import static fr.gardien.gateway.GatewayHarness.MANAGER_MARRONNIERS_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gardien.gateway.api.OpenApi;
import fr.gardien.rules.RuleSignal;
import fr.gardien.rules.Severity;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 5: "a building manager of site B receives 403 for anything of site A". Walks every route
 * of the router with the token of the manager of marronniers, each request aimed at tilleuls, and
 * fails for a route without a probe, so that a new route must say how it is scoped.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RouteScopingIT {

    static final ObjectMapper mapper = new ObjectMapper();
    static final String OTHER_SITE = "tilleuls";

    /** What a probe expects of the manager of marronniers. */
    enum Expect {
        /** 403, whatever the resource. */
        FORBIDDEN,
        /** 200, with nothing of tilleuls in the body: a list filtered to the token's sites. */
        FILTERED,
        /** Not an API-token route: device credentials (HTTP Basic id:secret) are required, 401. */
        DEVICE_ONLY,
        /** Not authenticated on purpose (probes, scrapers, this API's description); no site data in the body. */
        PUBLIC,
        /** Not authenticated on purpose: the API's description, a fixed document holding no data. */
        DOCUMENT
    }

    record Probe(String method, String pathAndQuery, String body, Expect expect) {
    }

    @RegisterExtension
    static final GatewayHarness harness = GatewayHarness.perClass(Map.of());
    static long tilleulsAlert;
    static long tilleulsSilence;
    static long tilleulsOutbox;

    @BeforeAll
    static void start() throws Exception {
        tilleulsAlert = raise("scoping", OTHER_SITE, "boiler-1");
        HttpResponse<String> silence = harness.send("POST", "/api/v1/silences", ADMIN_TOKEN, "{\"site\":\"tilleuls\","
                + "\"until\":\"" + Instant.now().plus(Duration.ofDays(1)) + "\",\"reason\":\"works\"}");
        assertThat(silence.statusCode()).isEqualTo(201);
        tilleulsSilence = mapper.readTree(silence.body()).get("id").asLong();
        JsonNode outbox = mapper.readTree(harness.get("/api/v1/outbox", ADMIN_TOKEN).body()).get("outbox");
        tilleulsOutbox = outbox.isEmpty() ? 1 : outbox.get(0).get("id").asLong();
    }

    static long raise(String rule, String site, String equipment) throws Exception {
        return harness.gateway.alerts().apply(AlertApiIT.signal(RuleSignal.Kind.RAISED, rule, site, equipment, Severity.MAJOR,
                Instant.now().minusSeconds(30))).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).alert().id();
    }

    /** One probe per route of the router, keyed as {@link RouteTable} writes routes. */
    static Map<String, Probe> probes() {
        Map<String, Probe> p = new LinkedHashMap<>();
        String silence = "{\"site\":\"tilleuls\",\"until\":\"" + Instant.now().plus(Duration.ofDays(1)) + "\",\"reason\":\"x\"}";
        put(p, "POST /api/v1/telemetry", "POST", "/api/v1/telemetry", "[]", Expect.DEVICE_ONLY);
        put(p, "GET /api/v1/sites", "GET", "/api/v1/sites", null, Expect.FILTERED);
        put(p, "GET /api/v1/series", "GET", "/api/v1/series?point=tilleuls/boiler-1/supply_temp", null, Expect.FORBIDDEN);
        put(p, "GET /api/v1/sites/{site}/latest", "GET", "/api/v1/sites/tilleuls/latest", null, Expect.FORBIDDEN);
        put(p, "GET /api/v1/energy/consumption", "GET", "/api/v1/energy/consumption?category=energy&bucket=1d"
                + "&from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z&site=tilleuls", null, Expect.FORBIDDEN);
        put(p, "GET /api/v1/energy/heating", "GET", "/api/v1/energy/heating?bucket=1d"
                + "&from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z&site=tilleuls", null, Expect.FORBIDDEN);
        put(p, "GET /api/v1/quarantine", "GET", "/api/v1/quarantine", null, Expect.FORBIDDEN);
        put(p, "POST /api/v1/admin/portfolio/reload", "POST", "/api/v1/admin/portfolio/reload", null, Expect.FORBIDDEN);
        put(p, "GET /api/v1/alerts", "GET", "/api/v1/alerts?site=tilleuls", null, Expect.FORBIDDEN);
        put(p, "GET /api/v1/rules", "GET", "/api/v1/rules", null, Expect.FILTERED);
        // Its filtering is checked with live events in managersStreamCarriesNothingOfAnotherSite.
        put(p, "GET /api/v1/alerts/stream", "GET", "/api/v1/alerts/stream?site=tilleuls", null, null);
        put(p, "GET /api/v1/alerts/{id}", "GET", "/api/v1/alerts/" + tilleulsAlert, null, Expect.FORBIDDEN);
        put(p, "POST /api/v1/alerts/{id}/ack", "POST", "/api/v1/alerts/" + tilleulsAlert + "/ack", null, Expect.FORBIDDEN);
        put(p, "POST /api/v1/alerts/{id}/resolve", "POST", "/api/v1/alerts/" + tilleulsAlert + "/resolve", "{\"note\":\"x\"}",
                Expect.FORBIDDEN);
        put(p, "GET /api/v1/silences", "GET", "/api/v1/silences", null, Expect.FILTERED);
        put(p, "POST /api/v1/silences", "POST", "/api/v1/silences", silence, Expect.FORBIDDEN);
        put(p, "DELETE /api/v1/silences/{id}", "DELETE", "/api/v1/silences/" + tilleulsSilence, null, Expect.FORBIDDEN);
        put(p, "POST /api/v1/tickets/callback", "POST", "/api/v1/tickets/callback",
                "{\"alertId\":" + tilleulsAlert + ",\"action\":\"close\",\"by\":\"x\"}", Expect.FORBIDDEN);
        put(p, "GET /api/v1/sites/{site}/alerts.atom", "GET", "/api/v1/sites/tilleuls/alerts.atom", null, Expect.FORBIDDEN);
        put(p, "GET /api/v1/deliveries", "GET", "/api/v1/deliveries?alert=" + tilleulsAlert, null, Expect.FORBIDDEN);
        put(p, "GET /api/v1/outbox", "GET", "/api/v1/outbox", null, Expect.FORBIDDEN);
        put(p, "POST /api/v1/outbox/{id}/retry", "POST", "/api/v1/outbox/" + tilleulsOutbox + "/retry", null, Expect.FORBIDDEN);
        put(p, "GET /api/v1/digests", "GET", "/api/v1/digests", null, Expect.FORBIDDEN);
        put(p, "GET /api/v1/digests/{id}", "GET", "/api/v1/digests/1", null, Expect.FORBIDDEN);
        put(p, "POST /api/v1/digests/{id}/retry", "POST", "/api/v1/digests/1/retry", null, Expect.FORBIDDEN);
        put(p, "POST /api/v1/tokens", "POST", "/api/v1/tokens",
                "{\"name\":\"sneaky\",\"role\":\"building-manager\",\"sites\":[\"tilleuls\"]}", Expect.FORBIDDEN);
        put(p, "GET /api/v1/tokens", "GET", "/api/v1/tokens", null, Expect.FORBIDDEN);
        put(p, "DELETE /api/v1/tokens/{name}", "DELETE", "/api/v1/tokens/admin", null, Expect.FORBIDDEN);
        put(p, "GET /api/v1/audit", "GET", "/api/v1/audit?actor=admin", null, Expect.FORBIDDEN);
        put(p, "GET /api/v1/governance/register", "GET", "/api/v1/governance/register", null, Expect.FORBIDDEN);
        put(p, "GET /api/v1/governance/counts", "GET", "/api/v1/governance/counts", null, Expect.FORBIDDEN);
        put(p, "GET /openapi.yaml", "GET", "/openapi.yaml", null, Expect.DOCUMENT);
        put(p, "GET /metrics", "GET", "/metrics", null, Expect.PUBLIC);
        put(p, "GET /", "GET", "/", null, Expect.PUBLIC);
        put(p, "HEAD /", "HEAD", "/", null, Expect.PUBLIC);
        put(p, "GET /ui/", "GET", "/ui/app.js", null, Expect.PUBLIC);
        put(p, "HEAD /ui/", "HEAD", "/ui/app.js", null, Expect.PUBLIC);
        put(p, "GET /health/live", "GET", "/health/live", null, Expect.PUBLIC);
        put(p, "GET /health/ready", "GET", "/health/ready", null, Expect.PUBLIC);
        return p;
    }

    static void put(Map<String, Probe> probes, String route, String method, String pathAndQuery, String body, Expect expect) {
        probes.put(route, new Probe(method, pathAndQuery, body, expect));
    }

    /** Every route has a probe, and the manager of marronniers gets nothing of tilleuls from any of them. */
    @Test
    void aManagerOfOneSiteGetsNothingOfAnotherFromAnyRoute() throws Exception {
        Map<String, Probe> probes = probes();
        Set<String> routes = RouteTable.of(harness);
        Set<String> unprobed = new TreeSet<>(routes);
        unprobed.removeAll(probes.keySet());
        assertThat(unprobed).as("routes without a scoping probe: add one to RouteScopingIT.probes()").isEmpty();
        assertThat(probes.keySet()).as("probes of routes that do not exist").isSubsetOf(routes);

        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Probe> e : probes.entrySet()) {
            Probe probe = e.getValue();
            if (probe.expect() == null) {
                continue;
            }
            String token = probe.expect() == Expect.PUBLIC || probe.expect() == Expect.DOCUMENT ? null : MANAGER_MARRONNIERS_TOKEN;
            HttpResponse<String> response = harness.send(probe.method(), probe.pathAndQuery(), token, probe.body());
            int status = response.statusCode();
            String body = response.body();
            boolean ok = switch (probe.expect()) {
                case FORBIDDEN -> status == 403;
                case FILTERED -> status == 200 && !body.contains(OTHER_SITE);
                case DEVICE_ONLY -> status == 401;
                case PUBLIC -> status == 200 && !body.contains(OTHER_SITE);
                case DOCUMENT -> status == 200 && body.equals(OpenApi.document());
            };
            if (!ok) {
                failures.add(e.getKey() + " -> " + status + " " + body.substring(0, Math.min(200, body.length())));
            }
        }
        assertThat(failures).isEmpty();

        // Nothing changed on the other site.
        JsonNode alert = mapper.readTree(harness.get("/api/v1/alerts/" + tilleulsAlert, ADMIN_TOKEN).body());
        assertThat(alert.get("state").asText()).isEqualTo("open");
        assertThat(harness.get("/api/v1/silences", ADMIN_TOKEN).body()).contains("\"id\":" + tilleulsSilence);
        assertThat(harness.get("/api/v1/tokens", ADMIN_TOKEN).body()).doesNotContain("sneaky");
    }

    /** The manager's alert stream carries its own site's transitions and none of the other site's. */
    @Test
    void managersStreamCarriesNothingOfAnotherSite() throws Exception {
        try (SseClient stream = SseClient.connect(HttpClient.newHttpClient(), harness.httpBase() + "/api/v1/alerts/stream",
                MANAGER_MARRONNIERS_TOKEN, null, null)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.nextComment(Duration.ofSeconds(5))).isNotNull();
            raise("stream-other", OTHER_SITE, "boiler-1");
            long own = raise("stream-own", "marronniers", "substation");
            SseClient.Event event = stream.nextEvent(Duration.ofSeconds(10));
            assertThat(event).isNotNull();
            JsonNode data = mapper.readTree(event.data().getBytes(StandardCharsets.UTF_8));
            assertThat(data.get("site").asText()).isEqualTo("marronniers");
            assertThat(data.get("id").asLong()).isEqualTo(own);
        }
    }
}
