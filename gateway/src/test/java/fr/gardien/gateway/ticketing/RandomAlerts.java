package fr.gardien.gateway.ticketing;

import fr.gardien.gateway.registry.Registry;
import fr.gardien.gateway.registry.SecretHasher;
import fr.gardien.model.ApiToken;
import fr.gardien.model.Device;
import fr.gardien.model.Equipment;
import fr.gardien.model.PointKey;
import fr.gardien.model.PointSpec;
import fr.gardien.model.RegisteredPoint;
import fr.gardien.model.Site;
import fr.gardien.rules.Explanation;
import fr.gardien.rules.Severity;
import fr.gardien.rules.Urgency;
import fr.gardien.storage.alerts.Alert;
import fr.gardien.storage.alerts.AlertTransition;
import fr.gardien.storage.access.StoredRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A random portfolio with devices, secrets, API tokens and readings, and random alerts on it,
 * with the set of texts that must never leave: raw reading values, explanation figures the
 * summary does not state, point keys and names, device ids, device secrets and their hashes, API
 * tokens and their hashes, and people's names and notes.
 */
public final class RandomAlerts {

    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String[] TYPES = {"boiler", "lift", "hot-water", "substation", "door"};

    private final Random random;
    private final Registry registry;
    private final List<Site> sites = new ArrayList<>();
    /** Texts that must not appear in any outbound request. */
    private final Set<String> forbidden = new HashSet<>();
    private final List<Double> readings = new ArrayList<>();
    private long nextAlertId = 1 + (long) (Math.random() * 1_000_000);
    private long nextTransitionId = 1;

    public RandomAlerts(long seed) {
        random = new Random(seed);
        SecretHasher hasher = new SecretHasher(1);
        List<RegisteredPoint> points = new ArrayList<>();
        List<Device> devices = new ArrayList<>();
        List<ApiToken> tokens = new ArrayList<>();
        int pointId = 1;
        for (int s = 0; s < 4; s++) {
            String siteId = "site-" + word(6);
            List<Equipment> equipment = new ArrayList<>();
            for (int e = 0; e < 3; e++) {
                String equipmentId = "eq-" + word(5);
                String type = TYPES[random.nextInt(TYPES.length)];
                List<PointSpec> specs = new ArrayList<>();
                for (int p = 0; p < 3; p++) {
                    String name = "pt_" + word(8);
                    specs.add(new PointSpec(name, "Cel", "heat"));
                    PointKey key = new PointKey(siteId, equipmentId, name);
                    points.add(new RegisteredPoint(pointId++, key, type, "Cel", "heat"));
                    forbidden.add(key.toString());
                    forbidden.add(name);
                    for (int r = 0; r < 20; r++) {
                        double v = value();
                        readings.add(v);
                        forbidden.addAll(forms(v));
                    }
                }
                equipment.add(new Equipment(equipmentId, type, specs));
            }
            sites.add(new Site(siteId, "Résidence " + word(7), ZoneId.of("Europe/Paris"), equipment));
            for (int d = 0; d < 2; d++) {
                String deviceId = "dev-" + word(10);
                String secret = "devsecret-" + word(24);
                String hash = hasher.hash(secret);
                devices.add(new Device(deviceId, siteId, hash));
                forbidden.addAll(List.of(deviceId, secret, hash, hash.substring(hash.lastIndexOf('$') + 1)));
            }
        }
        for (int t = 0; t < 3; t++) {
            String token = "gdn_" + word(32);
            String hash = hasher.hash(token);
            tokens.add(new ApiToken("tok-" + word(6), hash, "admin", List.of("*")));
            forbidden.addAll(List.of(token, hash, hash.substring(hash.lastIndexOf('$') + 1)));
        }
        registry = Registry.of(new StoredRegistry(sites, points, devices, tokens));
    }

    public Registry registry() {
        return registry;
    }

    /** A copy of the texts that must never appear in an outbound request. */
    public Set<String> forbidden() {
        return Set.copyOf(forbidden);
    }

