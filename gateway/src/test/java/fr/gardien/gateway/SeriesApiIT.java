package fr.gardien.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static fr.gardien.gateway.PortfolioYaml.DEVICE_MARRONNIERS;
import static fr.gardien.gateway.PortfolioYaml.DEVICE_TILLEULS;
import static fr.gardien.gateway.PortfolioYaml.TOKEN_ADMIN;
import static fr.gardien.gateway.PortfolioYaml.TOKEN_ENERGY;
import static fr.gardien.gateway.PortfolioYaml.equipment;
import static fr.gardien.gateway.PortfolioYaml.marronniers;
import static fr.gardien.gateway.PortfolioYaml.point;
import static fr.gardien.gateway.PortfolioYaml.portfolio;
import static fr.gardien.gateway.PortfolioYaml.tilleuls;
import static fr.gardien.gateway.PortfolioYaml.token;

import fr.gardien.storage.testing.TestPostgres;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bucketed series, latest readings and energy views through a running gateway: readings sent over
 * HTTP, rolled up, and read back by tokens of each role.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SeriesApiIT {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final String PORTFOLIO = portfolio(
            tilleuls(equipment("boiler-1", "boiler", point("supply_temp", "Cel", "heat")),
                    equipment("weather", "weather", point("outdoor_temp", "Cel", "climate")),
                    equipment("heat-meter", "heat-meter", point("energy", "kWh", "heat")),
                    equipment("elec", "electricity-meter", point("energy", "Wh", "energy"), point("power", "W", "energy")),
                    equipment("hall", "people-counter", point("count", "count", "occupancy")))
                    + marronniers(equipment("substation", "substation", point("supply_temp", "Cel", "heat"))),
            DEVICE_TILLEULS + DEVICE_MARRONNIERS,
            TOKEN_ADMIN + token("manager-marronniers", "manager-token-0001", "building-manager", "[marronniers]")
                    + token("manager-tilleuls", "manager-token-0002", "building-manager", "[tilleuls]") + TOKEN_ENERGY);
    static final String ADMIN = "admin-token-0001";
    static final String MANAGER_MARRONNIERS = "manager-token-0001";
    static final String MANAGER_TILLEULS = "manager-token-0002";
    static final String ENERGY = "energy-token-0001";
    static final String SUPPLY = "tilleuls/boiler-1/supply_temp";
    static final String OUTDOOR = "tilleuls/weather/outdoor_temp";
    static final String HEAT = "tilleuls/heat-meter/energy";
    static final String ELEC = "tilleuls/elec/energy";
    static final String PEOPLE = "tilleuls/hall/count";
    static final String OTHER = "marronniers/substation/supply_temp";
    /** Three local days, the middle one of 25 hours (end of summer time). */
    static final LocalDate FIRST = LocalDate.of(2026, 10, 24);
    static final LocalDate SPRING = LocalDate.of(2026, 3, 29);
    static final Instant HEAT_RESET = Instant.parse("2026-10-25T11:10:00Z");

    @TempDir
    static Path dir;
    static GatewayHarness harness;
    /** What was sent, by point key and time: the expectations are computed from it. */
    static final Map<String, TreeMap<Instant, Double>> sent = new TreeMap<>();

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(dir.resolve("portfolio.yaml"), PORTFOLIO);
        // The maintainer stays out of the way; the test rolls up when it wants (Gateway.refreshRollups).
        harness = GatewayHarness.start(dir, TestPostgres.shared().newDatabase(), Map.of("rollup.interval", "1h"));
        Instant start = FIRST.atStartOfDay(PARIS).toInstant();
        Instant end = FIRST.plusDays(3).atStartOfDay(PARIS).toInstant();
        double heat = 1000;
        double elec = 500_000;
        int i = 0;
        for (Instant t = start; t.isBefore(end); t = t.plusSeconds(900), i++) {
            int localHour = t.atZone(PARIS).getHour();
            put(SUPPLY, t, 50 + i % 7);
            put(OUTDOOR, t, 2 + localHour / 2.0 + (i % 3) * 0.25);
            heat = !t.isBefore(HEAT_RESET) && t.minusSeconds(900).isBefore(HEAT_RESET) ? 10 : heat + 1.5;
            put(HEAT, t, heat);
            elec += 250;
            put(ELEC, t, elec);
            put(OTHER, t, 60);
            for (int k = 0; k < 3; k++) {
                put(PEOPLE, t.plusSeconds(300L * k), (i + k) % 4);
            }
        }
        Instant spring = SPRING.atStartOfDay(PARIS).toInstant();
        for (Instant t = spring; t.isBefore(SPRING.plusDays(1).atStartOfDay(PARIS).toInstant()); t = t.plusSeconds(900)) {
            put(SUPPLY, t, 45);
        }
        send("gw-tilleuls", "tilleuls-secret-1", key -> key.startsWith("tilleuls/"));
        send("gw-marronniers", "marronniers-secret-1", key -> key.startsWith("marronniers/"));
        assertThat(harness.gateway.refreshRollups()).isPositive();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    /** Hourly averages of one point have the contract's shape and the averages of what was sent. */
    @Test
    void hourlyAveragesHaveTheContractShape() throws Exception {
        Instant from = Instant.parse("2026-10-24T06:00:00Z");
        Instant to = Instant.parse("2026-10-24T12:00:00Z");
        JsonObject body = getJson("/api/v1/series?point=" + SUPPLY + "&from=" + from + "&to=" + to + "&bucket=1h&agg=avg", ADMIN);
        assertThat(body.getString("point")).isEqualTo(SUPPLY);
        assertThat(body.getString("unit")).isEqualTo("Cel");
        assertThat(body.getString("bucket")).isEqualTo("1h");
        assertThat(body.getString("agg")).isEqualTo("avg");
        JsonArray values = body.getJsonArray("values");
        assertThat(values).hasSize(6);
        for (int h = 0; h < 6; h++) {
            Instant t = from.plusSeconds(3600L * h);
            double expected = sent.get(SUPPLY).subMap(t, t.plusSeconds(3600)).values().stream().mapToDouble(d -> d).average().orElseThrow();
            assertThat(values.getJsonObject(h).getString("t")).isEqualTo(t.toString());
            assertThat(values.getJsonObject(h).getDouble("v")).isCloseTo(expected, within(1e-9));
        }
    }

    /** Days follow Europe/Paris: the spring day counts 23 hours of readings, the autumn day 25, each starting at local midnight. */
    @Test
    void dailyBucketsFollowTheSiteTimeZoneAcrossDst() throws Exception {
        JsonObject autumn = getJson("/api/v1/series?point=" + SUPPLY + "&from=2026-10-23T22:00:00Z&to=2026-10-26T23:00:00Z&bucket=1d&agg=count", ADMIN);
        JsonArray days = autumn.getJsonArray("values");
        assertThat(days).hasSize(3);
        assertThat(days.getJsonObject(1).getString("t")).isEqualTo(Instant.parse("2026-10-24T22:00:00Z").toString());
        assertThat(days.getJsonObject(1).getDouble("v")).isEqualTo(25 * 4.0);
        assertThat(days.getJsonObject(2).getString("t")).isEqualTo(Instant.parse("2026-10-25T23:00:00Z").toString());
        assertThat(days.getJsonObject(0).getDouble("v")).isEqualTo(24 * 4.0);
        JsonObject spring = getJson("/api/v1/series?point=" + SUPPLY + "&from=2026-03-28T23:00:00Z&to=2026-03-29T22:00:00Z&bucket=1d&agg=count", ADMIN);
        assertThat(spring.getJsonArray("values")).hasSize(1);
        assertThat(spring.getJsonArray("values").getJsonObject(0).getDouble("v")).isEqualTo(23 * 4.0);
        assertThat(spring.getString("to")).isEqualTo("2026-03-29T22:00:00Z");
    }

    /** Delta is the consumption per bucket, through the heat meter's reset: the new index counts from its first value. */
    @Test
    void deltaCountsConsumptionAcrossAMeterReset() throws Exception {
        JsonObject body = getJson("/api/v1/series?point=" + HEAT + "&from=2026-10-23T22:00:00Z&to=2026-10-26T23:00:00Z&bucket=1d&agg=delta", ENERGY);
        JsonArray days = body.getJsonArray("values");
        assertThat(days).hasSize(3);
        for (int d = 0; d < 3; d++) {
            LocalDate date = FIRST.plusDays(d);
            assertThat(days.getJsonObject(d).getDouble("v")).as(date.toString()).isCloseTo(expectedDelta(HEAT, date), within(1e-9));
        }
        assertThat(expectedDelta(HEAT, FIRST.plusDays(1))).isLessThan(25 * 4 * 1.5);
    }

    /** Several points come back in the multi-series shape, and as CSV with a point column. */
    @Test
    void severalPointsAsJsonAndCsv() throws Exception {
        String query = "/api/v1/series?point=" + SUPPLY + "&point=" + ELEC + "&from=2026-10-24T00:00:00Z&to=2026-10-24T02:00:00Z&bucket=1h&agg=max";
        JsonObject body = getJson(query, ADMIN);
        assertThat(body.getString("bucket")).isEqualTo("1h");
        assertThat(body.getString("agg")).isEqualTo("max");
        JsonArray series = body.getJsonArray("series");
        assertThat(series).hasSize(2);
        assertThat(series.getJsonObject(1).getString("point")).isEqualTo(ELEC);
        assertThat(series.getJsonObject(1).getString("unit")).isEqualTo("Wh");
        assertThat(series.getJsonObject(1).getJsonArray("values").getJsonObject(0).getDouble("v"))
                .isEqualTo(sent.get(ELEC).subMap(Instant.parse("2026-10-24T00:00:00Z"), Instant.parse("2026-10-24T01:00:00Z"))
                        .values().stream().mapToDouble(d -> d).max().orElseThrow());
        HttpResponse<String> csv = harness.get(query, ADMIN, "text/csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).get().asString().startsWith("text/csv");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo("point,t,v");
        assertThat(lines).hasSize(5);
        assertThat(lines.get(3)).startsWith(ELEC + ",2026-10-24T00:00:00Z,");
    }

    /** The same hourly and daily queries answer alike from the rollups and from raw readings sent late, once rolled up. */
    @Test
    void lateReadingsAreFoldedIntoBucketedAnswers() throws Exception {
        String query = "/api/v1/series?point=" + OTHER + "&from=2026-10-23T22:00:00Z&to=2026-10-26T23:00:00Z&bucket=1d&agg=max";
        assertThat(getJson(query, ADMIN).getJsonArray("values").getJsonObject(1).getDouble("v")).isEqualTo(60);
        long late = Instant.parse("2026-10-25T09:07:00Z").getEpochSecond();
        HttpResponse<String> posted = harness.post("/api/v1/telemetry", "application/senml+json",
                ("[{\"n\":\"" + OTHER + "\",\"u\":\"Cel\",\"t\":" + late + ",\"v\":71}]").getBytes(StandardCharsets.UTF_8),
                "gw-marronniers", "marronniers-secret-1");
        assertThat(posted.statusCode()).isEqualTo(204);
        harness.gateway.refreshRollups();
        assertThat(getJson(query, ADMIN).getJsonArray("values").getJsonObject(1).getDouble("v")).isEqualTo(71);
        JsonObject hourly = getJson("/api/v1/series?point=" + OTHER + "&from=2026-10-25T09:00:00Z&to=2026-10-25T10:00:00Z&bucket=1h&agg=count", ADMIN);
        JsonObject quarter = getJson("/api/v1/series?point=" + OTHER + "&from=2026-10-25T09:00:00Z&to=2026-10-25T10:00:00Z&bucket=30m&agg=count", ADMIN);
        double fromQuarters = quarter.getJsonArray("values").stream().mapToDouble(v -> ((JsonObject) v).getDouble("v")).sum();
        assertThat(hourly.getJsonArray("values").getJsonObject(0).getDouble("v")).isEqualTo(5).isEqualTo(fromQuarters);
    }

    /**
     * Issue 11: a bucketed count asked right after the 204 holds every reading acknowledged, with
     * no rollup pass in between (the maintainer runs hourly here), a resent reading counted once.
     */
    @Test
    void aBucketedCountRightAfterTheAcknowledgementIsExact() throws Exception {
        Instant day = LocalDate.of(2026, 11, 5).atStartOfDay(PARIS).toInstant();
        String hourly = "/api/v1/series?point=" + OTHER + "&from=" + day.plusSeconds(7200) + "&to=" + day.plusSeconds(10800)
                + "&bucket=1h&agg=count";
        String daily = "/api/v1/series?point=" + OTHER + "&from=" + day + "&to=" + day.plusSeconds(86400) + "&bucket=1d&agg=";
        java.util.TreeMap<Long, Double> stored = new java.util.TreeMap<>();
        for (int post = 0; post < 3; post++) {
            StringBuilder pack = new StringBuilder("[");
            // Each post repeats the previous post's last reading: a resend after a lost acknowledgement.
            int first = post == 0 ? 0 : post * 20 - 1;
            for (int k = first; k < (post + 1) * 20; k++) {
                long t = day.getEpochSecond() + 7200 + k * 60L;
                stored.put(t, 40.0 + k);
                pack.append(pack.length() > 1 ? "," : "").append("{\"n\":\"").append(OTHER).append("\",\"u\":\"Cel\",\"t\":")
                        .append(t).append(",\"v\":").append(40.0 + k).append('}');
            }
            HttpResponse<String> posted = harness.post("/api/v1/telemetry", "application/senml+json",
                    pack.append(']').toString().getBytes(StandardCharsets.UTF_8), "gw-marronniers", "marronniers-secret-1");
            assertThat(posted.statusCode()).isEqualTo(204);
            assertThat(getJson(hourly, ADMIN).getJsonArray("values").getJsonObject(0).getDouble("v")).isEqualTo(stored.size());
            assertThat(getJson(daily + "count", ADMIN).getJsonArray("values").getJsonObject(0).getDouble("v")).isEqualTo(stored.size());
            assertThat(getJson(daily + "sum", ADMIN).getJsonArray("values").getJsonObject(0).getDouble("v"))
                    .isCloseTo(stored.values().stream().mapToDouble(d -> d).sum(), within(1e-9));
        }
    }

    /** A building manager reads its own site and gets 403 for another site's point, site or energy view. */
    @Test
    void buildingManagersAreScopedToTheirSites() throws Exception {
        String q = "&from=2026-10-24T00:00:00Z&to=2026-10-25T00:00:00Z&bucket=1h";
        assertThat(harness.get("/api/v1/series?point=" + OTHER + q, MANAGER_MARRONNIERS).statusCode()).isEqualTo(200);
        assertThat(harness.get("/api/v1/series?point=" + SUPPLY + q, MANAGER_MARRONNIERS).statusCode()).isEqualTo(403);
        assertThat(harness.get("/api/v1/series?point=" + OTHER + "&point=" + SUPPLY + q, MANAGER_MARRONNIERS).statusCode()).isEqualTo(403);
        assertThat(harness.get("/api/v1/sites/tilleuls/latest", MANAGER_MARRONNIERS).statusCode()).isEqualTo(403);
        assertThat(harness.get("/api/v1/sites/marronniers/latest", MANAGER_MARRONNIERS).statusCode()).isEqualTo(200);
        assertThat(harness.get("/api/v1/energy/consumption?category=heat&bucket=1d&from=2026-10-24T00:00:00Z&to=2026-10-25T00:00:00Z&site=tilleuls",
                MANAGER_MARRONNIERS).statusCode()).isEqualTo(403);
        JsonObject own = getJson("/api/v1/energy/consumption?category=heat&bucket=1d&from=2026-10-24T00:00:00Z&to=2026-10-25T00:00:00Z",
                MANAGER_MARRONNIERS);
        assertThat(own.getJsonArray("sites")).isEmpty(); // marronniers has no heat meter; tilleuls is not listed
        assertThat(harness.get("/api/v1/series?point=" + SUPPLY + q, null).statusCode()).isEqualTo(401);
    }

    /** Bad parameters answer 400 problem+json naming the parameter. */
    @Test
    void badInputIsRefusedNamingTheParameter() throws Exception {
        String base = "/api/v1/series?point=" + SUPPLY;
        assertProblem(base + "&bucket=2h", "bucket");
        assertProblem(base + "&bucket=1h&agg=median", "agg");
        assertProblem(base + "&bucket=1h&from=yesterday", "from");
        assertProblem(base + "&agg=avg", "bucket");
        assertProblem(base + "&bucket=1m&from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "buckets");
        assertProblem("/api/v1/energy/consumption?category=gas&bucket=1d&from=2026-10-24T00:00:00Z&to=2026-10-25T00:00:00Z", "category");
        assertProblem("/api/v1/energy/heating?bucket=1h&from=2026-10-24T00:00:00Z&to=2026-10-25T00:00:00Z", "bucket");
        assertProblem("/api/v1/energy/heating?bucket=1d&to=2026-10-25T00:00:00Z", "from");
        // Raw values still come without a bucket.
        JsonObject raw = getJson(base + "&from=2026-10-24T00:00:00Z&to=2026-10-24T01:00:00Z", ADMIN);
        assertThat(raw.getJsonArray("values")).hasSize(4);
    }

    /**
     * Occupancy is served only in buckets of 15 minutes or more, as sums, counts or averages; a
     * building manager and an admin see buckets of at least 5 people only, the energy team all.
     */
    @Test
    void occupancyIsAggregatedAndThresholdedByRole() throws Exception {
        String range = "&from=2026-10-24T00:00:00Z&to=2026-10-24T06:00:00Z";
        assertThat(harness.get("/api/v1/series?point=" + PEOPLE + range, ENERGY).statusCode()).isEqualTo(400);
        assertThat(harness.get("/api/v1/series?point=" + PEOPLE + range + "&bucket=5m&agg=sum", ENERGY).statusCode()).isEqualTo(400);
        assertThat(harness.get("/api/v1/series?point=" + PEOPLE + range + "&bucket=15m&agg=max", ENERGY).statusCode()).isEqualTo(400);
        TreeMap<Instant, Double> quarterSums = new TreeMap<>();
        sent.get(PEOPLE).subMap(Instant.parse("2026-10-24T00:00:00Z"), Instant.parse("2026-10-24T06:00:00Z"))
                .forEach((t, v) -> quarterSums.merge(Instant.ofEpochSecond(t.getEpochSecond() / 900 * 900), v, Double::sum));
        assertThat(quarterSums.values()).anyMatch(v -> v < 5).anyMatch(v -> v >= 5);
        for (String token : List.of(ENERGY, ADMIN, MANAGER_TILLEULS)) {
            JsonArray values = getJson("/api/v1/series?point=" + PEOPLE + range + "&bucket=15m&agg=sum", token).getJsonArray("values");
            assertThat(values).hasSize(quarterSums.size());
            int i = 0;
            for (Map.Entry<Instant, Double> e : quarterSums.entrySet()) {
                JsonObject v = values.getJsonObject(i++);
                assertThat(v.getString("t")).isEqualTo(e.getKey().toString());
                if (token.equals(ENERGY) || e.getValue() >= 5) {
                    assertThat(v.getDouble("v")).as(token + " " + e.getKey()).isEqualTo(e.getValue());
                } else {
                    assertThat(v.getValue("v")).as(token + " " + e.getKey()).isNull();
                }
            }
        }
        // An hour sums four quarters: every bucket reaches the minimum, so the manager sees them all.
        JsonArray hours = getJson("/api/v1/series?point=" + PEOPLE + range + "&bucket=1h&agg=sum", MANAGER_TILLEULS).getJsonArray("values");
        assertThat(hours).hasSize(6).allMatch(v -> ((JsonObject) v).getValue("v") != null);
    }

    /** Latest gives every point's last reading, and for occupancy the last 15-minute sum under the rule. */
    @Test
    void latestReadingsOfASite() throws Exception {
        JsonObject body = getJson("/api/v1/sites/tilleuls/latest", ADMIN);
        assertThat(body.getString("site")).isEqualTo("tilleuls");
        Map<String, JsonObject> byPoint = new TreeMap<>();
        body.getJsonArray("points").forEach(p -> byPoint.put(((JsonObject) p).getString("point"), (JsonObject) p));
        assertThat(byPoint).containsKeys(SUPPLY, OUTDOOR, HEAT, ELEC, PEOPLE).doesNotContainKey("tilleuls/elec/power");
        Map.Entry<Instant, Double> lastSupply = sent.get(SUPPLY).lastEntry();
        assertThat(byPoint.get(SUPPLY).getString("t")).isEqualTo(lastSupply.getKey().toString());
        assertThat(byPoint.get(SUPPLY).getDouble("v")).isEqualTo(lastSupply.getValue());
        assertThat(byPoint.get(SUPPLY).getString("category")).isEqualTo("heat");
        Instant lastQuarter = Instant.ofEpochSecond(sent.get(PEOPLE).lastKey().getEpochSecond() / 900 * 900);
        double lastSum = sent.get(PEOPLE).tailMap(lastQuarter).values().stream().mapToDouble(d -> d).sum();
        JsonObject people = byPoint.get(PEOPLE);
        assertThat(people.getString("t")).isEqualTo(lastQuarter.toString());
        if (lastSum >= 5) {
            assertThat(people.getDouble("v")).isEqualTo(lastSum);
        } else {
            assertThat(people.getValue("v")).isNull();
        }
        JsonObject energyView = getJson("/api/v1/sites/tilleuls/latest", ENERGY).getJsonArray("points").stream()
                .map(p -> (JsonObject) p).filter(p -> p.getString("point").equals(PEOPLE)).findFirst().orElseThrow();
        assertThat(energyView.getDouble("v")).isEqualTo(lastSum);
    }

    /** Daily and monthly consumption per site sums the deltas of the category's index points, in the site unit. */
    @Test
    void consumptionPerSitePerDayAndMonth() throws Exception {
        JsonObject body = getJson("/api/v1/energy/consumption?category=energy&bucket=1d&from=2026-10-23T22:00:00Z&to=2026-10-26T23:00:00Z", ENERGY);
        assertThat(body.getString("category")).isEqualTo("energy");
        JsonArray sites = body.getJsonArray("sites");
        assertThat(sites).hasSize(1);
        JsonObject site = sites.getJsonObject(0);
        assertThat(site.getString("site")).isEqualTo("tilleuls");
        assertThat(site.getString("name")).isEqualTo("Résidence Les Tilleuls");
        assertThat(site.getString("unit")).isEqualTo("kWh");
        double total = 0;
        for (int d = 0; d < 3; d++) {
            double expected = expectedDelta(ELEC, FIRST.plusDays(d)) / 1000;
            assertThat(site.getJsonArray("values").getJsonObject(d).getDouble("v")).isCloseTo(expected, within(1e-9));
            total += expected;
        }
        assertThat(site.getDouble("total")).isCloseTo(total, within(1e-9));
        JsonObject month = getJson("/api/v1/energy/consumption?category=heat&bucket=1mo&from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00Z&site=tilleuls", ADMIN);
        JsonObject heat = month.getJsonArray("sites").getJsonObject(0);
        assertThat(heat.getJsonArray("values")).hasSize(1);
        assertThat(heat.getJsonArray("values").getJsonObject(0).getString("t")).isEqualTo("2026-09-30T22:00:00Z");
        double heatTotal = 0;
        for (int d = 0; d < 3; d++) {
            heatTotal += expectedDelta(HEAT, FIRST.plusDays(d));
        }
        assertThat(heat.getDouble("total")).isCloseTo(heatTotal, within(1e-9));
    }

    /** Heating per day is normalised by DJU, base 18 °C, from the site's outdoor temperature: 18 − (Tmin + Tmax) / 2. */
    @Test
    void heatingIsNormalisedByDegreeDays() throws Exception {
        JsonObject body = getJson("/api/v1/energy/heating?bucket=1d&from=2026-10-23T22:00:00Z&to=2026-10-26T23:00:00Z&site=tilleuls", ENERGY);
        assertThat(body.getInteger("base")).isEqualTo(18);
        JsonArray values = body.getJsonArray("sites").getJsonObject(0).getJsonArray("values");
        assertThat(values).hasSize(3);
        double monthDju = 0;
        for (int d = 0; d < 3; d++) {
            LocalDate date = FIRST.plusDays(d);
            TreeMap<Instant, Double> day = new TreeMap<>(sent.get(OUTDOOR).subMap(date.atStartOfDay(PARIS).toInstant(),
                    date.plusDays(1).atStartOfDay(PARIS).toInstant()));
            double min = day.values().stream().mapToDouble(v -> v).min().orElseThrow();
            double max = day.values().stream().mapToDouble(v -> v).max().orElseThrow();
            double dju = Math.max(0, 18 - (min + max) / 2);
            monthDju += dju;
            JsonObject v = values.getJsonObject(d);
            assertThat(v.getDouble("dju")).isCloseTo(dju, within(1e-9));
            assertThat(v.getDouble("consumption")).isCloseTo(expectedDelta(HEAT, date), within(1e-9));
            assertThat(v.getDouble("perDju")).isCloseTo(expectedDelta(HEAT, date) / dju, within(1e-9));
        }
        JsonObject month = getJson("/api/v1/energy/heating?bucket=1mo&from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00Z", ENERGY);
        JsonObject tilleuls = month.getJsonArray("sites").stream().map(s -> (JsonObject) s)
                .filter(s -> s.getString("site").equals("tilleuls")).findFirst().orElseThrow();
        assertThat(tilleuls.getJsonArray("values").getJsonObject(0).getDouble("dju")).isCloseTo(monthDju, within(1e-9));
    }

    /**
     * The consumption of a local day as the README defines it, from what was sent: the positive
     * steps between consecutive readings whose later one falls in the day; a fall (meter reset)
     * counts nothing.
     */
    private static double expectedDelta(String key, LocalDate date) {
        Instant from = date.atStartOfDay(PARIS).toInstant();
        Instant to = date.plusDays(1).atStartOfDay(PARIS).toInstant();
        double total = 0;
        Double previous = null;
        for (Map.Entry<Instant, Double> e : sent.get(key).entrySet()) {
            if (previous != null && !e.getKey().isBefore(from) && e.getKey().isBefore(to)) {
                total += Math.max(0, e.getValue() - previous);
            }
            previous = e.getValue();
        }
        return total;
    }

    private static void assertProblem(String query, String parameter) throws Exception {
        HttpResponse<String> r = harness.get(query, ADMIN);
        assertThat(r.statusCode()).as(query).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("application/problem+json");
        assertThat(new JsonObject(r.body()).getString("detail")).as(query).contains(parameter);
    }

    private static JsonObject getJson(String query, String token) throws Exception {
        HttpResponse<String> r = harness.get(query, token);
        assertThat(r.statusCode()).as(query + " → " + r.body()).isEqualTo(200);
        return new JsonObject(r.body());
    }

    private static void put(String key, Instant t, double v) {
        sent.computeIfAbsent(key, k -> new TreeMap<>()).put(t, v);
    }

    private static void send(String device, String secret, Function<String, Boolean> mine) throws Exception {
        List<String> records = new ArrayList<>();
        sent.forEach((key, values) -> {
            if (mine.apply(key)) {
                String unit = harnessUnit(key);
                values.forEach((t, v) -> records.add("{\"n\":\"" + key + "\",\"u\":\"" + unit + "\",\"t\":" + t.getEpochSecond()
                        + ",\"v\":" + v + "}"));
            }
        });
        for (int i = 0; i < records.size(); i += 500) {
            String pack = "[" + String.join(",", records.subList(i, Math.min(records.size(), i + 500))) + "]";
            HttpResponse<String> r = harness.post("/api/v1/telemetry", "application/senml+json", pack.getBytes(StandardCharsets.UTF_8),
                    device, secret);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        }
    }

    private static String harnessUnit(String key) {
        return switch (key) {
            case HEAT -> "kWh";
            case ELEC -> "Wh";
            case PEOPLE -> "count";
            default -> "Cel";
        };
    }
}
