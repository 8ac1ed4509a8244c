package fr.gardien.gateway.governance;

import fr.gardien.model.Equipment;
import fr.gardien.model.PointSpec;
import fr.gardien.model.Portfolio;
import fr.gardien.model.Site;
import fr.gardien.storage.retention.RetentionPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code governance} section (issue 14): who is responsible, and for each category of
 * readings its purpose, legal basis and retention, declared before anything is collected.
 * Immutable, validated by {@link GovernanceParser}.
 *
 * @param controller the controller (GDPR art. 4(7)), empty when not declared
 * @param dpoContact how to reach the data-protection officer, empty when not declared
 * @param categories category → its declaration, in file order
 * @param alertRetention how long a resolved alert is kept, with its transitions, outbox rows and deliveries
 * @param namesRetention how long the names and notes of people in acknowledgements, resolutions
 *     and silences are kept before they are replaced
 * @param declared false when the file has no {@code governance} section and the built-in
 *     declarations ({@link #builtIn(Duration)}) apply
 */
public record GovernanceConfig(String controller, String dpoContact, Map<String, Category> categories,
                               Duration alertRetention, Duration namesRetention, boolean declared) {

    /** GDPR art. 6(1) (a) to (f). */
    public static final Set<String> LEGAL_BASES = Set.of("consent", "contract", "legal-obligation", "vital-interests",
            "public-task", "legitimate-interest");
    static final Duration DEFAULT_ALERT_RETENTION = Duration.ofDays(730);
    static final Duration DEFAULT_NAMES_RETENTION = Duration.ofDays(90);

    public GovernanceConfig {
        Objects.requireNonNull(controller, "controller");
        Objects.requireNonNull(dpoContact, "dpoContact");
        categories = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(categories));
    }

    /**
     * One category's declaration.
     *
     * @param purpose why its readings are collected
     * @param legalBasis one of {@link #LEGAL_BASES}
     * @param retention how long raw readings are kept
     * @param rollupRetention how long hourly and daily rollups are kept
     * @param quarantineRetention how long rejected records of its points are kept, when the
     *     category has its own; empty: {@code storage.quarantine-retention}
     */
    public record Category(String purpose, String legalBasis, Duration retention, Duration rollupRetention,
                           Optional<Duration> quarantineRetention) {
        public Category {
            Objects.requireNonNull(quarantineRetention, "quarantineRetention");
        }

        /** Without a quarantine retention of its own. */
        public Category(String purpose, String legalBasis, Duration retention, Duration rollupRetention) {
            this(purpose, legalBasis, retention, rollupRetention, Optional.empty());
        }
    }

    /**
     * The declarations that apply when the file has none: the six categories of the contract,
     * raw readings for {@code storage.retention} (occupancy 90 days at most), rollups for five
     * years (occupancy two). Stated in the register as not declared by the controller.
     */
    public static GovernanceConfig builtIn(Duration storageRetention) {
        Map<String, Category> c = new LinkedHashMap<>();
        Duration fiveYears = Duration.ofDays(5 * 365);
        c.put("energy", new Category("Follow and reduce the common areas' electricity consumption; detect waste",
                "legitimate-interest", storageRetention, fiveYears));
        c.put("heat", new Category("Keep heating and hot water running and safe (legionella); follow heat consumption",
                "legitimate-interest", storageRetention, fiveYears));
        c.put("water", new Category("Detect leaks and abnormal water consumption in the common areas",
                "legitimate-interest", storageRetention, fiveYears));
        c.put("occupancy", new Category("Adapt lighting, ventilation and cleaning to the use of the common areas;"
                + " counts per interval, never per person", "legitimate-interest",
                storageRetention.compareTo(Duration.ofDays(90)) < 0 ? storageRetention : Duration.ofDays(90),
                Duration.ofDays(730)));
        c.put("equipment", new Category("Predictive maintenance of lifts, ventilation, boilers and sensors",
                "legitimate-interest", storageRetention, fiveYears));
        c.put("climate", new Category("Detect humidity and mould risk and indoor comfort problems in shared rooms",
                "legitimate-interest", storageRetention, fiveYears));
        return new GovernanceConfig("", "", c, DEFAULT_ALERT_RETENTION, DEFAULT_NAMES_RETENTION, false);
    }

    /** Why {@code portfolio} may not be collected: one message per point whose category has no declaration. */
    public List<String> undeclared(Portfolio portfolio) {
        List<String> out = new ArrayList<>();
        for (Site site : portfolio.sites()) {
            for (Equipment equipment : site.equipment()) {
                for (PointSpec point : equipment.points()) {
                    if (point.category() == null || !categories.containsKey(point.category())) {
                        out.add("point " + site.id() + "/" + equipment.id() + "/" + point.name() + " has category "
                                + Optional.ofNullable(point.category()).orElse("(none)") + ", which governance.categories does"
                                + " not declare: no purpose, no retention; declare it before collecting its readings");
                    }
                }
            }
        }
        return out;
    }

    /** The categories with a quarantine retention of their own, and that retention. */
    public Map<String, Duration> quarantineRetention() {
        Map<String, Duration> out = new LinkedHashMap<>();
        categories.forEach((name, c) -> c.quarantineRetention().ifPresent(d -> out.put(name, d)));
        return out;
    }

    /** What the retention purger enforces. */
    public RetentionPolicy retentionPolicy() {
        Map<String, RetentionPolicy.CategoryRetention> out = new LinkedHashMap<>();
        categories.forEach((name, c) -> out.put(name, new RetentionPolicy.CategoryRetention(c.retention(), c.rollupRetention())));
        return new RetentionPolicy(out, alertRetention, namesRetention);
    }
}
