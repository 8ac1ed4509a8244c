package fr.gardien.gateway.backtest;

import ch.qos.logback.classic.Level;
import fr.gardien.gateway.config.ConfigException;
import fr.gardien.gateway.config.ConfigLoader;
import fr.gardien.gateway.config.GardienConfig;
import fr.gardien.gateway.registry.Registry;
import fr.gardien.gateway.rules.Bindings;
import fr.gardien.gateway.rules.OccupancyRedaction;
import fr.gardien.gateway.rules.RuleFiles;
import fr.gardien.model.Reading;
import fr.gardien.model.RegisteredPoint;
import fr.gardien.model.Site;
import fr.gardien.rules.EquipmentBinding;
import fr.gardien.rules.RuleEngine;
import fr.gardien.rules.RuleSet;
import fr.gardien.rules.RuleSetException;
import fr.gardien.storage.db.Database;
import fr.gardien.storage.db.DatabaseConfig;
import fr.gardien.storage.db.EmbeddedDatabase;
import fr.gardien.storage.series.ReadingsScan;
import fr.gardien.storage.access.RegistryStore;
import fr.gardien.storage.db.RetentionConfig;
import fr.gardien.storage.db.StorageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gardien-gateway backtest}: replays stored history, or a SenML file, through a rule set
 * and prints the signals that would have fired, without touching live alerts. The way to tune a
 * rule before enabling it (issue 3, "Backtesting").
 *
 * <p>It never writes alerts, outbox entries or rule state: it builds an engine of its own and
 * only reads readings and the registry. Opening the database runs what {@link Database#open}
 * always runs (pending Flyway migrations, the readings layout's policies, partitions ahead of
 * time), exactly as a gateway start would.
 *
 * <p>Exit codes: 0 done; 2 bad arguments (dates, from ≥ to, missing or invalid rules or SenML
 * file, unknown site, invalid configuration); 1 when the database cannot be used.
 */
@Command(name = "backtest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replays stored readings (or a SenML file) through a rule set and prints the alerts "
                + "that would have fired, then a table per rule. Writes nothing: live alerts are untouched.",
            "With no db.url the gateway's embedded database under data.dir is used; a running gateway holds "
                + "that directory, so stop it first or set db.url (GARDIEN_DB_URL) to its database."})
public final class BacktestCommand implements Callable<Integer> {

    /** The live engine's clock period, in data time (see {@link Replay}). */
    static final Duration TICK = Duration.ofSeconds(5);

