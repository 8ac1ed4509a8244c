package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.ADMIN_TOKEN;
import static fr.gardien.gateway.GatewayHarness.ENERGY_TOKEN;
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

    /** A heat meter (a kWh index) for each site of the test portfolio, for the energy views. */
    static final String HEAT_METER = "      - id: heat-meter\n        type: heat-meter\n        points:\n"
            + "          - {name: energy, unit: kWh, category: heat}\n";
    static final String WITH_HEAT_METERS = GatewayHarness.PORTFOLIO
            .replace("  - id: marronniers", HEAT_METER + "  - id: marronniers")
            .replace("devices:", HEAT_METER + "devices:");

    @TempDir
    static Path dir;
    static GatewayHarness harness;
    static ChromeDriver browser;
    static WebDriverWait wait;

    @BeforeAll
    static void start() throws Exception {
        Chromium.assumeAvailable();
        java.nio.file.Files.writeString(dir.resolve("portfolio.yaml"), WITH_HEAT_METERS);
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
        if (!ADMIN_TOKEN.equals(token)) {
            js("sessionStorage.clear()");
            browser.navigate().refresh();
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
        By impossible = By.cssSelector("#alerts-list [data-rule='sensor-impossible-heating'][data-state='open']");
        assertThat(browser.findElements(impossible)).isEmpty();
        js("window.sameDocument = true");

        HttpResponse<String> sent = harness.post("/api/v1/telemetry", "application/senml+json",
                GatewayHarness.boilerPack(Instant.now().getEpochSecond(), 150, 52), GatewayHarness.DEVICE, GatewayHarness.SECRET);
        assertThat(sent.statusCode()).isEqualTo(204);

        WebElement card = wait.until(ExpectedConditions.visibilityOfElementLocated(impossible));
        assertThat(js("return window.sameDocument === true")).isEqualTo(true);
        assertThat(card.findElement(By.className("summary")).getText()).isEqualTo("Impossible value: supply at 150 °C (range -10 to 110 °C)");
        assertThat(card.getText()).contains("Résidence Les Tilleuls · Boiler boiler-1 · Impossible value").contains("warning");
        String id = card.getAttribute("data-alert-id");

        card.findElement(By.className("ack")).click();
        WebElement acknowledged = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#alerts-list [data-alert-id='" + id + "'][data-state='acknowledged']")));
        assertThat(acknowledged.getText()).contains("acknowledged by admin");
        assertThat(acknowledged.findElements(By.className("ack"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("#alerts-list [data-alert-id='" + id + "'][data-state='open']"))).isEmpty();

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
        assertThat(equipment).containsExactly("boiler-1", "ecs-1", "lift-a", "heat-meter");

        WebElement plot = browser.findElement(By.cssSelector(".plot[data-equipment='boiler-1'][data-unit='Cel']"));
        assertThat(plot.getAttribute("data-drawn")).isEqualTo("true");
        assertThat(Integer.parseInt(plot.getAttribute("data-values"))).isGreaterThanOrEqualTo(2 * SEEDED);
        List<String> legend = plot.findElements(By.cssSelector(".u-legend .u-series .u-label")).stream()
                .map(WebElement::getText).toList();
        assertThat(legend).contains("Supply temperature", "Return temperature");
        assertThat(plot.getAttribute("aria-label")).startsWith("Boiler boiler-1 — Supply temperature, Return temperature (°C): ");
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
     * Equipment are shown by the portfolio's names with their translated type, points by their
     * labels; without a name, the translated type and the id. The sites API carries both, and the
     * alerts' search finds an equipment by its name.
     */
    @Test
    void equipmentAreShownByTheirPortfolioNames() throws Exception {
        JsonNode tilleuls = mapper.readTree(harness.get("/api/v1/sites", ADMIN_TOKEN).body()).get("sites").get(0);
        assertThat(tilleuls.get("equipment").get(2).get("name").asText()).isEqualTo("Ascenseur A");
        assertThat(tilleuls.get("equipment").get(2).get("points").get(0).get("label").asText()).isEqualTo("Code défaut armoire");
        assertThat(tilleuls.get("equipment").get(0).has("name")).isFalse();
        open("#/sites");
        try {
            for (String lang : List.of("en", "fr")) {
                js("localStorage.setItem('gardien.lang', arguments[0])", lang);
                browser.get(harness.httpBase() + "/?load=" + System.nanoTime() + "#/sites/tilleuls");
                wait.until(ExpectedConditions.attributeToBe(By.id("view"), "data-ready", "true"));
                String lift = lang.equals("fr") ? "Ascenseur" : "Lift";
                String boiler = lang.equals("fr") ? "Chaudière" : "Boiler";
                List<String> liftRow = browser.findElements(By.cssSelector("#equipment tr[data-equipment='lift-a'] td")).stream()
                        .map(WebElement::getText).toList();
                assertThat(liftRow).as(lang).containsExactly("Ascenseur A", lift, "Code défaut armoire");
                assertThat(browser.findElement(By.cssSelector("#equipment tr[data-equipment='boiler-1'] td")).getText()).isEqualTo("boiler-1");
                assertThat(browser.findElement(By.cssSelector("section.equipment[data-equipment='lift-a'] h3")).getText())
                        .isEqualTo("Ascenseur A (" + lift + ")");
                assertThat(browser.findElement(By.cssSelector("section.equipment[data-equipment='boiler-1'] h3")).getText())
                        .isEqualTo(boiler + " boiler-1");
                assertThat(browser.findElement(By.cssSelector("section.equipment[data-equipment='lift-a'] h4")).getText())
                        .isEqualTo("Code défaut armoire");
            }
        } finally {
            js("localStorage.setItem('gardien.lang', 'en')");
        }
        raise("names-check", "tilleuls", "lift-a", fr.gardien.rules.Severity.WARNING);
        open("#/alerts?q=" + java.net.URLEncoder.encode("ascenseur a", java.nio.charset.StandardCharsets.UTF_8));
        wait.until(ExpectedConditions.attributeToBe(By.id("view"), "data-ready", "true"));
        WebElement card = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#alerts-list [data-rule='names-check']")));
        assertThat(card.getText()).contains("Résidence Les Tilleuls · Ascenseur A (Lift) · ");
        assertThat(browser.findElements(By.cssSelector("#alerts-list article")))
                .as("the search finds an equipment by its name").allSatisfy(e -> assertThat(e.getText()).contains("Ascenseur A"));
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

    /** Sends a heat meter's index {@code kwh} at {@code at} from the site's gateway device. */
    static void heatIndex(String site, Instant at, double kwh) throws Exception {
        boolean tilleuls = site.equals("tilleuls");
        HttpResponse<String> r = harness.post("/api/v1/telemetry", "application/senml+json",
                ("[{\"bn\":\"" + site + "/heat-meter/\",\"bt\":" + at.getEpochSecond() + ",\"n\":\"energy\",\"u\":\"kWh\",\"v\":"
                        + kwh + "}]").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                tilleuls ? GatewayHarness.DEVICE : GatewayHarness.OTHER_DEVICE, tilleuls ? GatewayHarness.SECRET : GatewayHarness.OTHER_SECRET);
        assertThat(r.statusCode()).isEqualTo(204);
    }

    static List<String> comparedSites() {
        return browser.findElements(By.cssSelector("#comparison-table tbody tr")).stream().map(r -> r.getAttribute("data-site")).toList();
    }

    /**
     * The energy page compares the sites side by side for the chosen category and period: each
     * site's total and share as the consumption API computes them, the biggest first, sortable by
     * any column (pressed again: the other way), exported as CSV, in English and French; a site
     * without a meter of the category is listed without figures.
     */
    @Test
    void theEnergyPageComparesTheSites() throws Exception {
        Instant now = Instant.now();
        heatIndex("tilleuls", now.minus(Duration.ofHours(3)), 1000);
        heatIndex("tilleuls", now.minus(Duration.ofHours(1)), 1150);
        heatIndex("marronniers", now.minus(Duration.ofHours(3)), 500);
        heatIndex("marronniers", now.minus(Duration.ofHours(1)), 800);
        String consumption = "/api/v1/energy/consumption?category=heat&bucket=1d&from=" + now.minus(Duration.ofDays(30))
                + "&to=" + now.plus(Duration.ofHours(1));
        Map<String, Double> totals = new java.util.HashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!(totals.getOrDefault("tilleuls", 0.0) > 0 && totals.getOrDefault("marronniers", 0.0) > 0) && System.nanoTime() < deadline) {
            Thread.sleep(300);
            for (JsonNode site : mapper.readTree(harness.get(consumption, ADMIN_TOKEN).body()).get("sites")) {
                totals.put(site.get("site").asText(), site.get("total").asDouble());
            }
        }
        assertThat(totals).as("the daily rollups of both meters").containsKeys("tilleuls", "marronniers");
        String bigger = totals.get("marronniers") > totals.get("tilleuls") ? "marronniers" : "tilleuls";
        String smaller = bigger.equals("marronniers") ? "tilleuls" : "marronniers";
        double share = 100 * totals.get(bigger) / (totals.get("tilleuls") + totals.get("marronniers"));

        open("#/energy/heat/last30");
        wait.until(ExpectedConditions.attributeToBe(By.id("view"), "data-ready", "true"));
        assertThat(browser.findElement(By.cssSelector("#consumption h3")).getText()).isEqualTo("Sites compared");
        assertThat(comparedSites()).containsExactly(bigger, smaller);
        WebElement first = browser.findElement(By.cssSelector("#comparison-table tr[data-site='" + bigger + "']"));
        assertThat(first.findElement(By.cssSelector("td.share")).getText())
                .isEqualTo(new java.text.DecimalFormat("0.#", java.text.DecimalFormatSymbols.getInstance(java.util.Locale.US)).format(share) + " %");
        assertThat(Double.parseDouble(first.findElement(By.cssSelector("td.share meter")).getAttribute("value")))
                .isCloseTo(share / 100, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(browser.findElement(By.cssSelector("#comparison-table th[aria-sort]")).getText()).isEqualTo("Total");

        By byName = By.cssSelector("#comparison-table button[data-sort='name']");
        browser.findElement(byName).click();
        assertThat(comparedSites()).containsExactly("marronniers", "tilleuls");
        assertThat(browser.findElement(By.cssSelector("#comparison-table th[aria-sort]")).getAttribute("aria-sort")).isEqualTo("ascending");
        browser.findElement(byName).click();
        assertThat(comparedSites()).containsExactly("tilleuls", "marronniers");
        assertThat(browser.findElement(By.cssSelector("#comparison-table th[aria-sort]")).getAttribute("aria-sort")).isEqualTo("descending");
        By byTotal = By.cssSelector("#comparison-table button[data-sort='total']");
        browser.findElement(byTotal).click();
        browser.findElement(byTotal).click();
        assertThat(comparedSites()).containsExactly(smaller, bigger);

        assertThat(browser.findElement(By.cssSelector("a.csv[download='comparison-heat.csv']")).getText())
                .isEqualTo("Export the comparison as CSV");
        JsonNode compared = parse("import('/ui/energy.js').then((e) => import('/ui/dom.js').then((d) => {"
                + " const c = e.compare([{id: 'a', name: 'A'}, {id: 'b', name: 'B'}], [{site: 'a', name: 'A', unit: 'kWh', total: 30}],"
                + "  new Map([['a', 20]])); done(JSON.stringify({c, csv: d.csv(e.comparisonCsv(c))})); }));");
        assertThat(compared.get("c").get(0).get("share").asDouble()).isEqualTo(1.0);
        assertThat(compared.get("c").get(0).get("change").asDouble()).isEqualTo(50.0);
        assertThat(compared.get("c").get(1).get("metered").asBoolean()).as("a site without a heat meter").isFalse();
        assertThat(compared.get("c").get(1).get("total").isNull()).isTrue();
        assertThat(compared.get("csv").asText()).isEqualTo(
                "site,name,total,unit,share_percent,previous,change_percent\r\na,A,30,kWh,100,20,50\r\nb,B,,,,,\r\n");

        try {
            js("localStorage.setItem('gardien.lang', 'fr')");
            browser.get(harness.httpBase() + "/?load=" + System.nanoTime() + "#/energy/heat/last30");
            wait.until(ExpectedConditions.attributeToBe(By.id("view"), "data-ready", "true"));
            assertThat(browser.findElement(By.cssSelector("#consumption h3")).getText()).isEqualTo("Comparaison des sites");
            assertThat(browser.findElements(By.cssSelector("#comparison-table th")).stream().map(WebElement::getText))
                    .containsExactly("Site", "Total", "Part", "Période précédente", "Évolution");
            assertThat(browser.findElement(By.cssSelector("a.csv[download='comparison-heat.csv']")).getText())
                    .isEqualTo("Exporter la comparaison en CSV");
        } finally {
            js("localStorage.setItem('gardien.lang', 'en')");
        }
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
            assertThat(browser.findElement(By.cssSelector("[data-count-state='open']")).getText()).startsWith("Ouvertes");
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

    /** Raises an alert through the gateway's alert service, as a rule would; returns its id. */
    static long raise(String rule, String site, String equipment, fr.gardien.rules.Severity severity) throws Exception {
        return harness.gateway.alerts().apply(AlertApiIT.signal(fr.gardien.rules.RuleSignal.Kind.RAISED, rule, site, equipment,
                severity, Instant.now())).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).alert().id();
    }

    /** Signs the browser in afresh with {@code token} (in English) and opens {@code hash}. */
    static void openAs(String token, String hash) {
        browser.get(harness.httpBase() + "/");
        js("sessionStorage.setItem('gardien.token', arguments[0]); localStorage.setItem('gardien.lang', 'en')", token);
        browser.get(harness.httpBase() + "/?load=" + System.nanoTime() + hash);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
    }

    /**
     * The alert's page shows the summary, the rule, the explanation's figures and the readings
     * around the alert with its threshold; resolving with a note stores the note, in the token's name.
     */
    @Test
    void theAlertPageExplainsTheAlertAndResolvesItWithANote() throws Exception {
        HttpResponse<String> sent = harness.post("/api/v1/telemetry", "application/senml+json",
                GatewayHarness.boilerPack(Instant.now().getEpochSecond(), 140, 52), GatewayHarness.DEVICE, GatewayHarness.SECRET);
        assertThat(sent.statusCode()).isEqualTo(204);
        // The impossible reading raises an alert, or retriggers the one another test left active.
        long id = 0;
        String summary = null;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (id == 0 && System.nanoTime() < deadline) {
            for (String state : List.of("open", "acknowledged")) {
                for (JsonNode a : mapper.readTree(harness.get("/api/v1/alerts?state=" + state, ADMIN_TOKEN).body()).get("alerts")) {
                    if (a.get("rule").asText().equals("sensor-impossible-heating")) {
                        id = a.get("id").asLong();
                        summary = a.get("summaryEn").asText();
                    }
                }
            }
            Thread.sleep(200);
        }
        assertThat(id).as("the alert of the impossible reading").isPositive();

        openAs(ADMIN_TOKEN, "#/alerts/" + id);
        wait.until(ExpectedConditions.attributeToBe(By.id("view"), "data-ready", "true"));
        assertThat(browser.getTitle()).isEqualTo("Alert " + id + " — Gardien");
        assertThat(browser.findElement(By.id("alert-summary")).getText()).isEqualTo(summary);
        assertThat(browser.findElement(By.id("alert-rule")).getText()).contains("sensor-impossible-heating").contains("Impossible value");
        assertThat(browser.findElements(By.cssSelector("#alert-explanation [data-figure]"))).isNotEmpty();
        WebElement plot = browser.findElement(By.cssSelector("#alert-readings .plot[data-unit='Cel']"));
        assertThat(plot.getAttribute("data-drawn")).isEqualTo("true");
        assertThat(Integer.parseInt(plot.getAttribute("data-values"))).isPositive();
        assertThat(browser.findElement(By.id("alert-transitions")).getText()).contains("Opened");

        browser.findElement(By.id("resolve-note")).sendKeys("sensor cable replaced");
        browser.findElement(By.cssSelector("#alert-actions button.resolve")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("alert-transitions"), "Note: sensor cable replaced"));
        JsonNode alert = mapper.readTree(harness.get("/api/v1/alerts/" + id, ADMIN_TOKEN).body());
        assertThat(alert.get("state").asText()).isEqualTo("resolved");
        assertThat(alert.get("resolvedBy").asText()).isEqualTo("admin");
        assertThat(alert.get("resolutionNote").asText()).isEqualTo("sensor cable replaced");
        assertThat(browser.findElements(By.id("alert-actions"))).as("no action on a resolved alert").isEmpty();
    }

    /**
     * The filters narrow the list by site, severity and search, the counts follow the alerts of
     * the other filters, and acknowledging a selection acknowledges exactly the selected alerts.
     */
    @Test
    void filtersCountsSearchAndBulkAcknowledge() throws Exception {
        long a = raise("bulk-check-a", "marronniers", "substation", fr.gardien.rules.Severity.CRITICAL);
        long b = raise("bulk-check-b", "marronniers", "substation", fr.gardien.rules.Severity.MAJOR);
        long c = raise("bulk-check-c", "tilleuls", "lift-a", fr.gardien.rules.Severity.MAJOR);
        openAs(ADMIN_TOKEN, "#/alerts?site=marronniers");
        wait.until(ExpectedConditions.attributeToBe(By.id("view"), "data-ready", "true"));
        List<String> sites = browser.findElements(By.cssSelector("#alerts-list article")).stream()
                .map(e -> e.getAttribute("data-site")).distinct().toList();
        assertThat(sites).containsExactly("marronniers");
        assertThat(browser.findElement(By.id("filter-site")).getAttribute("value")).isEqualTo("marronniers");

        long openOnSite = 0;
        long criticalActive = 0;
        for (String state : List.of("open", "acknowledged")) {
            for (JsonNode x : mapper.readTree(harness.get("/api/v1/alerts?site=marronniers&state=" + state, ADMIN_TOKEN).body()).get("alerts")) {
                openOnSite += state.equals("open") ? 1 : 0;
                criticalActive += x.get("severity").asText().equals("critical") ? 1 : 0;
            }
        }
        assertThat(browser.findElement(By.cssSelector("[data-count-state='open'] strong")).getText()).isEqualTo(Long.toString(openOnSite));
        assertThat(browser.findElement(By.cssSelector("[data-count-severity='critical'] strong")).getText())
                .isEqualTo(Long.toString(criticalActive));

        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("filter-severity"))).selectByValue("major");
        wait.until(ExpectedConditions.urlContains("severity=major"));
        assertThat(browser.findElements(By.cssSelector("#alerts-list article")).stream().map(e -> e.getAttribute("data-alert-id")))
                .contains(Long.toString(b)).doesNotContain(Long.toString(a), Long.toString(c));

        browser.findElement(By.id("filter-severity")).sendKeys("All");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("filter-severity"))).selectByValue("");
        browser.findElement(By.id("filter-q")).sendKeys("bulk-check");
        wait.until(d -> d.findElements(By.cssSelector("#alerts-list article")).size() == 2);
        browser.findElement(By.id("select-all")).click();
        assertThat(browser.findElement(By.id("selected-count")).getText()).isEqualTo("2 selected");
        browser.findElement(By.id("bulk-ack")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("alerts-feedback"), "2 alert(s) changed, 0 refused."));
        for (long id : List.of(a, b)) {
            assertThat(mapper.readTree(harness.get("/api/v1/alerts/" + id, ADMIN_TOKEN).body()).get("state").asText()).isEqualTo("acknowledged");
        }
        assertThat(mapper.readTree(harness.get("/api/v1/alerts/" + c, ADMIN_TOKEN).body()).get("state").asText()).isEqualTo("open");
    }

    /** The header names who is signed in; an energy analyst is offered no action on alerts or silences. */
    @Test
    void actionsAreOfferedOnlyToRolesThatMayTakeThem() throws Exception {
        raise("role-check", "tilleuls", "boiler-1", fr.gardien.rules.Severity.WARNING);
        openAs(ENERGY_TOKEN, "#/alerts");
        wait.until(ExpectedConditions.attributeToBe(By.id("view"), "data-ready", "true"));
        wait.until(ExpectedConditions.textToBe(By.id("who"), "Signed in: energy (energy analyst)"));
        assertThat(browser.findElements(By.cssSelector("[data-rule='role-check']"))).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("button.ack, button.resolve, input.pick, #bulk"))).isEmpty();
        assertThat(browser.findElement(By.id("read-only")).getText()).isEqualTo("Read only: your role may not act on alerts.");
        openAs(ENERGY_TOKEN, "#/silences");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#view h1")));
        assertThat(browser.findElements(By.id("silence-form"))).isEmpty();

        openAs(ADMIN_TOKEN, "#/alerts");
        wait.until(ExpectedConditions.textToBe(By.id("who"), "Signed in: admin (administrator)"));
        wait.until(ExpectedConditions.attributeToBe(By.id("view"), "data-ready", "true"));
        assertThat(browser.findElements(By.cssSelector("[data-rule='role-check'] button.ack"))).hasSize(1);
    }

    /** A silence created on its screen is listed, and ending it removes it, through the API. */
    @Test
    void aSilenceIsCreatedListedAndEnded() throws Exception {
        openAs(ADMIN_TOKEN, "#/silences");
        WebElement reason = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("silence-reason")));
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("silence-site"))).selectByValue("marronniers");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("silence-for"))).selectByValue("4h");
        reason.sendKeys("substation maintenance");
        browser.findElement(By.cssSelector("#silence-form button[type=submit]")).click();
        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//tr[td[text()='substation maintenance']]")));
        String id = row.getAttribute("data-silence");
        JsonNode silence = null;
        for (JsonNode x : mapper.readTree(harness.get("/api/v1/silences", ADMIN_TOKEN).body()).get("silences")) {
            if (x.get("id").asText().equals(id)) {
                silence = x;
            }
        }
        assertThat(silence).isNotNull();
        assertThat(silence.get("site").asText()).isEqualTo("marronniers");
        assertThat(silence.get("createdBy").asText()).isEqualTo("admin");
        Duration span = Duration.between(Instant.parse(silence.get("from").asText()), Instant.parse(silence.get("until").asText()));
        assertThat(span).isBetween(Duration.ofMinutes(235), Duration.ofMinutes(245));

        row.findElement(By.cssSelector("button.end")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr[data-silence='" + id + "']"), 0));
        assertThat(harness.get("/api/v1/silences", ADMIN_TOKEN).body()).doesNotContain("substation maintenance");
    }

    /** The rules screen lists every active rule of the API. */
    @Test
    void theRulesScreenListsTheActiveRules() throws Exception {
        openAs(ADMIN_TOKEN, "#/rules");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("rules-table")));
        int rules = mapper.readTree(harness.get("/api/v1/rules", ADMIN_TOKEN).body()).get("rules").size();
        assertThat(browser.findElements(By.cssSelector("#rules-table tbody tr"))).hasSize(rules);
        assertThat(browser.findElement(By.cssSelector("tr[data-rule='hot-water-storage-cold']")).getText())
                .contains("Domestic hot water").contains("critical").contains("1 h");
    }

    /**
     * Charts speak the UI's language and the site's zone: axis labels in French with French month
     * names, the legend's "Heure", and a text alternative in French; y-ranges keep noise flat and
     * on/off signals on 0–1.
     */
    @Test
    void chartsSpeakTheUiLanguageAndKeepSensibleRanges() throws Exception {
        open("#/sites/tilleuls");
        wait.until(ExpectedConditions.attributeToBe(By.id("view"), "data-ready", "true"));
        JsonNode labels = parse("import('/ui/i18n.js').then((i) => import('/ui/chart.js').then((c) => { i.setLanguage('fr');"
                + " const out = [c.timeLabels([Date.parse('2026-01-01T11:00:00Z') / 1000], 86400, 'Europe/Paris'),"
                + "  c.timeLabels([Date.parse('2026-01-01T11:00:00Z') / 1000], 3600, 'Europe/Paris'),"
                + "  c.yRange(1.440, 1.446, 'bar'), c.yRange(0, 0.004, 'm3'), i.formatNumber(0.004), i.unitLabel('m3'),"
                + "  i.formatTime('2026-07-01T10:00:00Z', 'Europe/Paris')];"
                + " i.setLanguage('en'); done(JSON.stringify(out)); }));");
        assertThat(labels.get(0).get(0).asText()).isEqualTo("1 janv.");
        assertThat(labels.get(1).get(0).asText()).isEqualTo("12:00\n1 janv.");
        assertThat(labels.get(2).get(1).asDouble() - labels.get(2).get(0).asDouble()).as("a pressure's axis spans a bar at least")
                .isGreaterThanOrEqualTo(1.0);
        assertThat(labels.get(3).get(0).asDouble()).isEqualTo(0.0);
        assertThat(labels.get(4).asText()).isEqualTo("0,004");
        assertThat(labels.get(5).asText()).isEqualTo("m³");
        assertThat(labels.get(6).asText()).isEqualTo("01/07/2026 12:00 UTC+2");

        try {
            js("localStorage.setItem('gardien.lang', 'fr')");
            browser.get(harness.httpBase() + "/?load=" + System.nanoTime() + "#/sites/tilleuls");
            wait.until(ExpectedConditions.attributeToBe(By.id("view"), "data-ready", "true"));
            WebElement plot = browser.findElement(By.cssSelector(".plot[data-equipment='boiler-1'][data-unit='Cel']"));
            assertThat(plot.findElement(By.cssSelector(".u-legend .u-series .u-label")).getText()).isEqualTo("Heure");
            assertThat(plot.getAttribute("aria-label")).startsWith("Chaudière boiler-1 — Température de départ, Température de retour (°C) : ")
                    .contains(" valeur(s) du ").contains("UTC+1");
            assertThat(browser.findElement(By.id("site-zone")).getText()).isEqualTo("Heures du site (Europe/Paris, UTC+1).");
            assertThat(browser.getTitle()).isEqualTo("Résidence Les Tilleuls — Gardien");
            WebElement onOff = browser.findElement(By.cssSelector(".plot[data-equipment='boiler-1'][data-unit='onoff']"));
            assertThat(onOff.findElement(By.xpath("..")).findElement(By.tagName("h4")).getText()).isEqualTo("Brûleur en marche");
        } finally {
            js("localStorage.setItem('gardien.lang', 'en')");
        }
    }

    /** The pages of the dashboard that every test of {@link #everyPageFitsBothSizesInBothLanguages} visits. */
    static final List<String> PAGES = List.of("#/alerts", "#/alerts/ALERT", "#/sites", "#/sites/tilleuls", "#/energy",
            "#/silences", "#/rules");

    /**
     * Every page at 1400×900 and on a phone (390×844), in French and English: a title of its own,
     * no horizontal overflow, no serious or critical axe-core violation; a screenshot of each is
     * kept in target/dashboard-screenshots. The favicon is served and linked.
     */
    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void everyPageFitsBothSizesInBothLanguages() throws Exception {
        long alert = raise("pages-check", "tilleuls", "boiler-1", fr.gardien.rules.Severity.MAJOR);
        String axe = new String(DashboardIT.class.getResourceAsStream("/axe-core-4.14.1/axe.min.js").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        Path shots = Path.of("target", "dashboard-screenshots");
        java.nio.file.Files.createDirectories(shots);
        HttpResponse<String> favicon = harness.get("/ui/favicon.svg", null);
        assertThat(favicon.statusCode()).isEqualTo(200);
        assertThat(favicon.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("image/svg+xml"));
        assertThat(harness.get("/", null).body()).contains("<link rel=\"icon\" href=\"/ui/favicon.svg\"");

        List<String> problems = new java.util.ArrayList<>();
        ChromeDriver phone = Chromium.start("en-US", 390, 844);
        try {
            for (ChromeDriver driver : List.of(browser, phone)) {
                String size = driver == browser ? "1400x900" : "390x844";
                if (driver == browser) {
                    driver.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 900));
                }
                WebDriverWait waiting = new WebDriverWait(driver, WAIT);
                driver.get(harness.httpBase() + "/");
                for (String lang : List.of("fr", "en")) {
                    java.util.Set<String> titles = new java.util.HashSet<>();
                    for (String page : PAGES) {
                        String hash = page.replace("ALERT", Long.toString(alert));
                        ((JavascriptExecutor) driver).executeScript("sessionStorage.setItem('gardien.token', arguments[0]);"
                                + " localStorage.setItem('gardien.lang', arguments[1])", ADMIN_TOKEN, lang);
                        driver.get(harness.httpBase() + "/?load=" + System.nanoTime() + hash);
                        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#view h1")));
                        waiting.until(ExpectedConditions.attributeToBe(By.id("view"), "data-ready", "true"));
                        String where = size + " " + lang + " " + hash;
                        assertThat(driver.getTitle()).as(where).endsWith(" — Gardien");
                        titles.add(driver.getTitle());
                        assertThat(((JavascriptExecutor) driver).executeScript("return document.documentElement.lang")).as(where).isEqualTo(lang);
                        Long overflow = (Long) ((JavascriptExecutor) driver).executeScript(
                                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
                        if (overflow > 0) {
                            problems.add(where + ": " + overflow + " px of horizontal overflow");
                        }
                        java.nio.file.Files.write(shots.resolve((size + "-" + lang + "-" + hash).replaceAll("[^A-Za-z0-9.-]+", "_") + ".png"),
                                driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
                        ((JavascriptExecutor) driver).executeScript(axe);
                        String violations = (String) ((JavascriptExecutor) driver).executeAsyncScript(
                                "const done = arguments[arguments.length - 1];"
                                        + "axe.run(document, {resultTypes: ['violations']}).then((r) => done(JSON.stringify("
                                        + " r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')"
                                        + " .map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')))))"
                                        + ".catch((e) => done(JSON.stringify(['axe failed: ' + e])));");
                        for (JsonNode v : mapper.readTree(violations)) {
                            problems.add(where + ": " + v.asText());
                        }
                    }
                    assertThat(titles).as("a title per view, " + size + " " + lang).hasSize(PAGES.size());
                }
            }
        } finally {
            phone.quit();
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1024));
        }
        assertThat(problems).isEmpty();
    }
}
