package fr.gardien.gateway.ticketing;

import fr.gardien.rules.yaml.Problems;
import fr.gardien.rules.yaml.Durations;
import fr.gardien.rules.yaml.YamlNode;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The {@code ticketing} section's YAML to a {@link TicketingConfig}, collecting every error. */
final class TicketingParser {

    private static final String ROOT = "ticketing";
    // callback: the signed endpoint's secret, read by CallbackConfig.
    private static final Set<String> SECTION_KEYS = Set.of("connectors", "routes", "default", "delivery", "public-url",
            "language", "callback");
    private static final Set<String> ROUTE_KEYS = Set.of("match", "connector", "categories", "quiet-hours", "name",
            "daily-budget");
    private static final Set<String> DELIVERY_KEYS = Set.of("max-attempts", "initial-backoff", "max-backoff", "concurrency",
            "poll-interval", "claim-timeout");
    private static final Map<String, Set<String>> MATCH_VALUES = Map.of(
            "severity", Set.of("info", "warning", "major", "critical"),
            "urgency", Set.of("immediate", "within-days", "planned"));
    private static final Pattern CLOCK_TIME = Pattern.compile("\\d{2}:\\d{2}");

    private final Problems problems;

    TicketingParser(Problems problems) {
        this.problems = problems;
    }

    TicketingConfig section(YamlNode section) {
        YamlNode.Mapping m = mapping(section, ROOT);
        if (m == null) {
            return TicketingConfig.NONE;
        }
        unknownKeys(m, ROOT, SECTION_KEYS);
        List<ConnectorSpec> connectors = connectors(m.get("connectors"));
        Set<String> names = new LinkedHashSet<>();
        connectors.forEach(c -> names.add(c.name()));
        List<Route> routes = routes(m.get("routes"), names);
        String defaultConnector = null;
        YamlNode.Entry d = m.get("default");
        if (d != null) {
            defaultConnector = connectorName(d.value(), ROOT + ".default", names);
        }
        DeliverySettings delivery = delivery(m.get("delivery"));
        String publicUrl = TicketingConfig.DEFAULT_PUBLIC_URL;
        YamlNode.Entry u = m.get("public-url");
        if (u != null) {
            String text = text(u.value(), ROOT + ".public-url");
            if (text != null && !text.matches("https?://\\S+")) {
                problems.add(u.value().line(), ROOT + ".public-url", "expected an http(s) URL, got \"" + text + "\"");
            } else if (text != null) {
                publicUrl = text;
            }
        }
        String language = "fr";
        YamlNode.Entry l = m.get("language");
        if (l != null) {
            String text = text(l.value(), ROOT + ".language");
            if (text != null && !TicketingConfig.LANGUAGES.contains(text)) {
                problems.add(l.value().line(), ROOT + ".language", "expected fr or en, got \"" + text + "\"");
            } else if (text != null) {
                language = text;
            }
        }
        if (!problems.isEmpty()) {
            return TicketingConfig.NONE;
        }
        return new TicketingConfig(connectors, routes, defaultConnector, delivery, publicUrl, language);
    }

