package fr.gardien.gateway.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard benchmark behind {@code bench/dashboard.sh}: loads a site's page in headless
 * Chromium again and again and prints, per range (day, week, month), the Navigation Timing
 * figures and the time until every chart of the page has drawn (the page's
 * {@code gardien:site-charts-drawn} mark), from the start of the navigation.
 *
 * <p>Arguments: {@code --url URL --token TOKEN --site ID [--runs N] [--ranges day,week,month]}
 * and, to fill an empty gateway first, {@code --seed-days N --device ID --secret S}: every numeric
 * point of the site gets one reading every 15 min over the last N days, over HTTP.
 */
public final class SitePageBenchmark {

    private static final ObjectMapper mapper = new ObjectMapper();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final int PACK_RECORDS = 1000;

    private SitePageBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        String url = require(opts, "url").replaceAll("/+$", "");
        String token = require(opts, "token");
        String site = require(opts, "site");
        int runs = Integer.parseInt(opts.getOrDefault("runs", "10"));
        List<String> ranges = List.of(opts.getOrDefault("ranges", "day,week,month").split(","));

        JsonNode points = sitePoints(url, token, site);
        if (opts.containsKey("seed-days")) {
            Instant end = seed(url, require(opts, "device"), require(opts, "secret"), points, Integer.parseInt(opts.get("seed-days")));
            awaitRollups(url, token, points, end);
        }
        System.out.printf(Locale.ROOT, "site %s: %d equipment, %d points%n", site, points.size(),
                countPoints(points));

