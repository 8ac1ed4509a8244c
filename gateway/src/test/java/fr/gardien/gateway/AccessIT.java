package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.ADMIN_TOKEN;
import static fr.gardien.gateway.GatewayHarness.ENERGY_TOKEN;
import static fr.gardien.gateway.GatewayHarness.MANAGER_MARRONNIERS_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** Access control: the token API, roles, revocation, expiry, portfolio reloads, the ticketing role and the audit log. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AccessIT {

    static final ObjectMapper mapper = new ObjectMapper();

    @RegisterExtension
    static final GatewayHarness harness = GatewayHarness.perClass(Map.of());

    static JsonNode body(HttpResponse<String> response) throws Exception {
        return mapper.readTree(response.body());
    }

    static HttpResponse<String> create(String json) throws Exception {
        return harness.send("POST", "/api/v1/tokens", ADMIN_TOKEN, json);
    }

    static String createToken(String name, String role, String sites) throws Exception {
        HttpResponse<String> created = create("{\"name\":\"" + name + "\",\"role\":\"" + role + "\""
                + (sites == null ? "" : ",\"sites\":" + sites) + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return body(created).get("token").asText();
    }

    static List<String> siteIds(HttpResponse<String> response) throws Exception {
        List<String> ids = new ArrayList<>();
        body(response).get("sites").forEach(s -> ids.add(s.get("id").asText()));
        return ids;
    }

    /** An admin creates a token shown once, scoped to its sites; only its hash is stored and the list shows no secret. */
    @Test
    void anAdminCreatesAScopedTokenShownOnceAndStoredHashed() throws Exception {
        HttpResponse<String> created = create("{\"name\":\"dashboard-tilleuls\",\"role\":\"building-manager\","
                + "\"sites\":[\"tilleuls\"],\"expires\":\"2099-01-01T00:00:00Z\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(created.headers().firstValue("Location")).contains("/api/v1/tokens/dashboard-tilleuls");
        JsonNode token = body(created);
        String secret = token.get("token").asText();
        assertThat(secret).matches("gdn_[A-Za-z0-9_-]{43}");
        assertThat(token.get("source").asText()).isEqualTo("api");
        assertThat(token.get("createdBy").asText()).isEqualTo("admin");
        assertThat(token.get("expiresAt").asText()).isEqualTo("2099-01-01T00:00:00Z");

        assertThat(siteIds(harness.get("/api/v1/sites", secret))).containsExactly("tilleuls");
        assertThat(harness.get("/api/v1/alerts?site=marronniers", secret).statusCode()).isEqualTo(403);

        HttpResponse<String> list = harness.get("/api/v1/tokens", ADMIN_TOKEN);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(secret).doesNotContain("sha256$").doesNotContain("pbkdf2");
        assertThat(body(list).get("tokens")).anySatisfy(t -> {
            assertThat(t.get("name").asText()).isEqualTo("dashboard-tilleuls");
            assertThat(t.get("sites").get(0).asText()).isEqualTo("tilleuls");
        });
        try (Connection c = harness.connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT token_hash FROM api_tokens WHERE name = 'dashboard-tilleuls'")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1)).startsWith("sha256$").doesNotContain(secret.substring(4));
        }
    }

    /** Only an admin manages tokens; bad bodies, unknown sites and taken names are refused. */
    @Test
    void onlyAnAdminManagesTokensAndBadRequestsAreRefused() throws Exception {
        String json = "{\"name\":\"x1\",\"role\":\"admin\",\"sites\":[\"*\"]}";
        assertThat(harness.send("POST", "/api/v1/tokens", MANAGER_MARRONNIERS_TOKEN, json).statusCode()).isEqualTo(403);
        assertThat(harness.send("POST", "/api/v1/tokens", ENERGY_TOKEN, json).statusCode()).isEqualTo(403);
        assertThat(harness.get("/api/v1/tokens", MANAGER_MARRONNIERS_TOKEN).statusCode()).isEqualTo(403);
        assertThat(harness.send("DELETE", "/api/v1/tokens/admin", ENERGY_TOKEN, null).statusCode()).isEqualTo(403);
        assertThat(harness.send("POST", "/api/v1/tokens", null, json).statusCode()).isEqualTo(401);

        assertThat(create("{\"name\":\"Bad Name\",\"role\":\"admin\",\"sites\":[\"*\"]}").statusCode()).isEqualTo(400);
        assertThat(create("{\"name\":\"x2\",\"role\":\"owner\",\"sites\":[\"*\"]}").statusCode()).isEqualTo(400);
        assertThat(create("{\"name\":\"x3\",\"role\":\"building-manager\",\"sites\":[\"*\"]}").statusCode()).isEqualTo(400);
        assertThat(create("{\"name\":\"x4\",\"role\":\"energy-analyst\"}").statusCode()).isEqualTo(400);
        assertThat(create("{\"name\":\"x5\",\"role\":\"admin\",\"sites\":[\"*\"],\"token\":\"mine\"}").statusCode()).isEqualTo(400);
        assertThat(create("{\"name\":\"x6\",\"role\":\"admin\",\"sites\":[\"*\"],\"expires\":\"2001-01-01T00:00:00Z\"}")
                .statusCode()).isEqualTo(400);
        assertThat(create("{\"name\":\"x7\",\"role\":\"building-manager\",\"sites\":[\"acacias\"]}").statusCode()).isEqualTo(422);
        assertThat(create("{\"name\":\"admin\",\"role\":\"admin\",\"sites\":[\"*\"]}").statusCode()).as("a portfolio name")
                .isEqualTo(409);
        createToken("x8", "energy-analyst", "[\"*\"]");
        assertThat(create("{\"name\":\"x8\",\"role\":\"admin\",\"sites\":[\"*\"]}").statusCode()).isEqualTo(409);
    }

    /** A revoked token stops working at once, its open alert stream included; a portfolio token cannot be revoked here. */
    @Test
    void aRevokedTokenStopsAtOnceIncludingItsOpenStream() throws Exception {
        String secret = createToken("to-revoke", "energy-analyst", "[\"*\"]");
        assertThat(harness.get("/api/v1/sites", secret).statusCode()).isEqualTo(200);
        try (SseClient stream = SseClient.connect(HttpClient.newHttpClient(), harness.httpBase() + "/api/v1/alerts/stream",
                secret, null, null)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.nextComment(Duration.ofSeconds(5))).isNotNull();

            assertThat(harness.send("DELETE", "/api/v1/tokens/to-revoke", ADMIN_TOKEN, null).statusCode()).isEqualTo(204);

            assertThat(harness.get("/api/v1/sites", secret).statusCode()).isEqualTo(401);
            assertThat(stream.endsWithin(Duration.ofSeconds(5))).as("the stream is closed").isTrue();
        }
        assertThat(harness.send("DELETE", "/api/v1/tokens/to-revoke", ADMIN_TOKEN, null).statusCode()).isEqualTo(404);
        HttpResponse<String> portfolio = harness.send("DELETE", "/api/v1/tokens/energy", ADMIN_TOKEN, null);
        assertThat(portfolio.statusCode()).isEqualTo(409);
        assertThat(body(portfolio).get("type").asText()).isEqualTo("urn:gardien:problem:portfolio-token");
        assertThat(harness.get("/api/v1/sites", ENERGY_TOKEN).statusCode()).isEqualTo(200);
    }

    /** A token stops working when it expires. */
    @Test
    void aTokenStopsWorkingWhenItExpires() throws Exception {
        Instant expires = Instant.now().plusSeconds(5);
        HttpResponse<String> created = create("{\"name\":\"short-lived\",\"role\":\"energy-analyst\",\"sites\":[\"*\"],"
                + "\"expires\":\"" + expires + "\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        String secret = body(created).get("token").asText();
        assertThat(harness.get("/api/v1/sites", secret).statusCode()).isEqualTo(200);
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expires).toMillis()) + 200);
        assertThat(harness.get("/api/v1/sites", secret).statusCode()).isEqualTo(401);
    }

    /** Tokens created through the API survive a portfolio reload; the file cannot take their names. */
    @Test
    void apiTokensSurviveAPortfolioReload() throws Exception {
        String secret = createToken("survivor", "building-manager", "[\"marronniers\"]");
        Path portfolio = harness.dir.resolve("portfolio.yaml");
        String original = Files.readString(portfolio);
        try {
            Files.writeString(portfolio, original.replace("Résidence Les Tilleuls", "Les Tilleuls"));
            assertThat(harness.send("POST", "/api/v1/admin/portfolio/reload", ADMIN_TOKEN, null).statusCode()).isEqualTo(200);
            assertThat(siteIds(harness.get("/api/v1/sites", secret))).containsExactly("marronniers");

            Files.writeString(portfolio, original + "  - {name: survivor, token: \"file-token-0001\", role: admin, sites: [\"*\"]}\n");
            HttpResponse<String> refused = harness.send("POST", "/api/v1/admin/portfolio/reload", ADMIN_TOKEN, null);
            assertThat(refused.statusCode()).isEqualTo(422);
            assertThat(refused.body()).contains("survivor");
            assertThat(harness.get("/api/v1/sites", "file-token-0001").statusCode()).isEqualTo(401);
            assertThat(siteIds(harness.get("/api/v1/sites", secret))).containsExactly("marronniers");
        } finally {
            Files.writeString(portfolio, original);
            harness.send("POST", "/api/v1/admin/portfolio/reload", ADMIN_TOKEN, null);
        }
    }

    /** A ticketing token reads nothing; on the callback it passes the token check (the signature still decides), a person's token does not. */
    @Test
    void aTicketingTokenMayOnlyCallTheCallback() throws Exception {
        String secret = createToken("glpi", "ticketing", null);
        assertThat(harness.get("/api/v1/alerts", secret).statusCode()).isEqualTo(403);
        assertThat(harness.get("/api/v1/sites", secret).statusCode()).isEqualTo(403);
        assertThat(harness.get("/api/v1/rules", secret).statusCode()).isEqualTo(403);
        assertThat(harness.get("/api/v1/sites/tilleuls/alerts.atom", secret).statusCode()).isEqualTo(403);

        String body = "{\"alertId\":1,\"action\":\"acknowledge\",\"by\":\"glpi\"}";
        // This gateway has no callback secret: past the token check, the callback answers 404 (not configured).
        assertThat(harness.send("POST", "/api/v1/tickets/callback", secret, body).statusCode()).isEqualTo(404);
        assertThat(harness.send("POST", "/api/v1/tickets/callback", ADMIN_TOKEN, body).statusCode()).isEqualTo(403);
        assertThat(harness.send("POST", "/api/v1/tickets/callback", "not-a-token-at-all", body).statusCode()).isEqualTo(401);
    }

    /** Every authenticated request is audited with who, what, which site, when and the outcome; only admins read it. */
    @Test
    void dataAccessIsAuditedAndOnlyAdminsReadTheLog() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        String secret = createToken("auditee", "building-manager", "[\"marronniers\"]");
        assertThat(harness.get("/api/v1/alerts?site=tilleuls&limit=5", secret).statusCode()).isEqualTo(403);
        assertThat(harness.get("/api/v1/series?point=marronniers/substation/supply_temp", secret).statusCode()).isEqualTo(200);

        JsonNode entries = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            harness.gateway.audit().flush().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            HttpResponse<String> audit = harness.get("/api/v1/audit?actor=auditee&since=" + before, ADMIN_TOKEN);
            assertThat(audit.statusCode()).isEqualTo(200);
            entries = body(audit).get("entries");
            if (entries.size() >= 2) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(entries).hasSize(2);
        JsonNode series = entries.get(0);
        assertThat(series.get("route").asText()).isEqualTo("/api/v1/series");
        assertThat(series.get("sites").get(0).asText()).isEqualTo("marronniers");
        assertThat(series.get("status").asInt()).isEqualTo(200);
        JsonNode refused = entries.get(1);
        assertThat(refused.get("actor").asText()).isEqualTo("auditee");
        assertThat(refused.get("role").asText()).isEqualTo("building-manager");
        assertThat(refused.get("method").asText()).isEqualTo("GET");
        assertThat(refused.get("path").asText()).isEqualTo("/api/v1/alerts");
        assertThat(refused.get("sites").get(0).asText()).isEqualTo("tilleuls");
        assertThat(refused.get("parameters").get("limit").asText()).isEqualTo("5");
        assertThat(refused.get("status").asInt()).isEqualTo(403);
        assertThat(Instant.parse(refused.get("at").asText())).isAfter(before);
        assertThat(entries.toString()).doesNotContain(secret);

        assertThat(harness.get("/api/v1/audit", secret).statusCode()).isEqualTo(403);
        assertThat(harness.get("/api/v1/audit", ENERGY_TOKEN).statusCode()).isEqualTo(403);
        assertThat(harness.get("/api/v1/audit?limit=0", ADMIN_TOKEN).statusCode()).isEqualTo(400);
    }
}