    @Spec
    private CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "ISO",
            description = "Start of the period, inclusive: 2026-01-12T00:00:00Z, 2026-01-12T06:00+01:00, "
                    + "or a local date or date-time (2026-01-12) in the sites' time zone.")
    private String from;

    @Option(names = "--to", required = true, paramLabel = "ISO", description = "End of the period, exclusive; same forms.")
    private String to;

    @Option(names = "--rules", paramLabel = "FILE|DIR",
            description = "A rules file or folder. Default: the configured rules, else the built-in catalog.")
    private Path rules;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The gateway's YAML configuration (db.*, data.dir, rules); GARDIEN_<KEY> variables override it.")
    private Path config;

    @Option(names = "--senml", paramLabel = "FILE",
            description = "Replay the SenML JSON packs of this file (one pack, an array of packs, or one pack per line) "
                    + "instead of the stored readings. Names must be point keys of the registry.")
    private Path senml;

    @Option(names = "--site", paramLabel = "ID", description = "Only this site (repeatable). Default: every site.")
    private List<String> sites = new ArrayList<>();

    @Option(names = "--lang", paramLabel = "fr|en", defaultValue = "fr",
            description = "Language of the alert summaries (default: ${DEFAULT-VALUE}).")
    private String lang;

    @Option(names = "--json", description = "One JSON object per line: each signal, then each rule's totals.")
    private boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BacktestOutput.Language language;
        switch (lang.toLowerCase(java.util.Locale.ROOT)) {
            case "fr" -> language = BacktestOutput.Language.FR;
            case "en" -> language = BacktestOutput.Language.EN;
            default -> {
                return usage(err, "--lang must be fr or en, got '" + lang + "'");
            }
        }
        Optional<TimeArgument> fromArg = TimeArgument.parse(from);
        Optional<TimeArgument> toArg = TimeArgument.parse(to);
        if (fromArg.isEmpty() || toArg.isEmpty()) {
            return usage(err, "cannot read --" + (fromArg.isEmpty() ? "from '" + from : "to '" + to)
                    + "': expected an ISO date-time such as 2026-01-12T00:00:00Z or 2026-01-12T06:00+01:00, or a date such as 2026-01-12");
        }
        if (!fromArg.get().isLocal() && !toArg.get().isLocal() && !fromArg.get().instant().isBefore(toArg.get().instant())) {
            return usage(err, "--from must be before --to (" + from + " is not before " + to + ")");
        }
        if (senml != null && !Files.isRegularFile(senml)) {
            return usage(err, "no such SenML file: " + senml);
        }
        if (rules != null && !Files.exists(rules)) {
            return usage(err, "no such rules file or folder: " + rules);
        }
        GardienConfig effective;
        try {
            effective = ConfigLoader.load(config, System.getenv());
        } catch (ConfigException e) {
            err.println("gardien: the configuration is invalid:\n" + e.getMessage());
            return 2;
        }
        Path rulesPath = rules != null ? rules : effective.rules().orElse(null);
        RuleSet ruleSet;
        try {
            ruleSet = RuleFiles.load(rulesPath);
        } catch (RuleSetException e) {
            err.println("gardien: the rules are invalid:");
            e.errors().forEach(line -> err.println("  " + line));
            return 2;
        } catch (RuntimeException e) {
            return usage(err, "cannot read the rules at " + rulesPath + ": " + e.getMessage());
        }
        String rulesName = rulesPath == null ? "the built-in catalog" : rulesPath.toString();
        return quietly(() -> withDatabase(effective, err, database -> replay(database, ruleSet, rulesName,
                fromArg.get(), toArg.get(), language, out, err)));
    }

    private int replay(Database database, RuleSet ruleSet, String rulesName, TimeArgument fromArg, TimeArgument toArg,
            BacktestOutput.Language language, PrintWriter out, PrintWriter err) throws IOException {
        Registry registry = Registry.of(new RegistryStore(database.dataSource()).load());
        if (registry.sites().isEmpty()) {
            err.println("gardien: the database holds no portfolio: start the gateway once with its portfolio file");
            return 1;
        }
        Set<String> siteIds = new LinkedHashSet<>();
        for (String site : sites) {
            if (registry.site(site) == null) {
                return usage(err, "unknown site '" + site + "'; the registry has: "
                        + String.join(", ", registry.sites().stream().map(Site::id).toList()));
            }
            siteIds.add(site);
        }
        if (siteIds.isEmpty()) {
            registry.sites().forEach(s -> siteIds.add(s.id()));
        }
        Set<ZoneId> zones = new LinkedHashSet<>();
        siteIds.forEach(id -> zones.add(registry.site(id).timezone()));
        if ((fromArg.isLocal() || toArg.isLocal()) && zones.size() != 1) {
            return usage(err, "the sites are in several time zones " + zones
                    + ": give --from and --to with an offset (Z or +01:00)");
        }
        ZoneId zone = zones.iterator().next();
        Instant start = fromArg.resolve(zone);
        Instant end = toArg.resolve(zone);
        if (!start.isBefore(end)) {
            return usage(err, "--from must be before --to (" + start + " is not before " + end + ")");
        }

        List<EquipmentBinding> bindings = Bindings.of(registry).stream().filter(b -> siteIds.contains(b.site())).toList();
        RuleEngine engine = new RuleEngine(ruleSet, bindings, Duration.ZERO);
        BacktestOutput output = json
                ? BacktestOutput.json(out, language, id -> zoneOf(registry, id))
                : BacktestOutput.text(out, language, id -> zoneOf(registry, id));
        RuleTally tally = new RuleTally();
        Set<String> occupancyPoints = OccupancyRedaction.occupancyPoints(registry);
        Replay replay = new Replay(engine, start, end, TICK, signal -> {
            tally.record(signal);
            output.signal(OccupancyRedaction.redact(signal, ruleSet, occupancyPoints));
        });
        String source = senml != null ? "the SenML file " + senml : "the database (" + database.description() + ")";
        String header = "Backtest from " + start + " to " + end + ": " + ruleSet.size() + " rules (" + rulesName + "), "
                + siteIds.size() + " site(s), " + engine.instances().size() + " rule instances; readings from " + source;
        if (json) {
            err.println(header);
        } else {
            output.header(header);
        }

        if (senml != null) {
            Predicate<RegisteredPoint> selected = p -> siteIds.contains(p.key().site());
            SenmlFile.Contents contents = SenmlFile.read(senml, registry, selected, start, end);
            contents.unknownPoints().forEach((name, count) ->
                    err.println("gardien: unknown point '" + name + "' in " + senml + ": " + count + " record(s) skipped"));
            contents.skipped().forEach((reason, count) ->
                    err.println("gardien: " + count + " record(s) skipped in " + senml + " [" + reason + "]"));
            for (Reading r : contents.readings()) {
                replay.reading(r.pointId(), r.epochMicros(), r.value());
            }
        } else {
            List<Integer> points = null;
            if (!sites.isEmpty()) {
                points = new ArrayList<>();
                for (String site : siteIds) {
                    for (RegisteredPoint p : registry.pointsOfSite(site)) {
                        points.add(p.id());
                    }
                }
            }
            new ReadingsScan(database.dataSource()).scan(start, end, points,
                    r -> replay.reading(r.pointId(), r.epochMicros(), r.value()));
        }
        replay.finish();
        List<RuleTally.Row> rows = tally.rows(end);
        int signals = rows.stream().mapToInt(r -> r.raises() + r.clears()).sum();
        output.summary(rows, replay.readings() + " readings replayed, " + signals + " signals.");
        if (json) {
            err.println(replay.readings() + " readings replayed, " + signals + " signals.");
        }
        return 0;
    }

    private static ZoneId zoneOf(Registry registry, String site) {
        Site s = registry.site(site);
        return s == null ? null : s.timezone();
    }

    private interface DatabaseWork {
        int run(Database database) throws IOException;
    }

    /**
     * Opens the configured database (the embedded one under data.dir when db.url is empty), runs
     * {@code work}, closes it.
     */
    private static int withDatabase(GardienConfig config, PrintWriter err, DatabaseWork work) {
        EmbeddedDatabase embedded = null;
        DatabaseConfig dbConfig;
        try {
            if (config.db().url() == null || config.db().url().isBlank()) {
                Path files = config.data().dir().resolve("postgres").toAbsolutePath();
                if (!Files.exists(files.resolve("postgresql.conf"))) {
                    err.println("gardien: no database to replay: db.url is empty and data.dir holds no embedded database ("
                            + files + " is missing); set --config or db.url (GARDIEN_DB_URL) to the gateway's database");
                    return 2;
                }
                try {
                    embedded = EmbeddedDatabase.start(config.data().dir(), 0);
                } catch (StorageException e) {
                    err.println("gardien: " + e.getMessage() + "\n  A running gateway holds its embedded database: stop it, "
                            + "or set db.url (GARDIEN_DB_URL) to the database URL the gateway logged at start-up.");
                    return 1;
                }
                dbConfig = embedded.config(2);
            } else {
                dbConfig = new DatabaseConfig(config.db().url(), config.db().user(), config.db().password(), 2);
            }
            RetentionConfig retention = config.storage().readings();
            try (Database database = Database.open(dbConfig, retention)) {
                return work.run(database);
            }
        } catch (StorageException e) {
            err.println("gardien: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            return usage(err, "cannot read the SenML file: " + e.getMessage());
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static int usage(PrintWriter err, String message) {
        err.println("gardien backtest: " + message);
        return 2;
    }

    /**
     * Runs {@code work} with the log at WARN, unless GARDIEN_LOG_LEVEL asks otherwise: the
     * gateway logs to standard output, which here carries the report.
     */
    private static int quietly(Callable<Integer> work) {
        org.slf4j.Logger root = LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.classic.Logger logback = root instanceof ch.qos.logback.classic.Logger l ? l : null;
        Level before = logback == null ? null : logback.getLevel();
        if (logback != null && System.getenv("GARDIEN_LOG_LEVEL") == null) {
            logback.setLevel(Level.WARN);
        }
        try {
            return work.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            if (logback != null) {
                logback.setLevel(before);
            }
        }
    }
}