        // Selenium warns that it has no DevTools bindings for this Chromium; the benchmark does not use them.
        java.util.logging.Logger.getLogger("org.openqa.selenium.devtools").setLevel(java.util.logging.Level.SEVERE);
        ChromeDriver browser = Chromium.start("en-US");
        try {
            browser.get(url + "/");
            ((JavascriptExecutor) browser).executeScript(
                    "sessionStorage.setItem('gardien.token', arguments[0]); localStorage.setItem('gardien.lang', 'en')", token);
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(120));
            System.out.println("ms from the start of the navigation; \"first\": the range's first load (the very first one"
                    + " with the browser's cache empty), then the figures of the next loads");
            System.out.printf(Locale.ROOT, "%-6s %5s | %-28s | %-28s | %-28s | %-28s | %s%n", "range", "runs",
                    "page loaded (loadEventEnd)", "last API answer received", "charts drawn", "slowest API call (duration)",
                    "values drawn");
            int n = 0;
            for (String range : ranges) {
                List<double[]> samples = new ArrayList<>();
                long values = 0;
                for (int run = 0; run < runs + 1; run++) {
                    browser.get(url + "/?run=" + (n++) + "#/sites/" + site + "/" + range);
                    wait.until(ExpectedConditions.attributeToBe(By.id("view"), "data-ready", "true"));
                    @SuppressWarnings("unchecked")
                    List<Object> figures = (List<Object>) ((JavascriptExecutor) browser).executeScript(
                            "const nav = performance.getEntriesByType('navigation')[0];"
                                    + "const mark = performance.getEntriesByName('gardien:site-charts-drawn')[0];"
                                    + "const api = performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/'));"
                                    + "const values = [...document.querySelectorAll('.plot[data-values]')]"
                                    + "  .reduce((n, p) => n + Number(p.dataset.values), 0);"
                                    + "return [nav.loadEventEnd, mark.startTime, Math.max(0, ...api.map((e) => e.duration)), values,"
                                    + "  Math.max(0, ...api.map((e) => e.responseEnd))];");
                    values = ((Number) figures.get(3)).longValue();
                    if (run > 0) { // run 0 warms the gateway's and the browser's caches for this range
                        samples.add(new double[] {num(figures.get(0)), num(figures.get(4)), num(figures.get(1)), num(figures.get(2))});
                    } else {
                        System.out.printf(Locale.ROOT, "%-6s %5s | %-28s | %-28s | %-28s | %-28s | %d%n", range, "first",
                                ms(num(figures.get(0))), ms(num(figures.get(4))), ms(num(figures.get(1))), ms(num(figures.get(2))), values);
                    }
                }
                System.out.printf(Locale.ROOT, "%-6s %5d | %-28s | %-28s | %-28s | %-28s | %d%n", range, runs,
                        stats(samples, 0), stats(samples, 1), stats(samples, 2), stats(samples, 3), values);
            }
        } finally {
            browser.quit();
        }
    }

    private static String require(Map<String, String> opts, String key) {
        String value = opts.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + key);
        }
        return value;
    }

    private static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    /** Median, 90th percentile (nearest rank) and maximum of one column. */
    private static String stats(List<double[]> samples, int column) {
        double[] v = samples.stream().mapToDouble(s -> s[column]).sorted().toArray();
        if (v.length == 0) {
            return "-";
        }
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        double p90 = v[(int) Math.ceil(0.9 * v.length) - 1];
        return String.format(Locale.ROOT, "med %.0f p90 %.0f max %.0f", median, p90, v[v.length - 1]);
    }

    private static JsonNode sitePoints(String url, String token, String site) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/sites"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /api/v1/sites answered " + r.statusCode() + ": " + r.body());
        }
        for (JsonNode s : mapper.readTree(r.body()).get("sites")) {
            if (s.get("id").asText().equals(site)) {
                return s.get("equipment");
            }
        }
        throw new IllegalStateException("the token does not see site " + site);
    }

    private static int countPoints(JsonNode equipment) {
        int n = 0;
        for (JsonNode e : equipment) {
            n += e.get("points").size();
        }
        return n;
    }

    /** One reading per point every 15 min over the last {@code days} days: a daily wave plus a slow drift, per point. */
    /**
     * Waits until the rollup maintainer has folded the seeded readings: the week and month views
     * read hourly rollups, and a page measured before they are current draws only part of its
     * values. The maintainer folds the oldest hours first, so the newest seeded hour of every point
     * comes last.
     */
    private static void awaitRollups(String url, String token, JsonNode equipment, Instant end) throws Exception {
        StringBuilder query = new StringBuilder(url).append("/api/v1/series?bucket=1h&agg=count&from=")
                .append(end.minus(Duration.ofHours(1))).append("&to=").append(end);
        int points = 0;
        for (JsonNode e : equipment) {
            for (JsonNode p : e.get("points")) {
                query.append("&point=").append(java.net.URLEncoder.encode(p.get("key").asText(), StandardCharsets.UTF_8));
                points++;
            }
        }
        long started = System.nanoTime();
        long deadline = started + Duration.ofMinutes(10).toNanos();
        while (true) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(query.toString()))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET /api/v1/series answered " + r.statusCode() + ": " + r.body());
            }
            JsonNode body = mapper.readTree(r.body());
            int current = 0;
            for (JsonNode s : body.has("series") ? body.get("series") : mapper.createArrayNode().add(body)) {
                if (s.get("values").size() > 0) {
                    current++;
                }
            }
            if (current == points) {
                System.out.printf(Locale.ROOT, "hourly rollups current %.1f s after the seeding ended%n",
                        (System.nanoTime() - started) / 1e9);
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the hourly rollups did not reach " + end + " within 10 min");
            }
            Thread.sleep(1000);
        }
    }

    /** Returns the end of the seeded range (exclusive): the start of the current hour. */
    private static Instant seed(String url, String device, String secret, JsonNode equipment, int days) throws Exception {
        Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
        long start = end.minus(Duration.ofDays(days)).getEpochSecond();
        List<String[]> points = new ArrayList<>(); // key, unit
        for (JsonNode e : equipment) {
            for (JsonNode p : e.get("points")) {
                points.add(new String[] {p.get("key").asText(), p.get("unit").asText()});
            }
        }
        String auth = "Basic " + Base64.getEncoder().encodeToString((device + ":" + secret).getBytes(StandardCharsets.UTF_8));
        long started = System.nanoTime();
        long readings = 0;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> sent = new ArrayList<>();
            StringBuilder pack = new StringBuilder("[");
            int records = 0;
            for (long t = start; t < end.getEpochSecond(); t += 900) {
                for (int i = 0; i < points.size(); i++) {
                    double day = Math.sin(2 * Math.PI * ((t % 86400) / 86400.0) + i);
                    double value = Math.round((40 + 10 * i % 50 + 8 * day + Math.sin(t / 604800.0 + i) * 3) * 100) / 100.0;
                    if (records > 0) {
                        pack.append(',');
                    }
                    pack.append("{\"n\":\"").append(points.get(i)[0]).append("\",\"u\":\"").append(points.get(i)[1])
                            .append("\",\"t\":").append(t).append(",\"v\":").append(value).append('}');
                    readings++;
                    if (++records == PACK_RECORDS) {
                        sent.add(post(pool, url, auth, pack.append(']').toString()));
                        pack = new StringBuilder("[");
                        records = 0;
                    }
                }
            }
            if (records > 0) {
                sent.add(post(pool, url, auth, pack.append(']').toString()));
            }
            for (Future<Integer> f : sent) {
                int status = f.get();
                if (status != 204 && status != 200) {
                    throw new IllegalStateException("telemetry answered " + status);
                }
            }
        } finally {
            pool.shutdown();
        }
        System.out.printf(Locale.ROOT, "seeded %d readings (%d points, %d days every 15 min) in %.1f s%n",
                readings, points.size(), days, (System.nanoTime() - started) / 1e9);
        return end;
    }

    private static Future<Integer> post(ExecutorService pool, String url, String auth, String body) {
        return pool.submit(() -> {
            for (int attempt = 0; ; attempt++) {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/telemetry"))
                        .header("Authorization", auth).header("Content-Type", "application/senml+json")
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() != 503 || attempt > 20) {
                    return r.statusCode();
                }
                Thread.sleep(1000); // back-pressure: Retry-After 1
            }
        });
    }
}
