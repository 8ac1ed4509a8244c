package fr.gardien.gateway.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static fr.gardien.gateway.PortfolioYaml.DEVICE_TILLEULS;
import static fr.gardien.gateway.PortfolioYaml.equipment;
import static fr.gardien.gateway.PortfolioYaml.marronniers;
import static fr.gardien.gateway.PortfolioYaml.point;
import static fr.gardien.gateway.PortfolioYaml.portfolio;
import static fr.gardien.gateway.PortfolioYaml.tilleuls;

import fr.gardien.gateway.Main;
import fr.gardien.gateway.registry.PortfolioLoader;
import fr.gardien.gateway.registry.SecretHasher;
import fr.gardien.model.Reading;
import fr.gardien.storage.write.BatchWriter;
import fr.gardien.storage.db.Database;
import fr.gardien.storage.db.DatabaseConfig;
import fr.gardien.storage.access.RegistryStore;
import fr.gardien.storage.db.RetentionConfig;
import fr.gardien.storage.access.StoredRegistry;
import fr.gardien.storage.write.WriteBatch;
import fr.gardien.storage.write.WriterConfig;
import fr.gardien.storage.write.WriterMetrics;
import fr.gardien.storage.testing.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The backtest command end to end, in-process through picocli, on a real PostgreSQL holding a
 * week of hot-water readings with a three-hour cold spell in the middle.
 */
@Timeout(120)
class BacktestIT {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final String STORAGE = "tilleuls/ecs-1/storage_temp";
    static final String PORTFOLIO = portfolio(
            tilleuls(equipment("ecs-1", "hot-water", point("storage_temp", "Cel", "heat"),
                    point("loop_return_temp", "Cel", "heat")))
                    + marronniers(equipment("ecs", "hot-water", point("storage_temp", "Cel", "heat"))),
            DEVICE_TILLEULS, "");

    /** Midnight UTC eight days ago: the week ends yesterday, inside retention and partitions. */
    static final Instant WEEK = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(8, ChronoUnit.DAYS);
    static final Instant END = WEEK.plus(7, ChronoUnit.DAYS);
    /** The storage is at 50 °C from COLD (inclusive) for three hours, else about 60 °C. */
    static final Instant COLD = WEEK.plus(3, ChronoUnit.DAYS).plus(12, ChronoUnit.HOURS);

    @TempDir
    static Path dir;
    static DatabaseConfig db;
    static Path config;
    static int readings;