    private List<ConnectorSpec> connectors(YamlNode.Entry entry) {
        List<ConnectorSpec> specs = new ArrayList<>();
        if (entry == null) {
            return specs;
        }
        YamlNode.Sequence list = sequence(entry.value(), ROOT + ".connectors");
        if (list == null) {
            return specs;
        }
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (int i = 0; i < list.items().size(); i++) {
            String path = ROOT + ".connectors[" + i + "]";
            YamlNode.Mapping c = mapping(list.items().get(i), path);
            if (c == null) {
                continue;
            }
            String name = requiredText(c, "name", path);
            ConnectorSpec.Type type = null;
            YamlNode.Entry t = c.get("type");
            if (t == null) {
                problems.add(c.line(), path + ".type", "missing; expected webhook, rest or email");
            } else {
                String text = text(t.value(), path + ".type");
                if (text != null) {
                    try {
                        type = ConnectorSpec.Type.valueOf(text.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        problems.add(t.value().line(), path + ".type", "expected webhook, rest or email, got \"" + text + "\"");
                    }
                }
            }
            if (name != null) {
                Integer first = seen.putIfAbsent(name, c.line());
                if (first != null) {
                    problems.add(c.get("name").value().line(), path + ".name", "\"" + name + "\" is already the name of the connector at line "
                            + first);
                    continue;
                }
            }
            if (name != null && type != null) {
                specs.add(new ConnectorSpec(name, type, path, c));
            }
        }
        return specs;
    }

    private List<Route> routes(YamlNode.Entry entry, Set<String> names) {
        List<Route> routes = new ArrayList<>();
        Set<String> routeNames = new LinkedHashSet<>();
        if (entry == null) {
            return routes;
        }
        YamlNode.Sequence list = sequence(entry.value(), ROOT + ".routes");
        if (list == null) {
            return routes;
        }
        for (int i = 0; i < list.items().size(); i++) {
            String path = ROOT + ".routes[" + i + "]";
            YamlNode.Mapping r = mapping(list.items().get(i), path);
            if (r == null) {
                continue;
            }
            unknownKeys(r, path, ROUTE_KEYS);
            Map<String, Set<String>> match = new LinkedHashMap<>();
            YamlNode.Entry m = r.get("match");
            if (m == null) {
                problems.add(r.line(), path + ".match", "missing; {} matches every alert");
            } else {
                YamlNode.Mapping fields = mapping(m.value(), path + ".match");
                if (fields != null) {
                    for (YamlNode.Entry f : fields.entries()) {
                        String fieldPath = path + ".match." + f.key();
                        if (!Route.MATCH_FIELDS.contains(f.key())) {
                            problems.add(f.line(), fieldPath, "unknown field; expected one of site, equipment-type, category,"
                                    + " severity, urgency");
                            continue;
                        }
                        Set<String> values = values(f.value(), fieldPath);
                        Set<String> allowed = MATCH_VALUES.get(f.key());
                        if (allowed != null) {
                            for (String v : values) {
                                if (!allowed.contains(v)) {
                                    problems.add(f.value().line(), fieldPath, "expected one of " + String.join(", ", new java.util.TreeSet<>(allowed))
                                            + ", got \"" + v + "\"");
                                }
                            }
                        }
                        match.put(f.key(), values);
                    }
                }
            }
            String connector = null;
            YamlNode.Entry c = r.get("connector");
            if (c == null) {
                problems.add(r.line(), path + ".connector", "missing");
            } else {
                connector = connectorName(c.value(), path + ".connector", names);
            }
            Set<String> categories = Set.of();
            YamlNode.Entry cat = r.get("categories");
            if (cat != null) {
                categories = values(cat.value(), path + ".categories");
            }
            QuietHours quiet = null;
            YamlNode.Entry q = r.get("quiet-hours");
            if (q != null) {
                quiet = quietHours(q.value(), path + ".quiet-hours");
            }
            String name = null;
            YamlNode.Entry n = r.get("name");
            if (n != null) {
                name = requiredText(r, "name", path);
                if (name != null && !routeNames.add(name)) {
                    problems.add(n.value().line(), path + ".name", "another route has this name");
                }
            }
            Integer budget = r.get("daily-budget") == null ? null : integer(r, "daily-budget", path, 0, 0, 100_000);
            if (connector != null) {
                routes.add(new Route(match, connector, categories, quiet, r.line(),
                        name != null ? name : "routes[" + i + "]", budget));
            }
        }
        return routes;
    }

    private QuietHours quietHours(YamlNode node, String path) {
        YamlNode.Mapping m = mapping(node, path);
        if (m == null) {
            return null;
        }
        unknownKeys(m, path, Set.of("from", "to"));
        LocalTime from = clockTime(m, "from", path);
        LocalTime to = clockTime(m, "to", path);
        if (from == null || to == null) {
            return null;
        }
        if (from.equals(to)) {
            problems.add(m.line(), path, "from and to must differ");
            return null;
        }
        return new QuietHours(from, to);
    }

    private LocalTime clockTime(YamlNode.Mapping m, String key, String path) {
        String text = requiredText(m, key, path);
        if (text == null) {
            return null;
        }
        try {
            if (CLOCK_TIME.matcher(text).matches()) {
                return LocalTime.parse(text);
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        problems.add(m.get(key).value().line(), path + "." + key, "expected a time of day HH:MM, got \"" + text + "\"");
        return null;
    }

    private DeliverySettings delivery(YamlNode.Entry entry) {
        DeliverySettings d = DeliverySettings.DEFAULTS;
        if (entry == null) {
            return d;
        }
        String path = ROOT + ".delivery";
        YamlNode.Mapping m = mapping(entry.value(), path);
        if (m == null) {
            return d;
        }
        unknownKeys(m, path, DELIVERY_KEYS);
        int maxAttempts = integer(m, "max-attempts", path, d.maxAttempts(), 1, 1000);
        Duration initial = duration(m, "initial-backoff", path, d.initialBackoff(), false);
        Duration max = duration(m, "max-backoff", path, d.maxBackoff(), false);
        int concurrency = integer(m, "concurrency", path, d.concurrency(), 1, 256);
        Duration poll = duration(m, "poll-interval", path, d.pollInterval(), true);
        Duration claim = duration(m, "claim-timeout", path, d.claimTimeout(), true);
        if (max.compareTo(initial) < 0) {
            problems.add(m.line(), path + ".max-backoff", "must not be shorter than initial-backoff (" + initial + ")");
            return d;
        }
        return new DeliverySettings(maxAttempts, initial, max, concurrency, poll, claim);
    }

    // --- scalars

    private int integer(YamlNode.Mapping m, String key, String path, int fallback, int min, int max) {
        YamlNode.Entry e = m.get(key);
        if (e == null) {
            return fallback;
        }
        if (e.value() instanceof YamlNode.Scalar s && s.type() == YamlNode.Scalar.Type.INTEGER) {
            try {
                int v = Integer.parseInt(s.text());
                if (v >= min && v <= max) {
                    return v;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        problems.add(e.value().line(), path + "." + key, "expected an integer from " + min + " to " + max + ", got "
                + e.value().describe());
        return fallback;
    }

    private Duration duration(YamlNode.Mapping m, String key, String path, Duration fallback, boolean positive) {
        YamlNode.Entry e = m.get(key);
        if (e == null) {
            return fallback;
        }
        String text = e.value() instanceof YamlNode.Scalar s && !s.isNull() ? s.text().trim() : null;
        Duration d = Durations.parse(text);
        if (d != null && (!positive || !d.isZero())) {
            return d;
        }
        problems.add(e.value().line(), path + "." + key, "expected a " + (positive ? "positive " : "") + "duration such as 500ms,"
                + " 30s, 5m or 1h, got " + e.value().describe());
        return fallback;
    }

    private String connectorName(YamlNode node, String path, Set<String> names) {
        String name = text(node, path);
        if (name != null && !names.contains(name)) {
            problems.add(node.line(), path, "no connector is named \"" + name + "\""
                    + (names.isEmpty() ? "" : "; configured: " + String.join(", ", names)));
            return null;
        }
        return name;
    }

    /** A value or a list of values, as a set. */
    private Set<String> values(YamlNode node, String path) {
        Set<String> values = new LinkedHashSet<>();
        if (node instanceof YamlNode.Sequence s) {
            for (YamlNode item : s.items()) {
                String v = text(item, path);
                if (v != null) {
                    values.add(v);
                }
            }
            if (s.items().isEmpty()) {
                problems.add(node.line(), path, "expected a value or a non-empty list");
            }
        } else {
            String v = text(node, path);
            if (v != null) {
                values.add(v);
            }
        }
        return values;
    }

    private String requiredText(YamlNode.Mapping m, String key, String path) {
        YamlNode.Entry e = m.get(key);
        if (e == null) {
            problems.add(m.line(), path + "." + key, "missing");
            return null;
        }
        return text(e.value(), path + "." + key);
    }

    private String text(YamlNode node, String path) {
        if (node instanceof YamlNode.Scalar s && !s.isNull() && !s.text().isBlank()) {
            return s.text().trim();
        }
        problems.add(node.line(), path, "expected a value, got " + node.describe());
        return null;
    }

    private YamlNode.Mapping mapping(YamlNode node, String path) {
        if (node instanceof YamlNode.Mapping m) {
            return m;
        }
        problems.add(node.line(), path, "expected a mapping, got " + node.describe());
        return null;
    }

    private YamlNode.Sequence sequence(YamlNode node, String path) {
        if (node instanceof YamlNode.Sequence s) {
            return s;
        }
        problems.add(node.line(), path, "expected a list, got " + node.describe());
        return null;
    }

    private void unknownKeys(YamlNode.Mapping m, String path, Set<String> known) {
        for (YamlNode.Entry e : m.entries()) {
            if (!known.contains(e.key())) {
                problems.add(e.line(), path + "." + e.key(), "unknown key; expected one of "
                        + String.join(", ", new java.util.TreeSet<>(known)));
            }
        }
    }
}
