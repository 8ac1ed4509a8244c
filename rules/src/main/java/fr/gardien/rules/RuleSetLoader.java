package fr.gardien.rules;

import fr.gardien.rules.detect.DetectorFactory;
import fr.gardien.rules.detect.DetectorKind;
import fr.gardien.rules.detect.DetectorParams;
import fr.gardien.rules.detect.DetectorRegistry;
import fr.gardien.rules.detect.ThresholdDetector;
import fr.gardien.rules.yaml.MappingReader;
import fr.gardien.rules.yaml.YamlNode;
import fr.gardien.rules.yaml.Problems;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a rule file (format in {@code rules/RULES.md}). Pure: the gateway reads the file and
 * passes its text. Every error of the file is reported at once.
 */
public final class RuleSetLoader {

    private static final Pattern ID = Pattern.compile("[a-z0-9-]+");
    private static final Pattern ROLE = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern POINT = Pattern.compile("[a-z0-9][a-z0-9_]{0,62}");
    private static final Pattern CATEGORY = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Pattern TYPE = Pattern.compile("\\*|[a-z0-9][a-z0-9-]*");
    private static final Pattern HH_MM = Pattern.compile("\\d{2}:\\d{2}");

    private RuleSetLoader() {
    }

    /** Parses a rule file with the built-in detector kinds. */
    public static RuleSet parse(String yamlText, String sourceName) throws RuleSetException {
        return parse(yamlText, sourceName, DetectorRegistry.standard());
    }

    /**
     * Parses a rule file.
     *
     * @param sourceName the file's name, the prefix of every error message
     * @throws RuleSetException with every error found, each naming the line and the field
     */
    public static RuleSet parse(String yamlText, String sourceName, DetectorRegistry registry)
            throws RuleSetException {
        return parse(yamlText, sourceName, registry, OccupancyFigures.VOCABULARY);
    }

