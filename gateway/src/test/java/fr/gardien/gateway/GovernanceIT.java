package fr.gardien.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static fr.gardien.gateway.PortfolioYaml.DEVICE_TILLEULS;
import static fr.gardien.gateway.PortfolioYaml.TOKEN_ADMIN;
import static fr.gardien.gateway.PortfolioYaml.TOKEN_MANAGER_TILLEULS;
import static fr.gardien.gateway.PortfolioYaml.equipment;
import static fr.gardien.gateway.PortfolioYaml.point;
import static fr.gardien.gateway.PortfolioYaml.portfolio;
import static fr.gardien.gateway.PortfolioYaml.tilleuls;
import static fr.gardien.gateway.PortfolioYaml.token;

import fr.gardien.storage.testing.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: purposes declared before collection, the processing register, and the DPO's role
 * that reads the register and the access audit, never a reading, a series or an alert.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GovernanceIT {

    static final String PORTFOLIO = portfolio(
            tilleuls(equipment("boiler-1", "boiler", point("supply_temp", "Cel", "heat")),
                    equipment("hall", "people-counter", point("count", "count", "occupancy"))),
            DEVICE_TILLEULS, TOKEN_ADMIN + TOKEN_MANAGER_TILLEULS + token("dpo", "dpo-token-00001", "dpo", "[\"*\"]"));
    static final String GOVERNANCE = """
            governance:
              controller: "OPH de Test"
              dpo-contact: "dpo@oph.example"
              categories:
                heat: {purpose: "Keep heating on", legal-basis: legal-obligation, retention: 400d, rollup-retention: 10y}
            """;
    static final String OCCUPANCY = """
                occupancy: {purpose: "Adapt cleaning", legal-basis: legitimate-interest, retention: 90d, rollup-retention: 2y}
            """;
    static final String TICKETING = """
            ticketing:
              connectors:
                - {name: heating-contractor, type: webhook, url: "https://tickets.example/hook", secret: "a-webhook-secret-of-32-characters!"}
              default: heating-contractor
            """;

    @TempDir
    Path dir;

    /** A point whose category has no declared purpose stops start-up, naming the point and the category. */
    @Test
    void anUndeclaredCategoryStopsStartUp() throws Exception {
        Files.writeString(dir.resolve("portfolio.yaml"), PORTFOLIO);
        Throwable e = catchThrowable(() -> GatewayHarness.start(dir, TestPostgres.shared().newDatabase(), Map.of(), GOVERNANCE)
                .close());
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("point tilleuls/hall/count has category occupancy, which governance.categories"
                + " does not declare");
    }

    /**
     * With every category declared: the register in JSON and in HTML for the DPO and the admin;
     * the DPO reads the access audit but no series, latest values, sites or alerts; a reload
     * adding an undeclared category is refused and the registry in force stays.
     */
    @Test
    void theRegisterAndTheDposRole() throws Exception {
        Files.writeString(dir.resolve("portfolio.yaml"), PORTFOLIO);
        try (GatewayHarness harness = GatewayHarness.start(dir, TestPostgres.shared().newDatabase(), Map.of(),
                GOVERNANCE + OCCUPANCY + TICKETING)) {
            HttpResponse<String> json = harness.get("/api/v1/governance/register", "dpo-token-00001");
            assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
            JsonObject register = new JsonObject(json.body());
            assertThat(register.getString("controller")).isEqualTo("OPH de Test");
            assertThat(register.getBoolean("declaredByController")).isTrue();
            assertThat(register.getJsonArray("processing").stream().map(p -> ((JsonObject) p).getString("category") + "="
                    + ((JsonObject) p).getString("retention") + "/" + ((JsonObject) p).getString("rollupRetention")
                    + "/" + ((JsonObject) p).getLong("points")))
                    .containsExactly("heat=400d/3650d/1", "occupancy=90d/730d/1");
            JsonObject recipient = register.getJsonArray("recipients").getJsonObject(0);
            assertThat(recipient.getString("connector")).isEqualTo("heating-contractor");
            assertThat(recipient.getString("host")).isEqualTo("tickets.example");
            assertThat(recipient.getBoolean("inClear")).isFalse();
            assertThat(json.body()).doesNotContain("a-webhook-secret");
            HttpResponse<String> html = harness.get("/api/v1/governance/register", "admin-token-0001", "text/html");
            assertThat(html.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            assertThat(html.body()).contains("Finalité / Purpose", "Adapt cleaning", "OPH de Test");

            assertThat(harness.get("/api/v1/governance/register", "manager-token-0002").statusCode()).isEqualTo(403);
            assertThat(harness.get("/api/v1/audit", "dpo-token-00001").statusCode()).isEqualTo(200);
            for (String path : List.of("/api/v1/sites", "/api/v1/sites/tilleuls/latest", "/api/v1/alerts", "/api/v1/rules",
                    "/api/v1/series?point=tilleuls/boiler-1/supply_temp&bucket=1h", "/api/v1/quarantine")) {
                assertThat(harness.get(path, "dpo-token-00001").statusCode()).as(path).isEqualTo(403);
            }

            String line = "          - {name: count, unit: count, category: occupancy}\n";
            assertThat(PORTFOLIO).contains(line);
            Files.writeString(dir.resolve("portfolio.yaml"), PORTFOLIO.replace(line,
                    line + "          - {name: humidity, unit: \"%RH\", category: climate}\n"));
            HttpResponse<String> reload = harness.send("POST", "/api/v1/admin/portfolio/reload", "admin-token-0001", null);
            assertThat(reload.statusCode()).isEqualTo(422);
            assertThat(reload.body()).contains("point tilleuls/hall/humidity has category climate");
            assertThat(harness.gateway.registry().current().point("tilleuls/hall/humidity")).isNull();
        }
    }

    /**
     * The DPO's counts per category: points, raw readings, rollups and quarantined records with
     * their oldest dates, quarantine of no known point apart, alerts per category and state;
     * never a value or a figure. Other roles below admin get 403.
     */
    @Test
    void theDpoCountsWhatEachCategoryHoldsWithoutAnyValue() throws Exception {
        Files.writeString(dir.resolve("portfolio.yaml"), PORTFOLIO);
        try (GatewayHarness harness = GatewayHarness.start(dir, TestPostgres.shared().newDatabase(), Map.of(),
                GOVERNANCE + OCCUPANCY)) {
            long now = java.time.Instant.now().getEpochSecond();
            // supply_temp stored; return_temp is no point of this portfolio (quarantined, of no known point).
            assertThat(postTelemetry(harness, new String(GatewayHarness.boilerPack(now, 71.25, 55.5),
                    java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(200);
            // A people count in the wrong unit: quarantined, attributed to occupancy.
            assertThat(postTelemetry(harness, "[{\"n\":\"tilleuls/hall/count\",\"u\":\"Cel\",\"v\":3,\"t\":" + now + "}]"))
                    .isEqualTo(400);
            try (java.sql.Connection c = harness.connect(); java.sql.Statement s = c.createStatement()) {
                s.execute("INSERT INTO alerts (rule_id, site, equipment, severity, category, urgency, state, summary_fr,"
                        + " summary_en, explanation, first_seen, last_seen) VALUES ('r', 'tilleuls', 'boiler-1', 'major',"
                        + " 'heating', 'immediate', 'open', 'fr', 'en', '{\"figures\": {\"value\": 93.5}}',"
                        + " '2026-01-02T03:04:05Z', now())");
            }

            HttpResponse<String> answer = harness.get("/api/v1/governance/counts", "dpo-token-00001");
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonObject counts = new JsonObject(answer.body());
            JsonObject heat = category(counts, "heat");
            assertThat(heat.getBoolean("declared")).isTrue();
            assertThat(heat.getLong("points")).isEqualTo(1);
            assertThat(heat.getJsonObject("readings").getLong("count")).isEqualTo(1);
            assertThat(heat.getJsonObject("readings").getString("oldest")).startsWith(
                    java.time.Instant.ofEpochSecond(now).toString().substring(0, 16));
            assertThat(heat.getJsonObject("quarantine").getLong("count")).isZero();
            assertThat(heat.getJsonObject("quarantine").getString("oldest")).isNull();
            JsonObject occupancy = category(counts, "occupancy");
            assertThat(occupancy.getJsonObject("readings").getLong("count")).isZero();
            assertThat(occupancy.getJsonObject("quarantine").getLong("count")).isEqualTo(1);
            assertThat(counts.getJsonObject("quarantineUnattributed").getLong("count")).isEqualTo(1);
            JsonObject heating = counts.getJsonArray("alerts").getJsonObject(0);
            assertThat(heating.getString("category")).isEqualTo("heating");
            assertThat(heating.getJsonObject("states").getJsonObject("open").getLong("count")).isEqualTo(1);
            assertThat(heating.getJsonObject("states").getJsonObject("open").getString("oldest")).isEqualTo("2026-01-02T03:04:05Z");
            // Counts and dates only: neither the readings' values nor the alert's figure.
            assertThat(answer.body()).doesNotContain("71.25", "55.5", "93.5", "\"v\"");

            assertThat(harness.get("/api/v1/governance/counts", "admin-token-0001").statusCode()).isEqualTo(200);
            assertThat(harness.get("/api/v1/governance/counts", "manager-token-0002").statusCode()).isEqualTo(403);
        }
    }

    private static JsonObject category(JsonObject counts, String name) {
        return counts.getJsonArray("categories").stream().map(JsonObject.class::cast)
                .filter(c -> c.getString("category").equals(name)).findFirst().orElseThrow();
    }

    private static int postTelemetry(GatewayHarness harness, String pack) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(harness.httpBase() + "/api/v1/telemetry"))
                .header("Content-Type", "application/senml+json")
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        "gw-tilleuls:tilleuls-secret-1".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(pack)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
