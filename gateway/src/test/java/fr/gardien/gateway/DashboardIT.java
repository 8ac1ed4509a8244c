package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gardien.gateway.dashboard.Chromium;
import fr.gardien.storage.testing.TestPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web dashboard in a real headless Chromium against a running gateway: sign-in, the live
 * alert feed and its actions, the site page and its charts, the language switch, and the page's
 * reading of the API's response shapes.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DashboardIT {

    static final ObjectMapper mapper = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(20);
    /** Readings every 15 min over the last 6 h, on quarter-hours, so that 15-min buckets hold one each. */
    static final int SEEDED = 25;

    @TempDir
    static Path dir;
    static GatewayHarness harness;
    static ChromeDriver browser;
    static WebDriverWait wait;

    @BeforeAll
    static void start() throws Exception {
        Chromium.assumeAvailable();
        harness = GatewayHarness.start(dir, TestPostgres.shared().newDatabase(), Map.of());
        Instant first = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(6));
        for (int i = 0; i < SEEDED; i++) {
            long at = first.plus(Duration.ofMinutes(15L * i)).getEpochSecond();
            HttpResponse<String> r = harness.post("/api/v1/telemetry", "application/senml+json",
                    GatewayHarness.boilerPack(at, 70 + i % 5, 52 + i % 3), GatewayHarness.DEVICE, GatewayHarness.SECRET);
            assertThat(r.statusCode()).isEqualTo(204);
        }
        // The week and month charts read the hourly rollup, kept by the maintainer a few seconds behind.
        String hourlyCounts = "/api/v1/series?point=tilleuls/boiler-1/supply_temp&bucket=1h&agg=count&from=" + first
                + "&to=" + Instant.now().plus(Duration.ofHours(1));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int rolledUp = 0;
        while (rolledUp < SEEDED && System.nanoTime() < deadline) {
            Thread.sleep(200);
            rolledUp = 0;
            for (JsonNode v : new ObjectMapper().readTree(
                    harness.get(hourlyCounts, ADMIN_TOKEN).body()).get("values")) {
                rolledUp += v.get("v").asInt();
            }
        }
        assertThat(rolledUp).as("readings in the hourly rollup").isEqualTo(SEEDED);
        browser = Chromium.start("en-US");
        wait = new WebDriverWait(browser, WAIT);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (harness != null) {
            harness.close();
        }
    }

    /** Opens a route of the dashboard, signed in with the admin token, in English. */
    static void open(String hash) {
        browser.get(harness.httpBase() + "/");
        Object token = js("return sessionStorage.getItem('gardien.token')");
        if (token == null) {
            signIn(ADMIN_TOKEN);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
        }
        js("localStorage.setItem('gardien.lang', 'en')");
        browser.get(harness.httpBase() + "/?load=" + System.nanoTime() + hash);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
    }

    static void signIn(String token) {
        WebElement input = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        input.clear();
        input.sendKeys(token);
        browser.findElement(By.id("sign-in-submit")).click();
    }

    static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    /** Runs a function of the dashboard's parse.js module in the page and returns its JSON result. */
    static JsonNode parse(String body) throws Exception {
        String result = (String) ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "import('/ui/parse.js').then((p) => { " + body + " })"
                        + ".catch((e) => done('error: ' + e));");
        assertThat(result).doesNotStartWith("error:");
        return mapper.readTree(result);
    }

    /** A wrong token is refused with a message; the right one signs in and is kept in sessionStorage, nowhere else. */
    @Test
    void aWrongTokenIsRefusedAndTheRightOneIsKeptInSessionStorageOnly() {
        browser.get(harness.httpBase() + "/");
        js("sessionStorage.clear(); localStorage.setItem('gardien.lang', 'en')");
        browser.navigate().refresh();

        signIn("not-a-token-of-this-gateway");
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in-error")));
        assertThat(error.getText()).isEqualTo("Token refused: unknown or revoked.");
        assertThat(js("return sessionStorage.getItem('gardien.token')")).isNull();

        signIn(ADMIN_TOKEN);
        wait.until(ExpectedConditions.attributeToBe(By.id("stream-status"), "data-live", "true"));
        assertThat(js("return sessionStorage.getItem('gardien.token')")).isEqualTo(ADMIN_TOKEN);
        assertThat((String) js("return JSON.stringify(Object.values(localStorage))")).doesNotContain(ADMIN_TOKEN);
        assertThat(browser.manage().getCookies()).isEmpty();
        assertThat(browser.findElement(By.id("token")).getAttribute("value")).isEmpty();

        browser.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        assertThat(js("return sessionStorage.getItem('gardien.token')")).isNull();
    }

    /**
     * An impossible reading sent by a device raises an alert that appears in the open list without
     * reloading the page; acknowledging it from the page moves it to the acknowledged list and the
     * API records the token's name.
     */
    @Test
    void aLiveAlertAppearsAndIsAcknowledgedInTheTokensName() throws Exception {
        open("#/alerts");
        wait.until(ExpectedConditions.attributeToBe(By.id("stream-status"), "data-live", "true"));
        By impossible = By.cssSelector("#alerts-open [data-rule='sensor-impossible-heating']");
        assertThat(browser.findElements(impossible)).isEmpty();
        js("window.sameDocument = true");

        HttpResponse<String> sent = harness.post("/api/v1/telemetry", "application/senml+json",
                GatewayHarness.boilerPack(Instant.now().getEpochSecond(), 150, 52), GatewayHarness.DEVICE, GatewayHarness.SECRET);
        assertThat(sent.statusCode()).isEqualTo(204);

        WebElement card = wait.until(ExpectedConditions.visibilityOfElementLocated(impossible));
        assertThat(js("return window.sameDocument === true")).isEqualTo(true);
        assertThat(card.findElement(By.className("summary")).getText()).isEqualTo("Impossible value: supply at 150 °C (range -10 to 110 °C)");
        assertThat(card.getText()).contains("tilleuls · boiler-1 · sensor-impossible-heating").contains("warning");
        String id = card.getAttribute("data-alert-id");

        card.findElement(By.className("ack")).click();
        WebElement acknowledged = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#alerts-acknowledged [data-alert-id='" + id + "']")));
        assertThat(acknowledged.getText()).contains("acknowledged by admin");
        assertThat(acknowledged.findElements(By.className("ack"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("#alerts-open [data-alert-id='" + id + "']"))).isEmpty();

        JsonNode alert = mapper.readTree(harness.get("/api/v1/alerts/" + id, ADMIN_TOKEN).body());
        assertThat(alert.get("state").asText()).isEqualTo("acknowledged");
        assertThat(alert.get("acknowledgedBy").asText()).isEqualTo("admin");
    }

    /** The site page lists the site's equipment and draws the boiler's temperatures from the stored readings. */
    @Test
    void theSitePageListsTheEquipmentAndDrawsTheBoilerChart() {
        open("#/sites/tilleuls");
        wait.until(ExpectedConditions.attributeToBe(By.id("view"), "data-ready", "true"));

        List<String> equipment = browser.findElements(By.cssSelector("#equipment tbody tr")).stream()
                .map(row -> row.getAttribute("data-equipment")).toList();
        assertThat(equipment).containsExactly("boiler-1", "ecs-1", "lift-a");

        WebElement plot = browser.findElement(By.cssSelector(".plot[data-equipment='boiler-1'][data-unit='Cel']"));
        assertThat(plot.getAttribute("data-drawn")).isEqualTo("true");
        assertThat(Integer.parseInt(plot.getAttribute("data-values"))).isGreaterThanOrEqualTo(2 * SEEDED);
        List<String> legend = plot.findElements(By.cssSelector(".u-legend .u-series .u-label")).stream()
                .map(WebElement::getText).toList();
        assertThat(legend).contains("supply_temp", "return_temp");
        Long painted = (Long) js("const c = arguments[0].querySelector('canvas');"
                + "const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + "let n = 0; for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++; return n;", plot);
        assertThat(painted).isGreaterThan(500L);

        WebElement hotWater = browser.findElement(By.cssSelector(".plot[data-equipment='ecs-1']"));
        assertThat(hotWater.getText()).isEqualTo("No data over the period.");

        browser.findElement(By.cssSelector("button.range[data-range='week']")).click();
        wait.until(ExpectedConditions.attributeToBe(By.cssSelector("button.range[data-range='week']"), "aria-pressed", "true"));
        wait.until(ExpectedConditions.attributeToBe(By.id("view"), "data-ready", "true"));
        assertThat(browser.findElement(By.cssSelector(".plot[data-equipment='boiler-1'][data-unit='Cel']"))
                .getAttribute("data-drawn")).isEqualTo("true");
    }

    /**
     * The energy page fills both of its parts without an error: figures when the gateway serves
     * the energy endpoints, else a sentence saying they are not available.
     */
    @Test
    void theEnergyPageShowsFiguresOrSaysTheyAreUnavailable() {
        open("#/energy/heat/last30");
        for (String part : List.of("consumption", "heating")) {
            wait.until(ExpectedConditions.not(ExpectedConditions.textToBePresentInElementLocated(By.id(part), "Loading…")));
            WebElement box = browser.findElement(By.id(part));
            assertThat(box.findElements(By.className("error"))).isEmpty();
            assertThat(box.findElements(By.tagName("table")).size() + box.findElements(By.className("notice")).size()).isPositive();
        }
        assertThat(browser.findElement(By.id("energy-category")).getAttribute("value")).isEqualTo("heat");
    }

    /** The language switch translates the interface and asks the server for the alert summaries in French. */
    @Test
    void theLanguageSwitchTranslatesTheInterfaceAndTheSummaries() throws Exception {
        harness.gateway.alerts().apply(AlertApiIT.signal(fr.gardien.rules.RuleSignal.Kind.RAISED, "language-check", "tilleuls",
                "lift-a", fr.gardien.rules.Severity.MAJOR, Instant.now())).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        open("#/alerts");
        By summary = By.cssSelector("[data-rule='language-check'] .summary");
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(summary)).getText()).isEqualTo("Supply below 35 °C for 45 min");
        assertThat(browser.findElement(By.cssSelector("[data-nav='alerts']")).getText()).isEqualTo("Alerts");

        try {
            browser.findElement(By.id("lang-switch")).click();
            wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-nav='alerts']"), "Alertes"));
            assertThat(browser.findElement(By.cssSelector("[data-nav='energy']")).getText()).isEqualTo("Énergie");
            assertThat(browser.findElement(By.id("lang-switch")).getText()).isEqualTo("English");
            wait.until(ExpectedConditions.textToBe(summary, "Départ sous 35 °C depuis 45 min"));
            assertThat(browser.findElement(By.cssSelector("[data-state='open'] h2")).getText()).isEqualTo("Ouvertes");
            assertThat(js("return document.documentElement.lang")).isEqualTo("fr");
        } finally {
            js("localStorage.setItem('gardien.lang', 'en')");
        }
    }

    /**
     * The page reads every documented shape of the series API (several points bucketed, one
     * point bucketed, raw with text values) and of the energy API, and parses SSE split anywhere.
     */
    @Test
    void thePageReadsTheApisResponseShapes() throws Exception {
        open("#/sites");
        long h0 = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond();
        JsonNode several = parse("done(JSON.stringify(p.alignSeries(p.parseSeries({bucket: '1h', agg: 'avg',"
                + " from: '2026-01-01T00:00:00Z', to: '2026-01-01T03:00:00Z', series: ["
                + "{point: 's/b/supply_temp', unit: 'Cel', bucket: '1h', agg: 'avg',"
                + "  values: [{t: '2026-01-01T00:00:00Z', v: 70.5}, {t: '2026-01-01T01:00:00Z', v: 71}]},"
                + "{point: 's/b/return_temp', unit: 'Cel', bucket: '1h', agg: 'avg',"
                + "  values: [{t: '2026-01-01T01:00:00Z', v: 50}, {t: '2026-01-01T02:00:00Z', v: 49.5}]}]}))));");
        assertThat(several.toString()).isEqualTo(mapper.writeValueAsString(List.of(
                List.of(h0, h0 + 3600, h0 + 7200),
                java.util.Arrays.asList(70.5, 71, null),
                java.util.Arrays.asList(null, 50, 49.5))));

        JsonNode one = parse("const s = p.parseSeries({point: 's/b/supply_temp', unit: 'Cel', bucket: '1d', agg: 'max',"
                + " values: [{t: '2026-01-01T00:00:00Z', v: 3}, {t: '2026-01-02T00:00:00Z', v: 4}]});"
                + "done(JSON.stringify(s));");
        assertThat(one).hasSize(1);
        assertThat(one.get(0).get("point").asText()).isEqualTo("s/b/supply_temp");
        assertThat(one.get(0).get("unit").asText()).isEqualTo("Cel");
        assertThat(one.get(0).get("t").toString()).isEqualTo("[" + h0 + "," + (h0 + 86400) + "]");
        assertThat(one.get(0).get("v").toString()).isEqualTo("[3,4]");

        JsonNode raw = parse("done(JSON.stringify(p.parseSeries({point: 's/l/fault_code', unit: '/', from: '2026-01-01T00:00:00Z',"
                + " to: '2026-01-02T00:00:00Z', truncated: true,"
                + " values: [{t: '2026-01-01T00:00:00Z', vs: 'E12'}, {t: '2026-01-01T00:01:00Z', v: 0}]})));");
        assertThat(raw.get(0).get("truncated").asBoolean()).isTrue();
        assertThat(raw.get(0).get("t").toString()).isEqualTo("[" + (h0 + 60) + "]");

        JsonNode consumption = parse("done(JSON.stringify(p.parseConsumption({category: 'heat', bucket: '1d',"
                + " from: '2026-01-01T00:00:00Z', to: '2026-01-03T00:00:00Z', sites: ["
                + "{site: 'a', name: 'A', unit: 'kWh', total: 30, values: [{t: '2026-01-01T00:00:00Z', v: 10}, {t: '2026-01-02T00:00:00Z', v: 20}]},"
                + "{site: 'b', name: 'B', unit: 'kWh', total: 5, values: [{t: '2026-01-02T00:00:00Z', v: 5}]}]})));");
        assertThat(consumption.get("rows").get(1).get("total").asDouble()).isEqualTo(5);
        assertThat(consumption.get("data").toString()).isEqualTo(mapper.writeValueAsString(List.of(
                List.of(h0, h0 + 86400), java.util.Arrays.asList(10, 20), java.util.Arrays.asList(null, 5))));

        JsonNode heating = parse("done(JSON.stringify(p.parseHeating({bucket: '1d', base: 18, sites: ["
                + "{site: 'a', name: 'A', unit: 'kWh', values: [{t: '2026-01-01T00:00:00Z', consumption: 300, dju: 10, perDju: 30},"
                + "  {t: '2026-01-02T00:00:00Z', consumption: 100, dju: 6, perDju: 16.7}]},"
                + "{site: 'b', name: 'B', unit: 'kWh', values: [{t: '2026-07-01T00:00:00Z', consumption: 12, dju: 0, perDju: null}]}]})));");
        assertThat(heating.get("rows").get(0).get("consumption").asDouble()).isEqualTo(400);
        assertThat(heating.get("rows").get(0).get("dju").asDouble()).isEqualTo(16);
        assertThat(heating.get("rows").get(0).get("perDju").asDouble()).isEqualTo(25);
        assertThat(heating.get("rows").get(1).get("perDju").isNull()).isTrue();

        JsonNode batches = parse("import('/ui/site.js').then((site) => done(JSON.stringify(["
                + "site.batches(['a/b/c', 'a/b/d', 'a/b/e'], 3000, 2), site.batches(['a/b/c', 'a/b/d', 'a/b/e'], 40, 50)])));");
        assertThat(batches.toString()).isEqualTo("[[[\"a/b/c\",\"a/b/d\"],[\"a/b/e\"]],[[\"a/b/c\",\"a/b/d\"],[\"a/b/e\"]]]");

        JsonNode events = parse("const out = []; const parser = new p.SseParser((e) => out.push(e));"
                + "[': subscribed\\n\\nid: 7\\r', '\\nevent: alert\\r\\ndata: {\"a\"', ':1}\\r\\n\\r\\ndata: x\\ndata: y\\n', '\\n']"
                + ".forEach((c) => parser.push(c)); done(JSON.stringify(out));");
        assertThat(events.toString()).isEqualTo(
                "[{\"id\":\"7\",\"event\":\"alert\",\"data\":\"{\\\"a\\\":1}\"},{\"id\":\"7\",\"event\":\"message\",\"data\":\"x\\ny\"}]");
    }
}