    public Set<String> forbidden(Alert alert) {
        Set<String> all = new HashSet<>(forbidden);
        String summaries = alert.explanation().summaryFr() + alert.explanation().summaryEn();
        for (double figure : alert.explanation().figures().values()) {
            for (String form : forms(figure)) {
                // A figure the summary states is, by the rule's template, meant to leave.
                if (!summaries.contains(form)) {
                    all.add(form);
                }
            }
        }
        addPerson(all, alert.acknowledgedBy());
        addPerson(all, alert.resolutionNote());
        return all;
    }

    /** An alert on a random equipment of the portfolio; {@code extraSummary} is appended to both summaries. */
    public Alert alert(String extraSummary) {
        Site site = sites.get(random.nextInt(sites.size()));
        Equipment equipment = site.equipment().get(random.nextInt(site.equipment().size()));
        Map<String, Double> figures = new LinkedHashMap<>();
        for (String name : List.of("min", "mean", "max", "threshold", "outdoor")) {
            // Half the figures are raw readings: an aggregate may coincide with one.
            figures.put(name, random.nextBoolean() ? readings.get(random.nextInt(readings.size())) : value());
        }
        String stated = String.format(Locale.ROOT, "%.1f", figures.get("threshold"));
        String summaryFr = "Départ sous " + stated + " °C depuis " + (15 + random.nextInt(120)) + " min" + extraSummary;
        String summaryEn = "Supply below " + stated + " °C for " + (15 + random.nextInt(120)) + " min" + extraSummary;
        Instant first = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(random.nextInt(30_000_000));
        Instant last = first.plus(Duration.ofMinutes(random.nextInt(10_000)));
        Alert.State state = Alert.State.values()[random.nextInt(3)];
        String person = "Mme " + word(8) + " appt " + random.nextInt(300) + " tel 06" + (10_000_000 + random.nextInt(89_999_999));
        return new Alert(nextAlertId++, "rule." + word(5), site.id(), equipment.id(),
                Severity.values()[random.nextInt(Severity.values().length)], "heating",
                Urgency.values()[random.nextInt(Urgency.values().length)], state,
                new Explanation(first.minusSeconds(600), last, figures, summaryFr, summaryEn), first, last,
                1 + random.nextInt(50), random.nextInt(3), "tok-" + word(6) + " " + person, last,
                state == Alert.State.RESOLVED ? "gardien" : null, state == Alert.State.RESOLVED ? last : null,
                state == Alert.State.RESOLVED ? Alert.Resolution.MANUAL : null,
                state == Alert.State.RESOLVED ? "rappel " + person : null, null, last);
    }

    public AlertTransition transition(Alert alert, AlertTransition.Kind kind) {
        return new AlertTransition(nextTransitionId++, alert.id(), kind, alert.lastSeen(), "tok-" + word(6),
                Map.of("note", "vu avec " + word(9) + " au 06" + (10_000_000 + random.nextInt(89_999_999)),
                        "occurrences", alert.occurrences()));
    }

    private static void addPerson(Set<String> all, String text) {
        if (text != null) {
            all.add(text);
            for (String part : text.split(" ")) {
                if (part.length() >= 8) {
                    all.add(part);
                }
            }
        }
    }

    /** A value with three significant decimals in 1000–9999, so its text is distinctive. */
    private double value() {
        int thousandths = 1 + random.nextInt(999);
        if (thousandths % 10 == 0) {
            thousandths++;
        }
        return (1000 + random.nextInt(9000)) + thousandths / 1000.0;
    }

    /** The ways a value could be written out. */
    static List<String> forms(double v) {
        String dot = String.format(Locale.ROOT, "%.3f", v);
        return List.of(dot, dot.replace('.', ','), Double.toString(v));
    }

    private String word(int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(ALNUM.charAt(random.nextInt(ALNUM.length())));
        }
        return sb.toString();
    }
}
