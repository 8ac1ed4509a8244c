package fr.gardien.gateway.governance;

import fr.gardien.gateway.config.ConfigException;
import fr.gardien.rules.yaml.Durations;
import fr.gardien.rules.yaml.YamlFile;
import fr.gardien.rules.yaml.YamlNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code governance} section of the configuration file into a {@link GovernanceConfig};
 * every error at once, each with the file, the line and the key.
 */
public final class GovernanceParser {

    private static final Pattern YEARS_OR_WEEKS = Pattern.compile("(\\d{1,4})(y|w)");
    private static final Pattern CATEGORY = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Set<String> TOP = Set.of("controller", "dpo-contact", "categories", "alert-retention",
            "names-retention");
    private static final Set<String> CATEGORY_KEYS = Set.of("purpose", "legal-basis", "retention", "rollup-retention",
            "quarantine-retention");

    private GovernanceParser() {
    }

    /**
     * @param file the configuration file, or {@code null} (then the built-in declarations apply)
     * @param storageRetention {@code storage.retention}: no category keeps raw readings longer,
     *     since they go with their partition
     * @throws ConfigException with every error of the section
     */
    public static GovernanceConfig load(Path file, Duration storageRetention) {
        if (file == null) {
            return GovernanceConfig.builtIn(storageRetention);
        }
        YamlFile yaml;
        try {
            yaml = YamlFile.read(file);
        } catch (YamlFile.ReadException e) {
            throw new ConfigException(List.of(e.getMessage()));
        }
        YamlNode.Entry section = yaml.root() instanceof YamlNode.Mapping m ? m.get("governance") : null;
        if (section == null) {
            return GovernanceConfig.builtIn(storageRetention);
        }
        return parse(section.value(), file.toString(), storageRetention);
    }

    static GovernanceConfig parse(YamlNode node, String source, Duration storageRetention) {
        List<String> errors = new ArrayList<>();
        if (!(node instanceof YamlNode.Mapping section)) {
            throw new ConfigException(List.of(source + ":" + node.line() + ": governance: expected a section with controller,"
                    + " dpo-contact and categories, got " + node.describe()));
        }
        unknown(section, "governance", TOP, source, errors);
        String controller = text(section, "governance", "controller", source, errors);
        String dpo = text(section, "governance", "dpo-contact", source, errors);
        Duration alerts = duration(section, "governance", "alert-retention", GovernanceConfig.DEFAULT_ALERT_RETENTION, source, errors);
        Duration names = duration(section, "governance", "names-retention", GovernanceConfig.DEFAULT_NAMES_RETENTION, source, errors);
        Map<String, GovernanceConfig.Category> categories = new LinkedHashMap<>();
        YamlNode.Entry cats = section.get("categories");
        if (cats == null) {
            errors.add(source + ":" + section.line() + ": governance.categories: missing; declare the purpose and"
                    + " retention of every category of the portfolio");
        } else if (!(cats.value() instanceof YamlNode.Mapping list)) {
            errors.add(source + ":" + cats.line() + ": governance.categories: expected a mapping of categories, got "
                    + cats.value().describe());
        } else {
            for (YamlNode.Entry e : list.entries()) {
                String path = "governance.categories." + e.key();
                if (!CATEGORY.matcher(e.key()).matches()) {
                    errors.add(source + ":" + e.line() + ": " + path + ": expected a category name such as occupancy");
                    continue;
                }
                if (!(e.value() instanceof YamlNode.Mapping c)) {
                    errors.add(source + ":" + e.line() + ": " + path + ": expected {purpose, legal-basis, retention,"
                            + " rollup-retention}, got " + e.value().describe());
                    continue;
                }
                unknown(c, path, CATEGORY_KEYS, source, errors);
                String purpose = text(c, path, "purpose", source, errors);
                String basis = text(c, path, "legal-basis", source, errors);
                if (!basis.isEmpty() && !GovernanceConfig.LEGAL_BASES.contains(basis)) {
                    errors.add(source + ":" + c.get("legal-basis").line() + ": " + path + ".legal-basis: expected one of "
                            + String.join(", ", new java.util.TreeSet<>(GovernanceConfig.LEGAL_BASES)) + ", got \"" + basis + '"');
                }
                Duration raw = duration(c, path, "retention", null, source, errors);
                Duration rollups = duration(c, path, "rollup-retention", null, source, errors);
                if (raw != null && raw.compareTo(storageRetention) > 0) {
                    errors.add(source + ":" + c.get("retention").line() + ": " + path + ".retention: longer than"
                            + " storage.retention (" + storageRetention.toDays() + "d), after which every raw reading is"
                            + " dropped with its partition");
                }
                Duration quarantine = c.get("quarantine-retention") == null ? null
                        : duration(c, path, "quarantine-retention", null, source, errors);
                if (quarantine != null && raw != null && quarantine.compareTo(raw) > 0) {
                    errors.add(source + ":" + c.get("quarantine-retention").line() + ": " + path + ".quarantine-retention:"
                            + " longer than its retention (" + raw.toDays() + "d): a rejected reading would outlive the stored ones");
                }
                categories.put(e.key(), new GovernanceConfig.Category(purpose, basis, raw, rollups,
                        java.util.Optional.ofNullable(quarantine)));
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new GovernanceConfig(controller, dpo, categories, alerts, names, true);
    }

    /**
     * A retention: {@code 2y} (365 days each) or {@code 3w}, or any duration of {@link Durations}
     * ({@code 90d}, {@code 12h}); {@code null} when none of them or zero.
     */
    static Duration parseDuration(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = YEARS_OR_WEEKS.matcher(text.trim());
        Duration d = m.matches() ? Duration.ofDays(Long.parseLong(m.group(1)) * (m.group(2).equals("y") ? 365 : 7))
                : Durations.parse(text.trim());
        return d == null || d.isZero() ? null : d;
    }

    private static void unknown(YamlNode.Mapping m, String path, Set<String> known, String source, List<String> errors) {
        for (YamlNode.Entry e : m.entries()) {
            if (!known.contains(e.key())) {
                errors.add(source + ":" + e.line() + ": " + path + ": unknown key \"" + e.key() + "\"; known: "
                        + String.join(", ", new java.util.TreeSet<>(known)));
            }
        }
    }

    private static String text(YamlNode.Mapping m, String path, String key, String source, List<String> errors) {
        YamlNode.Entry e = m.get(key);
        if (e == null) {
            errors.add(source + ":" + m.line() + ": " + path + "." + key + ": missing");
            return "";
        }
        if (!(e.value() instanceof YamlNode.Scalar s) || s.isNull() || s.text().isBlank()) {
            errors.add(source + ":" + e.line() + ": " + path + "." + key + ": expected a text, got " + e.value().describe());
            return "";
        }
        return s.text().trim();
    }

    private static Duration duration(YamlNode.Mapping m, String path, String key, Duration fallback, String source,
                                     List<String> errors) {
        YamlNode.Entry e = m.get(key);
        if (e == null) {
            if (fallback == null) {
                errors.add(source + ":" + m.line() + ": " + path + "." + key + ": missing");
            }
            return fallback;
        }
        Duration d = e.value() instanceof YamlNode.Scalar s ? parseDuration(s.text()) : null;
        if (d == null) {
            errors.add(source + ":" + e.line() + ": " + path + "." + key + ": expected a duration such as 90d, 26w or 2y, got "
                    + e.value().describe());
        }
        return d;
    }
}
