package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.ADMIN_TOKEN;
import static fr.gardien.gateway.GatewayHarness.ENERGY_TOKEN;
import static fr.gardien.gateway.GatewayHarness.MANAGER_MARRONNIERS_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gardien.rules.Explanation;
import fr.gardien.rules.RuleSignal;
import fr.gardien.rules.Severity;
import fr.gardien.rules.Urgency;
import fr.gardien.storage.alerts.AlertChange;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** The alert and silence API: fields, filters, per-site scoping, roles, conflicts, silences. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AlertApiIT {

    static final ObjectMapper mapper = new ObjectMapper();
    static final Instant T = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));

    @RegisterExtension
    static final GatewayHarness harness = GatewayHarness.perClass(Map.of());

    static RuleSignal signal(RuleSignal.Kind kind, String rule, String site, String equipment, Severity severity, Instant at) {
        return new RuleSignal(kind, rule, site, equipment, severity, "heat", Urgency.IMMEDIATE, at,
                new Explanation(at.minus(Duration.ofMinutes(45)), at, Map.of("min", 31.5, "threshold", 35.0),
                        "Départ sous 35 °C depuis 45 min", "Supply below 35 °C for 45 min"));
    }

    static AlertChange raise(String rule, String site, String equipment, Severity severity) throws Exception {
        return harness.gateway.alerts().apply(signal(RuleSignal.Kind.RAISED, rule, site, equipment, severity, T))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static JsonNode body(HttpResponse<String> response) throws Exception {
        return mapper.readTree(response.body());
    }

    static List<String> rules(HttpResponse<String> response) throws Exception {
        List<String> rules = new ArrayList<>();
        body(response).get("alerts").forEach(a -> rules.add(a.get("rule").asText()));
        return rules;
    }

    /** An alert is listed with the contract's fields, its summary in the caller's language (French by default). */
    @Test
    void listsAlertsWithTheirFieldsInTheCallersLanguage() throws Exception {
        long id = raise("fields", "tilleuls", "boiler-1", Severity.CRITICAL).alert().id();

        JsonNode alert = body(harness.get("/api/v1/alerts/" + id, ADMIN_TOKEN));
        assertThat(alert.get("id").asLong()).isEqualTo(id);
        assertThat(alert.get("site").asText()).isEqualTo("tilleuls");
        assertThat(alert.get("equipment").asText()).isEqualTo("boiler-1");
        assertThat(alert.get("rule").asText()).isEqualTo("fields");
        assertThat(alert.get("severity").asText()).isEqualTo("critical");
        assertThat(alert.get("category").asText()).isEqualTo("heat");
        assertThat(alert.get("urgency").asText()).isEqualTo("immediate");
        assertThat(alert.get("state").asText()).isEqualTo("open");
        assertThat(alert.get("summary").asText()).isEqualTo("Départ sous 35 °C depuis 45 min");
        assertThat(alert.get("summaryEn").asText()).isEqualTo("Supply below 35 °C for 45 min");
        assertThat(alert.get("explanation").get("from").asText()).isEqualTo(T.minus(Duration.ofMinutes(45)).toString());
        assertThat(alert.get("explanation").get("to").asText()).isEqualTo(T.toString());
        assertThat(alert.get("explanation").get("figures").get("min").asDouble()).isEqualTo(31.5);
        assertThat(alert.get("firstSeen").asText()).isEqualTo(T.toString());
        assertThat(alert.get("lastSeen").asText()).isEqualTo(T.toString());
        assertThat(alert.get("occurrences").asInt()).isEqualTo(1);
        assertThat(alert.get("ticket").isNull()).isTrue();
        assertThat(alert.get("acknowledgedBy").isNull()).isTrue();

        HttpResponse<String> english = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(harness.httpBase() + "/api/v1/alerts?site=tilleuls"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Accept-Language", "de-DE, en-GB;q=0.8, fr;q=0.5")
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(english.statusCode()).isEqualTo(200);
        assertThat(body(english).get("alerts")).anySatisfy(a -> {
            assertThat(a.get("id").asLong()).isEqualTo(id);
            assertThat(a.get("summary").asText()).isEqualTo("Supply below 35 °C for 45 min");
        });
    }

    /** Filters by state, site and severity; a building manager sees only its sites and gets 403 for another's. */
    @Test
    void filtersAndScopesToTheTokensSites() throws Exception {
        long tilleuls = raise("scope", "tilleuls", "boiler-1", Severity.MAJOR).alert().id();
        long marronniers = raise("scope", "marronniers", "substation", Severity.WARNING).alert().id();
        harness.gateway.alerts().acknowledge(marronniers, "test").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(rules(harness.get("/api/v1/alerts?site=marronniers", MANAGER_MARRONNIERS_TOKEN))).contains("scope");
        HttpResponse<String> mine = harness.get("/api/v1/alerts", MANAGER_MARRONNIERS_TOKEN);
        assertThat(body(mine).get("alerts")).isNotEmpty()
                .allSatisfy(a -> assertThat(a.get("site").asText()).isEqualTo("marronniers"));
        assertThat(harness.get("/api/v1/alerts?site=tilleuls", MANAGER_MARRONNIERS_TOKEN).statusCode()).isEqualTo(403);
        assertThat(harness.get("/api/v1/alerts/" + tilleuls, MANAGER_MARRONNIERS_TOKEN).statusCode()).isEqualTo(403);
        assertThat(harness.get("/api/v1/alerts/" + marronniers, MANAGER_MARRONNIERS_TOKEN).statusCode()).isEqualTo(200);

        JsonNode acknowledged = body(harness.get("/api/v1/alerts?state=acknowledged", ENERGY_TOKEN)).get("alerts");
        assertThat(acknowledged).extracting(a -> a.get("id").asLong()).contains(marronniers).doesNotContain(tilleuls);
        JsonNode major = body(harness.get("/api/v1/alerts?severity=major&state=open", ENERGY_TOKEN)).get("alerts");
        assertThat(major).extracting(a -> a.get("id").asLong()).contains(tilleuls).doesNotContain(marronniers);
        assertThat(major).allSatisfy(a -> assertThat(a.get("severity").asText()).isEqualTo("major"));
        assertThat(body(harness.get("/api/v1/alerts?since=" + Instant.now().plusSeconds(3600), ADMIN_TOKEN)).get("alerts"))
                .isEmpty();
        assertThat(body(harness.get("/api/v1/alerts?limit=1", ADMIN_TOKEN)).get("alerts")).hasSize(1);

        assertThat(harness.get("/api/v1/alerts?state=closed", ADMIN_TOKEN).statusCode()).isEqualTo(400);
        assertThat(harness.get("/api/v1/alerts?severity=huge", ADMIN_TOKEN).statusCode()).isEqualTo(400);
        assertThat(harness.get("/api/v1/alerts?since=yesterday", ADMIN_TOKEN).statusCode()).isEqualTo(400);
        assertThat(harness.get("/api/v1/alerts?limit=0", ADMIN_TOKEN).statusCode()).isEqualTo(400);
        assertThat(harness.get("/api/v1/alerts/999999", ADMIN_TOKEN).statusCode()).isEqualTo(404);
        assertThat(harness.get("/api/v1/alerts", null).statusCode()).isEqualTo(401);
    }

    /**
     * Ack and resolve are recorded with the token's name; energy analysts and managers of other
     * sites get 403, unknown alerts 404, acknowledging a resolved alert 409.
     */
    @Test
    void acknowledgeAndResolveByRoleWithConflicts() throws Exception {
        long tilleuls = raise("actions", "tilleuls", "boiler-1", Severity.MAJOR).alert().id();
        long marronniers = raise("actions", "marronniers", "substation", Severity.MAJOR).alert().id();

        assertThat(harness.send("POST", "/api/v1/alerts/" + marronniers + "/ack", ENERGY_TOKEN, null).statusCode()).isEqualTo(403);
        assertThat(harness.send("POST", "/api/v1/alerts/" + tilleuls + "/ack", MANAGER_MARRONNIERS_TOKEN, null).statusCode())
                .isEqualTo(403);
        assertThat(harness.send("POST", "/api/v1/alerts/" + tilleuls + "/resolve", MANAGER_MARRONNIERS_TOKEN, null).statusCode())
                .isEqualTo(403);
        assertThat(harness.send("POST", "/api/v1/alerts/999999/ack", ADMIN_TOKEN, null).statusCode()).isEqualTo(404);

        HttpResponse<String> ack = harness.send("POST", "/api/v1/alerts/" + marronniers + "/ack", MANAGER_MARRONNIERS_TOKEN, null);
        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(body(ack).get("state").asText()).isEqualTo("acknowledged");
        assertThat(body(ack).get("acknowledgedBy").asText()).isEqualTo("manager-marronniers");
        assertThat(Instant.parse(body(ack).get("acknowledgedAt").asText())).isCloseTo(Instant.now(), within(30));

        HttpResponse<String> resolve = harness.send("POST", "/api/v1/alerts/" + marronniers + "/resolve",
                MANAGER_MARRONNIERS_TOKEN, "{\"note\":\"pump restarted\"}");
        assertThat(resolve.statusCode()).isEqualTo(200);
        assertThat(body(resolve).get("state").asText()).isEqualTo("resolved");
        assertThat(body(resolve).get("resolvedBy").asText()).isEqualTo("manager-marronniers");
        assertThat(body(resolve).get("resolution").asText()).isEqualTo("manual");
        assertThat(body(resolve).get("resolutionNote").asText()).isEqualTo("pump restarted");

        HttpResponse<String> conflict = harness.send("POST", "/api/v1/alerts/" + marronniers + "/ack", ADMIN_TOKEN, null);
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(body(conflict).get("type").asText()).isEqualTo("urn:gardien:problem:conflict");
        assertThat(harness.send("POST", "/api/v1/alerts/" + marronniers + "/resolve", ADMIN_TOKEN, null).statusCode())
                .isEqualTo(200);
        assertThat(harness.send("POST", "/api/v1/alerts/" + tilleuls + "/resolve", ADMIN_TOKEN, "not json").statusCode())
                .isEqualTo(400);
        assertThat(harness.send("POST", "/api/v1/alerts/" + tilleuls + "/resolve", ADMIN_TOKEN, null).statusCode())
                .isEqualTo(200);

        assertThat(transitions(marronniers)).containsExactly("opened:gardien", "acknowledged:manager-marronniers",
                "resolved:manager-marronniers");
        assertThat(transitions(tilleuls)).containsExactly("opened:gardien", "resolved:admin");
    }

    /**
     * Silences: created by admins and managers of the site with who and until, listed per site,
     * deleted; a covered raise opens nothing.
     */
    @Test
    void silencesCrudAndSuppression() throws Exception {
        String until = Instant.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS).toString();
        String lift = "{\"site\":\"tilleuls\",\"equipment\":\"lift-a\",\"until\":\"" + until + "\",\"reason\":\"lift overhaul\"}";

        assertThat(harness.send("POST", "/api/v1/silences", ENERGY_TOKEN, lift).statusCode()).isEqualTo(403);
        assertThat(harness.send("POST", "/api/v1/silences", MANAGER_MARRONNIERS_TOKEN, lift).statusCode()).isEqualTo(403);
        assertThat(harness.send("POST", "/api/v1/silences", ADMIN_TOKEN, "{\"site\":\"tilleuls\",\"reason\":\"x\"}")
                .statusCode()).isEqualTo(400);
        assertThat(harness.send("POST", "/api/v1/silences", ADMIN_TOKEN,
                "{\"site\":\"nowhere\",\"until\":\"" + until + "\",\"reason\":\"x\"}").statusCode()).isEqualTo(422);

        HttpResponse<String> created = harness.send("POST", "/api/v1/silences", ADMIN_TOKEN, lift);
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode silence = body(created);
        long id = silence.get("id").asLong();
        assertThat(created.headers().firstValue("Location")).contains("/api/v1/silences/" + id);
        assertThat(silence.get("createdBy").asText()).isEqualTo("admin");
        assertThat(silence.get("until").asText()).isEqualTo(until);
        assertThat(silence.get("rule").isNull()).isTrue();
        assertThat(Instant.parse(silence.get("from").asText())).isCloseTo(Instant.now(), within(30));

        HttpResponse<String> marronniersSilence = harness.send("POST", "/api/v1/silences", MANAGER_MARRONNIERS_TOKEN,
                "{\"site\":\"marronniers\",\"rule\":\"r\",\"until\":\"" + until + "\",\"reason\":\"survey\"}");
        assertThat(marronniersSilence.statusCode()).isEqualTo(201);

        assertThat(body(harness.get("/api/v1/silences", ADMIN_TOKEN)).get("silences"))
                .extracting(s -> s.get("id").asLong()).contains(id, body(marronniersSilence).get("id").asLong());
        assertThat(body(harness.get("/api/v1/silences", MANAGER_MARRONNIERS_TOKEN)).get("silences"))
                .isNotEmpty().allSatisfy(s -> assertThat(s.get("site").asText()).isEqualTo("marronniers"));

        AlertChange suppressed = harness.gateway.alerts().apply(signal(RuleSignal.Kind.RAISED, "lift-stuck", "tilleuls", "lift-a",
                Severity.CRITICAL, Instant.now())).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(suppressed.kind()).isEqualTo(AlertChange.Kind.SUPPRESSED);
        assertThat(rules(harness.get("/api/v1/alerts?site=tilleuls", ADMIN_TOKEN))).doesNotContain("lift-stuck");

        assertThat(harness.send("DELETE", "/api/v1/silences/" + id, MANAGER_MARRONNIERS_TOKEN, null).statusCode()).isEqualTo(403);
        assertThat(harness.send("DELETE", "/api/v1/silences/" + id, ENERGY_TOKEN, null).statusCode()).isEqualTo(403);
        assertThat(harness.send("DELETE", "/api/v1/silences/" + id, ADMIN_TOKEN, null).statusCode()).isEqualTo(204);
        assertThat(harness.send("DELETE", "/api/v1/silences/" + id, ADMIN_TOKEN, null).statusCode()).isEqualTo(404);
        assertThat(body(harness.get("/api/v1/silences", ADMIN_TOKEN)).get("silences"))
                .extracting(s -> s.get("id").asLong()).doesNotContain(id);

        AlertChange opened = harness.gateway.alerts().apply(signal(RuleSignal.Kind.RAISED, "lift-stuck", "tilleuls", "lift-a",
                Severity.CRITICAL, Instant.now())).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(opened.kind()).isEqualTo(AlertChange.Kind.OPENED);
    }

    /** Each committed transition is counted by kind at /metrics. */
    @Test
    void transitionsAreCountedByKind() throws Exception {
        raise("metrics", "tilleuls", "boiler-1", Severity.INFO);
        String metrics = harness.get("/metrics", null, "text/plain").body();
        assertThat(metrics).containsPattern("gardien_alerts_transitions_total\\{kind=\"opened\"[^}]*} [1-9]");
    }

    private static org.assertj.core.data.TemporalUnitOffset within(long seconds) {
        return new org.assertj.core.data.TemporalUnitWithinOffset(seconds, ChronoUnit.SECONDS);
    }

    private static List<String> transitions(long alertId) throws Exception {
        List<String> kinds = new ArrayList<>();
        try (Connection c = harness.connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT kind, by FROM alert_transitions WHERE alert_id = " + alertId + " ORDER BY id")) {
            while (r.next()) {
                kinds.add(r.getString(1) + ":" + r.getString(2));
            }
        }
        return kinds;
    }
}
