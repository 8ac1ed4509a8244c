package fr.gardien.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static fr.gardien.gateway.PortfolioYaml.DEVICE_TILLEULS;
import static fr.gardien.gateway.PortfolioYaml.TOKEN_ADMIN;
import static fr.gardien.gateway.PortfolioYaml.TOKEN_ENERGY;
import static fr.gardien.gateway.PortfolioYaml.TOKEN_MANAGER_TILLEULS;
import static fr.gardien.gateway.PortfolioYaml.equipment;
import static fr.gardien.gateway.PortfolioYaml.point;
import static fr.gardien.gateway.PortfolioYaml.portfolio;
import static fr.gardien.gateway.PortfolioYaml.tilleuls;

import fr.gardien.storage.series.Bucket;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The curious building manager (issue 14): with every query allowed to the role, tries to learn the
 * people count of a 15-minute interval below {@code api.occupancy-min-count}, or of one still
 * filling, by differencing bucket sizes, aggregates, shifted time ranges and successive polls.
 * The energy team's answers, which are not restricted, show that such intervals exist.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OccupancyDifferencingIT {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final String PORTFOLIO = portfolio(
            tilleuls(equipment("hall", "people-counter", point("count", "count", "occupancy"))),
            DEVICE_TILLEULS, TOKEN_ADMIN + TOKEN_MANAGER_TILLEULS + TOKEN_ENERGY);
    static final String MANAGER = "manager-token-0002";
    static final String ADMIN = "admin-token-0001";
    static final String ENERGY = "energy-token-0001";
    static final String PEOPLE = "tilleuls/hall/count";
    static final int MIN = 5;

    @TempDir
    static Path dir;
    static GatewayHarness harness;
    /** Every reading sent, by time: the ground truth the answers are judged against. */
    static final TreeMap<Instant, Double> sent = new TreeMap<>();
    /** Three local days ending three days ago. */
    static LocalDate first;

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(dir.resolve("portfolio.yaml"), PORTFOLIO);
        harness = GatewayHarness.start(dir, TestPostgres.shared().newDatabase(),
                Map.of("api.occupancy-min-count", Integer.toString(MIN)));
        first = LocalDate.now(PARIS).minusDays(6);
        Instant from = first.atStartOfDay(PARIS).toInstant();
        Instant to = first.plusDays(3).atStartOfDay(PARIS).toInstant();
        List<String> records = new ArrayList<>();
        int i = 0;
        for (Instant t = from; t.isBefore(to); t = t.plusSeconds(900), i++) {
            for (int k = 0; k < 3; k++) {
                // Quarter sums of 3 to 6, half of them below the minimum; at night, whole hours below it.
                int hour = (i / 4) % 24;
                double v = hour == 2 || hour == 3 ? (k == 0 ? i % 3 : 0) : (i * 5 + k * 3 + i / 16) % 4;
                records.add(record(t.plusSeconds(300L * k), v));
            }
        }
        send(records);
        harness.gateway.refreshRollups();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    /**
     * Every answer given to the manager and the admin, whatever the bucket, aggregate, range or
     * format, is the sum (count, average) of the closed quarters that reach the minimum: what the
     * suppressed quarters hold never enters an answer, so no difference of answers recovers it.
     */
    @Test
    void everyAnswerIsMadeOfVisibleQuartersOnly() throws Exception {
        Instant day = first.plusDays(1).atStartOfDay(PARIS).toInstant();
        List<String[]> ranges = List.of(
                new String[] {day.toString(), day.plus(1, ChronoUnit.DAYS).toString()},
                new String[] {day.plusSeconds(7 * 60).toString(), day.plus(1, ChronoUnit.DAYS).plusSeconds(7 * 60).toString()},
                new String[] {day.plusSeconds(3600 * 5 + 1800).toString(), day.plusSeconds(3600 * 8 + 1800).toString()},
                new String[] {first.atStartOfDay(PARIS).toInstant().toString(), Instant.now().toString()});
        int checked = 0;
        for (String token : List.of(MANAGER, ADMIN)) {
            for (Bucket bucket : List.of(Bucket.FIFTEEN_MINUTES, Bucket.HALF_HOUR, Bucket.HOUR, Bucket.DAY, Bucket.WEEK, Bucket.MONTH)) {
                for (String agg : List.of("sum", "count", "avg")) {
                    for (String[] range : ranges) {
                        JsonArray values = series(token, bucket, agg, range[0], range[1]).getJsonArray("values");
                        for (int i = 0; i < values.size(); i++) {
                            JsonObject v = values.getJsonObject(i);
                            Instant start = Instant.parse(v.getString("t"));
                            double[] visible = visible(start, bucket.next(start, PARIS));
                            String what = token + " " + bucket.text() + " " + agg + " " + start;
                            if (visible[0] == 0) {
                                assertThat(v.getValue("v")).as(what).isNull();
                            } else {
                                double expected = switch (agg) {
                                    case "sum" -> visible[1];
                                    case "count" -> visible[0];
                                    default -> visible[1] / visible[0];
                                };
                                assertThat(v.getDouble("v")).as(what).isCloseTo(expected, within(1e-9));
                            }
                            checked++;
                        }
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(1000);
        // CSV carries the same values.
        HttpResponse<String> csv = harness.get("/api/v1/series?point=" + PEOPLE + "&bucket=1h&agg=sum&from=" + day + "&to="
                + day.plus(1, ChronoUnit.DAYS), MANAGER, "text/csv");
        String[] lines = csv.body().split("\n");
        assertThat(lines).hasSize(25);
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",", -1);
            Instant start = Instant.parse(cells[0]);
            double[] visible = visible(start, start.plusSeconds(3600));
            assertThat(cells[1]).as(lines[i]).isEqualTo(visible[0] == 0 ? "" : Double.toString(visible[1]));
        }
    }

    /**
     * The classic attack: an hour minus its visible quarters, a day minus its hours. The energy
     * team's figures show the hours where a suppressed quarter held people; the manager's
     * differences there are zero.
     */
    @Test
    void largerBucketsMinusTheirVisiblePartsLeaveNothing() throws Exception {
        Instant day = first.plusDays(1).atStartOfDay(PARIS).toInstant();
        String from = day.toString();
        String to = day.plus(1, ChronoUnit.DAYS).toString();
        Map<Instant, Double> quarters = byStart(series(MANAGER, Bucket.FIFTEEN_MINUTES, "sum", from, to));
        Map<Instant, Double> hours = byStart(series(MANAGER, Bucket.HOUR, "sum", from, to));
        Map<Instant, Double> energyHours = byStart(series(ENERGY, Bucket.HOUR, "sum", from, to));
        Map<Instant, Double> energyQuarters = byStart(series(ENERGY, Bucket.FIFTEEN_MINUTES, "sum", from, to));
        int hoursHidingPeople = 0;
        for (Map.Entry<Instant, Double> hour : hours.entrySet()) {
            double parts = 0;
            double truth = 0;
            boolean hidden = false;
            for (int q = 0; q < 4; q++) {
                Instant start = hour.getKey().plusSeconds(900L * q);
                parts += quarters.getOrDefault(start, 0.0) == null ? 0 : quarters.getOrDefault(start, 0.0);
                double energy = energyQuarters.getOrDefault(start, 0.0);
                truth += energy;
                hidden |= energy > 0 && energy < MIN;
            }
            double served = hour.getValue() == null ? 0 : hour.getValue();
            assertThat(served - parts).as("hour " + hour.getKey() + " minus its quarters").isZero();
            if (hidden) {
                hoursHidingPeople++;
                assertThat(energyHours.get(hour.getKey())).isEqualTo(truth).isGreaterThan(served);
            }
        }
        assertThat(hoursHidingPeople).as("hours where a suppressed quarter counted people").isGreaterThan(5);
        Double dayValue = byStart(series(MANAGER, Bucket.DAY, "sum", from, to)).get(day);
        double sumOfHours = hours.values().stream().mapToDouble(v -> v == null ? 0 : v).sum();
        assertThat(dayValue).isEqualTo(sumOfHours);
    }

    /**
     * Polling: a reading arriving in the quarter still filling changes no answer, neither the
     * site's latest values nor a series that ends now, whatever the bucket; the energy team sees it.
     */
    @Test
    void pollsAroundAFillingQuarterShowNoDifference() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant closedQuarter = Instant.ofEpochSecond((now.getEpochSecond() - 1800) / 900 * 900 - 900);
        send(List.of(record(closedQuarter.plusSeconds(60), 7)));
        send(List.of(record(now.minusSeconds(20), 6)));
        String from = now.minusSeconds(3 * 3600).toString();
        List<String> before = polls(from);
        JsonObject latestBefore = latest(MANAGER);
        assertThat(latestBefore.getString("t")).isEqualTo(closedQuarter.toString());
        assertThat(latestBefore.getDouble("v")).isEqualTo(7.0);
        double energyBefore = latest(ENERGY).getDouble("v");
        send(List.of(record(now.minusSeconds(10), 3)));
        assertThat(polls(from)).isEqualTo(before);
        assertThat(latest(MANAGER).encode()).isEqualTo(latestBefore.encode());
        assertThat(latest(ENERGY).getDouble("v")).isEqualTo(energyBefore + 3);
    }

    private static List<String> polls(String from) throws Exception {
        List<String> answers = new ArrayList<>();
        for (Bucket bucket : List.of(Bucket.FIFTEEN_MINUTES, Bucket.HOUR, Bucket.DAY)) {
            for (String agg : List.of("sum", "count")) {
                JsonObject body = series(MANAGER, bucket, agg, from, Instant.now().plusSeconds(60).toString());
                answers.add(bucket.text() + agg + body.getJsonArray("values").encode());
            }
        }
        return answers;
    }

    private static JsonObject latest(String token) throws Exception {
        HttpResponse<String> r = harness.get("/api/v1/sites/tilleuls/latest", token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new JsonObject(r.body()).getJsonArray("points").stream().map(p -> (JsonObject) p)
                .filter(p -> p.getString("point").equals(PEOPLE)).findFirst().orElseThrow();
    }

    /** {count, sum} of the readings of closed quarters in [from, to) whose quarter sum reaches the minimum. */
    private static double[] visible(Instant from, Instant to) {
        Map<Instant, double[]> quarters = new TreeMap<>();
        Instant closed = Instant.ofEpochSecond((Instant.now().getEpochSecond() - 900) / 900 * 900);
        sent.subMap(from, to).forEach((t, v) -> {
            double[] q = quarters.computeIfAbsent(Instant.ofEpochSecond(t.getEpochSecond() / 900 * 900), k -> new double[2]);
            q[0]++;
            q[1] += v;
        });
        double[] out = new double[2];
        quarters.forEach((start, q) -> {
            if (q[1] >= MIN && !start.plusSeconds(900).isAfter(closed)) {
                out[0] += q[0];
                out[1] += q[1];
            }
        });
        return out;
    }

    private static Map<Instant, Double> byStart(JsonObject body) {
        Map<Instant, Double> out = new TreeMap<>();
        body.getJsonArray("values").forEach(v -> out.put(Instant.parse(((JsonObject) v).getString("t")),
                ((JsonObject) v).getDouble("v")));
        return out;
    }

    private static JsonObject series(String token, Bucket bucket, String agg, String from, String to) throws Exception {
        HttpResponse<String> r = harness.get("/api/v1/series?point=" + PEOPLE + "&bucket=" + bucket.text() + "&agg=" + agg
                + "&from=" + from + "&to=" + to, token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new JsonObject(r.body());
    }

    private static String record(Instant t, double v) {
        sent.put(t, v);
        return "{\"n\":\"" + PEOPLE + "\",\"u\":\"count\",\"t\":" + t.getEpochSecond() + ",\"v\":" + v + "}";
    }

    private static void send(List<String> records) throws Exception {
        for (int i = 0; i < records.size(); i += 500) {
            String pack = "[" + String.join(",", records.subList(i, Math.min(records.size(), i + 500))) + "]";
            HttpResponse<String> r = harness.post("/api/v1/telemetry", "application/senml+json",
                    pack.getBytes(StandardCharsets.UTF_8), "gw-tilleuls", "tilleuls-secret-1");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        }
    }
}