    /**
     * Parses a rule file, refusing summaries that state a figure of a detector or guard reading
     * one of {@code occupancyPoints} (issue 14: occupancy never leaves in a summary).
     */
    public static RuleSet parse(String yamlText, String sourceName, DetectorRegistry registry,
                                Set<String> occupancyPoints) throws RuleSetException {
        Problems problems = new Problems(sourceName);
        YamlNode root;
        try {
            root = YamlNode.parse(yamlText);
        } catch (IllegalArgumentException e) {
            throw new RuleSetException(List.of(sourceName + ':' + e.getMessage()));
        }
        MappingReader file = new MappingReader(root, "", problems);
        YamlNode list = file.node("rules", true);
        file.finish();
        List<RuleDefinition> rules = new ArrayList<>();
        if (list != null && list.kind() != YamlNode.Kind.SEQUENCE) {
            problems.add(list.line(), "rules", "expected a list of rules, got " + list.describe());
        } else if (list != null) {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < list.items().size(); i++) {
                RuleDefinition rule = rule(list.items().get(i), "rules[" + i + "]", problems, registry, occupancyPoints);
                if (rule != null && !ids.add(rule.id())) {
                    problems.add(list.items().get(i).keyLine("id"), "rules[" + i + "].id",
                            "duplicate rule id \"" + rule.id() + '"');
                } else if (rule != null) {
                    rules.add(rule);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new RuleSetException(problems.messages());
        }
        return new RuleSet(rules);
    }

    private static RuleDefinition rule(YamlNode node, String path, Problems problems, DetectorRegistry registry,
                                       Set<String> occupancyPoints) {
        int before = problems.count();
        MappingReader r = new MappingReader(node, path, problems);
        String id = r.matching("id", ID, "an id of lower-case letters, digits and dashes");
        String description = r.string("description");
        List<String> types = r.strings("applies-to");
        for (String type : types) {
            if (!TYPE.matcher(type).matches()) {
                r.error("applies-to", "expected equipment types such as boiler or *, got \"" + type + '"');
            }
        }
        Map<String, String> inputs = inputs(r, "inputs", true);
        Map<String, String> optional = inputs(r, "optional-inputs", false);
        for (String role : optional.keySet()) {
            if (inputs.containsKey(role)) {
                r.error("optional-inputs", "\"" + role + "\" is also a required input");
            }
        }
        Set<String> roles = new LinkedHashSet<>(inputs.keySet());
        roles.addAll(optional.keySet());

        String detectorName = r.string("detector");
        DetectorFactory detector = null;
        YamlNode paramsNode = r.node("params", true);
        DetectorKind kind = detectorName == null ? null : registry.kind(detectorName);
        if (detectorName != null && kind == null) {
            r.error("detector", "unknown detector \"" + detectorName + "\"; known: " + registry.names());
        } else if (kind != null && paramsNode != null) {
            DetectorParams params = new DetectorParams(paramsNode, r.pathOf("params"), problems, roles);
            detector = kind.configure(params);
            params.finish();
        }

        Duration holdFor = r.duration("for", Duration.ZERO);
        Duration clearAfter = r.duration("clear-after", Duration.ZERO);
        Severity severity = r.word("severity", Severity.class);
        String category = r.matching("category", CATEGORY, "a category such as heating or hot-water");
        Urgency urgency = r.word("urgency", Urgency.class);
        Optional<LocalWindow> window = window(r);

        Optional<DetectorFactory> guard = Optional.empty();
        YamlNode when = r.node("when", false);
        if (when != null) {
            DetectorParams params = new DetectorParams(when, r.pathOf("when"), problems, roles);
            guard = Optional.ofNullable(ThresholdDetector.configure(params));
            params.finish();
        }

        Set<String> known = new TreeSet<>(SummaryTemplate.STANDARD);
        if (detector != null) {
            known.addAll(detector.figureNames());
        }
        guard.ifPresent(g -> known.addAll(g.figureNames()));
        Map<String, String> allInputs = new LinkedHashMap<>(inputs);
        allInputs.putAll(optional);
        Set<String> people = OccupancyFigures.of(allInputs, detector, guard, occupancyPoints);
        MappingReader summary = r.mapping("summary", true);
        String fr = null;
        String en = null;
        if (summary != null) {
            fr = summary.string("fr");
            en = summary.string("en");
            for (String lang : new String[] {"fr", "en"}) {
                String text = lang.equals("fr") ? fr : en;
                if (text == null) {
                    continue;
                }
                for (String name : SummaryTemplate.placeholders(text)) {
                    if (!known.contains(name)) {
                        summary.error(lang, "unknown placeholder {" + name + "}; known: " + known);
                    } else if (people.contains(name)) {
                        summary.error(lang, "rule " + id + ": {" + name + "} is an occupancy figure (it comes from a"
                                + " people count); a summary leaves in tickets and e-mails, occupancy never does");
                    }
                }
            }
            summary.finish();
        }
        r.finish();
        if (problems.count() > before) {
            return null;
        }
        return new RuleDefinition(id, description, new LinkedHashSet<>(types), inputs, optional, detectorName,
                detector, holdFor, clearAfter, severity, category, urgency, window, guard, fr, en,
                fingerprint(node));
    }

    private static Map<String, String> inputs(MappingReader r, String key, boolean required) {
        MappingReader m = r.mapping(key, required);
        Map<String, String> inputs = new LinkedHashMap<>();
        if (m == null) {
            return inputs;
        }
        for (String role : m.keys()) {
            if (!ROLE.matcher(role).matches()) {
                m.error(role, "expected a role name of lower-case letters, digits and underscores");
            }
            String point = m.matching(role, POINT, "a point name such as supply_temp");
            if (point != null) {
                // Interned: the engine passes these very strings to the detectors.
                inputs.put(role.intern(), point);
            }
        }
        if (required && inputs.isEmpty() && m.keys().isEmpty()) {
            r.error(key, "expected at least one input");
        }
        m.finish();
        return inputs;
    }

    private static Optional<LocalWindow> window(MappingReader r) {
        MappingReader w = r.mapping("window", false);
        if (w == null) {
            return Optional.empty();
        }
        LocalTime from = time(w, "from");
        LocalTime to = time(w, "to");
        w.finish();
        if (from != null && to != null) {
            if (from.equals(to)) {
                w.error("to", "must differ from \"from\"");
                return Optional.empty();
            }
            return Optional.of(new LocalWindow(from, to));
        }
        return Optional.empty();
    }

    private static LocalTime time(MappingReader w, String key) {
        String text = w.string(key);
        if (text == null) {
            return null;
        }
        try {
            if (HH_MM.matcher(text).matches()) {
                return LocalTime.parse(text);
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        w.error(key, "expected a local time such as 01:00, got \"" + text + '"');
        return null;
    }

    private static String fingerprint(YamlNode node) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(node.canonical().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