    @BeforeAll
    static void storeAWeek() throws Exception {
        db = TestPostgres.shared().newDatabase(4);
        Path portfolio = dir.resolve("portfolio.yaml");
        Files.writeString(portfolio, PORTFOLIO);
        config = dir.resolve("gardien.yaml");
        Files.writeString(config, "db:\n  url: \"" + db.url() + "\"\n  user: \"" + db.user() + "\"\n  password: \""
                + db.password() + "\"\nportfolio: portfolio.yaml\n");
        try (Database database = Database.open(db, RetentionConfig.of(Duration.ofDays(400)))) {
            StoredRegistry registry = new RegistryStore(database.dataSource())
                    .apply(PortfolioLoader.load(portfolio, SecretHasher.DEFAULT));
            int storage = id(registry, STORAGE);
            int loop = id(registry, "tilleuls/ecs-1/loop_return_temp");
            int other = id(registry, "marronniers/ecs/storage_temp");
            List<Reading> week = new ArrayList<>();
            for (Instant t = WEEK; t.isBefore(END); t = t.plus(5, ChronoUnit.MINUTES)) {
                long micros = ChronoUnit.MICROS.between(Instant.EPOCH, t);
                int i = week.size();
                boolean cold = !t.isBefore(COLD) && t.isBefore(COLD.plus(3, ChronoUnit.HOURS));
                week.add(Reading.numeric(storage, micros, cold ? 50.0 : 60 + Math.sin(i / 7.0)));
                week.add(Reading.numeric(loop, micros, 55 + Math.cos(i / 5.0)));
                // The other site's storage is cold all week: only seen when that site is replayed.
                week.add(Reading.numeric(other, micros, 45 + Math.sin(i / 3.0)));
            }
            week.add(week.get(1000)); // an MQTT redelivery stored twice
            readings = week.size() - 1;
            try (BatchWriter writer = new BatchWriter(database.dataSource(), database.partitions(),
                    WriterConfig.DEFAULTS, WriterMetrics.NOOP)) {
                for (int from = 0; from < week.size(); from += 2000) {
                    writer.offer(WriteBatch.of(week.subList(from, Math.min(week.size(), from + 2000))))
                            .get(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    @AfterAll
    static void nothingWasWritten() throws Exception {
        // Checked once more after every test of the class ran.
        assertNoAlertState();
    }

    private static int id(StoredRegistry registry, String key) {
        return registry.points().stream().filter(p -> p.key().toString().equals(key)).findFirst().orElseThrow().id();
    }

    record Run(int exit, String out, String err) {
        List<String> lines(String containing) {
            return Arrays.stream(out.split("\n")).filter(l -> l.contains(containing)).toList();
        }
    }

    static Run backtest(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("backtest", "--config", config.toString()));
        all.addAll(List.of(args));
        int exit = new CommandLine(new Main()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    static String local(Instant t) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atZone(PARIS));
    }

    static void assertNoAlertState() throws Exception {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                Statement s = c.createStatement()) {
            for (String table : List.of("alerts", "alert_transitions", "outbox", "rule_state")) {
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
                    r.next();
                    assertThat(r.getLong(1)).as("rows in " + table).isZero();
                }
            }
        }
    }

    /**
     * The built-in catalog over the stored week: the storage rule raises one hour into the cold
     * spell and clears 30 min after it ends, at those local times; the storage's 10 K step down
     * also raises hot-water-storage-falling at once, which clears an hour after its 30-min window
     * no longer holds the fall, and hot-water-storage-not-recovering (under 55 °C and falling)
     * 15 min after it, which clears 2 h after its window no longer holds the fall; nothing else
     * fires; the table counts 2 h 30 min active for the storage rule; no alert, transition,
     * outbox entry or rule state is written.
     */
    @Test
    void storedWeekRaisesAndClearsTheColdStorageRuleAtTheRightTimes() throws Exception {
        Run run = backtest("--from", WEEK.toString(), "--to", END.toString(), "--site", "tilleuls", "--lang", "en");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.lines("  tilleuls  ecs-1  ")).hasSize(6);
        assertThat(run.lines("  tilleuls  ecs-1  hot-water-storage-not-recovering  ")).satisfiesExactly(
                raised -> assertThat(raised).startsWith(local(COLD.plus(15, ChronoUnit.MINUTES))
                        + "  tilleuls  ecs-1  hot-water-storage-not-recovering  major  RAISED"),
                cleared -> assertThat(cleared).startsWith(local(COLD.plus(150, ChronoUnit.MINUTES))
                        + "  tilleuls  ecs-1  hot-water-storage-not-recovering  major  CLEARED"));
        List<String> falling = run.lines("  tilleuls  ecs-1  hot-water-storage-falling  ");
        assertThat(falling).hasSize(2);
        assertThat(falling.get(0)).startsWith(local(COLD) + "  tilleuls  ecs-1  hot-water-storage-falling  major  RAISED");
        assertThat(falling.get(1)).startsWith(local(COLD.plus(90, ChronoUnit.MINUTES))
                + "  tilleuls  ecs-1  hot-water-storage-falling  major  CLEARED");
        List<String> signals = run.lines("  tilleuls  ecs-1  hot-water-storage-cold  ");
        assertThat(signals).hasSize(2);
        assertThat(signals.get(0)).startsWith(local(COLD.plus(1, ChronoUnit.HOURS)) + "  tilleuls  ecs-1  "
                + "hot-water-storage-cold  critical  RAISED   Legionella risk: hot-water storage at 50 °C for 1 h");
        assertThat(signals.get(1)).startsWith(local(COLD.plus(210, ChronoUnit.MINUTES)) + "  tilleuls  ecs-1  "
                + "hot-water-storage-cold  critical  CLEARED");
        assertThat(run.lines("hot-water-storage-cold")).last().asString()
                .matches("hot-water-storage-cold\\s+1\\s+1\\s+2 h 30 min");
        assertThat(run.out()).contains((readings - readings / 3) + " readings replayed, 6 signals.");
        assertThat(run.out()).doesNotContain("marronniers");
        assertNoAlertState();
    }

    /** A custom rule at 50 °C stays silent on the same week (exactly at the threshold never triggers). */
    @Test
    void customRulesFileChangesTheResult() throws Exception {
        Path rules = dir.resolve("storage-50.yaml");
        Files.writeString(rules, """
                rules:
                  - id: hot-water-storage-cold
                    description: Tuning the legionella threshold down to 50 °C.
                    applies-to: [hot-water]
                    inputs: {storage: storage_temp}
                    detector: threshold
                    params: {signal: storage, below: 50, hysteresis: 1}
                    for: 1h
                    clear-after: 30m
                    severity: critical
                    category: hot-water
                    urgency: immediate
                    summary:
                      fr: "Ballon à {value} °C depuis {duration}"
                      en: "Storage at {value} °C for {duration}"
                """);

        Run run = backtest("--from", WEEK.toString(), "--to", END.toString(), "--site", "tilleuls",
                "--rules", rules.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("1 rules (" + rules + ")").contains("No alert would have fired.")
                .doesNotContain("RAISED");
    }

    /**
     * Without --site every site is replayed: the other site's storage, cold from the first
     * reading, raises one hour in and is still active at the end, in French by default.
     */
    @Test
    void everySiteByDefaultAndAlertsStillActiveAtTheEnd() {
        Run run = backtest("--from", WEEK.toString(), "--to", END.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.lines("  marronniers  ecs  hot-water-storage-cold")).singleElement().asString()
                .startsWith(local(WEEK.plus(1, ChronoUnit.HOURS)) + "  marronniers  ecs  hot-water-storage-cold"
                        + "  critical  RAISED   Risque légionelle");
        assertThat(run.lines("hot-water-storage-cold")).last().asString()
                .matches("hot-water-storage-cold\\s+2\\s+1\\s+7 j 1 h 30 min \\(1 still active at the end\\)");
    }

    /**
     * A SenML file (one pack per line, and an array of packs) is replayed instead of the
     * database; its unknown point is reported and skipped; --json prints one object per line.
     */
    @Test
    void senmlFileIsReplayedAndUnknownPointsAreReported() throws Exception {
        long t0 = WEEK.getEpochSecond() - 86_400; // a day without stored readings
        StringBuilder file = new StringBuilder();
        List<String> packs = new ArrayList<>();
        for (int m = 0; m < 240; m += 10) {
            double v = m >= 60 && m < 180 ? 49.5 : 61;
            packs.add("[{\"bn\":\"tilleuls/ecs-1/\",\"bt\":" + (t0 + m * 60) + ",\"n\":\"storage_temp\",\"u\":\"Cel\",\"v\":"
                    + v + "},{\"n\":\"loop_return_temp\",\"u\":\"Cel\",\"v\":55}]");
        }
        // The last hour as one array of packs, the rest one pack per line, and one unknown point.
        file.append(String.join("\n", packs.subList(0, 18))).append('\n');
        file.append('[').append(String.join(",", packs.subList(18, packs.size()))).append("]\n");
        file.append("[{\"n\":\"tilleuls/ecs-9/storage_temp\",\"t\":" + t0 + ",\"v\":40}]\n");
        Path senml = dir.resolve("history.senml.json");
        Files.writeString(senml, file);
        Instant from = Instant.ofEpochSecond(t0);

        Run run = backtest("--from", from.toString(), "--to", from.plus(4, ChronoUnit.HOURS).toString(),
                "--senml", senml.toString(), "--json", "--lang", "en");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("unknown point 'tilleuls/ecs-9/storage_temp'").contains("1 record(s) skipped")
                .contains("48 readings replayed, 6 signals.");
        List<JsonObject> lines = Arrays.stream(run.out().split("\n")).map(JsonObject::new).toList();
        // The 11.5 K step down raises hot-water-storage-falling at once (for 0s); its 30-min window
        // holds only cold readings from 90 min, + clear-after 1h.
        assertThat(lines.stream().filter(j -> j.getString("type").equals("signal")
                && j.getString("rule").equals("hot-water-storage-falling")))
                .extracting(j -> j.getString("kind") + " " + j.getString("at"))
                .containsExactly("RAISED " + from.plus(1, ChronoUnit.HOURS), "CLEARED " + from.plus(150, ChronoUnit.MINUTES));
        List<JsonObject> signals = lines.stream().filter(j -> j.getString("type").equals("signal")
                && j.getString("rule").equals("hot-water-storage-cold")).toList();
        assertThat(signals).extracting(j -> j.getString("kind") + " " + j.getString("rule") + " " + j.getString("at"))
                .containsExactly("RAISED hot-water-storage-cold " + from.plus(2, ChronoUnit.HOURS),
                        "CLEARED hot-water-storage-cold " + from.plus(210, ChronoUnit.MINUTES));
        assertThat(signals.get(0).getString("localTime")).isEqualTo(local(from.plus(2, ChronoUnit.HOURS)));
        assertThat(signals.get(0).getString("summary")).startsWith("Legionella risk: hot-water storage at 49.5 °C");
        assertThat(signals.get(0).getJsonObject("explanation").getJsonObject("figures").getDouble("threshold"))
                .isEqualTo(55.0);
        assertThat(lines).filteredOn(j -> j.getString("type").equals("rule")
                && j.getString("rule").equals("hot-water-storage-cold")).singleElement()
                .satisfies(j -> assertThat(j.getString("rule")).isEqualTo("hot-water-storage-cold"))
                .satisfies(j -> assertThat(j.getLong("activeSeconds")).isEqualTo(90 * 60))
                .satisfies(j -> assertThat(j.getInteger("raises")).isEqualTo(1));
    }

    /** Bad arguments exit with 2 and say what is wrong, before or after opening the database. */
    @Test
    void badArgumentsExitWithTwo() {
        String from = WEEK.toString();
        String to = END.toString();
        assertThat(backtest("--from", "yesterday", "--to", to)).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("cannot read --from 'yesterday'");
        });
        assertThat(backtest("--from", to, "--to", from)).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("--from must be before --to");
        });
        assertThat(backtest("--from", from, "--to", from)).extracting(Run::exit).isEqualTo(2);
        assertThat(backtest("--from", from, "--to", to, "--rules", dir.resolve("nope.yaml").toString()))
                .satisfies(r -> {
                    assertThat(r.exit()).isEqualTo(2);
                    assertThat(r.err()).contains("no such rules file or folder");
                });
        assertThat(backtest("--from", from, "--to", to, "--site", "acacias")).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("unknown site 'acacias'").contains("tilleuls, marronniers");
        });
        assertThat(backtest("--to", to).exit()).isEqualTo(2);
    }
}
