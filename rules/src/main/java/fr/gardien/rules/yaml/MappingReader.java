package fr.gardien.rules.yaml;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the fields of one YAML mapping with their types, recording an error (with line and path)
 * for each field that is missing or of the wrong shape, and, on {@link #finish()}, for each field
 * nobody asked for. A getter that failed returns a neutral value ({@code null}, NaN) so that
 * reading goes on and every error of the file is reported at once.
 */
public class MappingReader {

    private final YamlNode node;
    private final String path;
    private final Problems problems;
    private final Set<String> read = new HashSet<>();
    private final boolean valid;

    /**
     * @param node the mapping (anything else is reported as an error once)
     * @param path its path, e.g. {@code rules[3]}
     */
    public MappingReader(YamlNode node, String path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
        this.valid = node.kind() == YamlNode.Kind.MAPPING;
        if (!valid) {
            problems.add(node.line(), path, "expected a mapping of fields, got " + node.describe());
        }
    }

    public String path() {
        return path;
    }

    public Problems problems() {
        return problems;
    }

    /** The path of a field, for messages and nested readers. */
    public String pathOf(String key) {
        return path.isEmpty() ? key : path + '.' + key;
    }

    public boolean has(String key) {
        return valid && node.fields().containsKey(key);
    }

    /** The field's node, marking it read; {@code null} (and an error when required) when absent. */
    public YamlNode node(String key, boolean required) {
        if (!valid) {
            return null;
        }
        read.add(key);
        YamlNode value = node.fields().get(key);
        if (value == null && required) {
            problems.add(node.line(), path, "missing field \"" + key + "\"");
        }
        return value;
    }

    /** Records an error about a field. */
    public void error(String key, String message) {
        problems.add(valid ? node.keyLine(key) : node.line(), pathOf(key), message);
    }

    /** Records an error about a value. */
    public void error(YamlNode value, String key, String message) {
        problems.add(value.line(), pathOf(key), message);
    }

    /** A required text field; {@code null} when missing or not a scalar. */
    public String string(String key) {
        YamlNode value = node(key, true);
        return value == null ? null : scalar(value, key, "a text");
    }

    /** An optional text field; {@code fallback} when absent. */
    public String string(String key, String fallback) {
        YamlNode value = node(key, false);
        return value == null ? fallback : scalar(value, key, "a text");
    }

    /** A required text field matching a pattern, described for the message (e.g. "an id such as boiler-cold"). */
    public String matching(String key, Pattern pattern, String expected) {
        String text = string(key);
        if (text != null && !pattern.matcher(text).matches()) {
            error(node.fields().get(key), key, "expected " + expected + ", got \"" + text + '"');
            return null;
        }
        return text;
    }

    /** A required number; NaN when missing or not a number. */
    public double number(String key) {
        YamlNode value = node(key, true);
        return value == null ? Double.NaN : toNumber(value, key);
    }

    /** An optional number; {@code fallback} when absent. */
    public double number(String key, double fallback) {
        YamlNode value = node(key, false);
        return value == null ? fallback : toNumber(value, key);
    }

    /** A required duration such as {@code 30s}, {@code 15m}, {@code 2h}, {@code 3d} or {@code 1h30m}. */
    public Duration duration(String key) {
        YamlNode value = node(key, true);
        return value == null ? null : toDuration(value, key);
    }

    /** An optional duration; {@code fallback} when absent. */
    public Duration duration(String key, Duration fallback) {
        YamlNode value = node(key, false);
        return value == null ? fallback : toDuration(value, key);
    }

    /** A required enumerated word, matched case-insensitively with {@code -} for {@code _}. */
    public <E extends Enum<E>> E word(String key, Class<E> type) {
        String text = string(key);
        if (text == null) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(text.replace('-', '_'))) {
                return constant;
            }
        }
        error(node.fields().get(key), key, "expected one of " + words(type) + ", got \"" + text + '"');
        return null;
    }

    /** A nested mapping, or {@code null} (and an error when required) when absent. */
    public MappingReader mapping(String key, boolean required) {
        YamlNode value = node(key, required);
        return value == null ? null : new MappingReader(value, pathOf(key), problems);
    }

    /** A required list of texts (a single text is accepted as a list of one). */
    public List<String> strings(String key) {
        YamlNode value = node(key, true);
        if (value == null) {
            return List.of();
        }
        if (value.kind() == YamlNode.Kind.SCALAR) {
            return List.of(value.text());
        }
        if (value.kind() != YamlNode.Kind.SEQUENCE || value.items().isEmpty()) {
            error(value, key, "expected a non-empty list of texts, got " + value.describe());
            return List.of();
        }
        List<String> texts = new java.util.ArrayList<>();
        for (int i = 0; i < value.items().size(); i++) {
            YamlNode item = value.items().get(i);
            if (item.kind() != YamlNode.Kind.SCALAR) {
                problems.add(item.line(), pathOf(key) + '[' + i + ']', "expected a text, got " + item.describe());
            } else {
                texts.add(item.text());
            }
        }
        return List.copyOf(texts);
    }

    /** Reports every field of the mapping that no getter asked for. */
    public void finish() {
        if (!valid) {
            return;
        }
        for (String key : node.fields().keySet()) {
            if (!read.contains(key)) {
                problems.add(node.keyLine(key), pathOf(key), "unknown field");
            }
        }
    }

    /** The mapping's keys as written. */
    public Set<String> keys() {
        return valid ? node.fields().keySet() : Set.of();
    }

    private String scalar(YamlNode value, String key, String expected) {
        if (value.kind() != YamlNode.Kind.SCALAR) {
            error(value, key, "expected " + expected + ", got " + value.describe());
            return null;
        }
        return value.text();
    }

    private double toNumber(YamlNode value, String key) {
        String text = scalar(value, key, "a number");
        if (text == null) {
            return Double.NaN;
        }
        try {
            double number = Double.parseDouble(text);
            if (Double.isFinite(number)) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        error(value, key, "expected a number, got \"" + text + '"');
        return Double.NaN;
    }

    private Duration toDuration(YamlNode value, String key) {
        Duration duration = value.kind() == YamlNode.Kind.SCALAR ? parseDuration(value.text()) : null;
        if (duration == null) {
            error(value, key, "expected a duration such as 30m, got "
                    + (value.kind() == YamlNode.Kind.SCALAR ? '"' + value.text() + '"' : value.describe()));
        }
        return duration;
    }

    /** A duration as {@link Durations#parse} reads it; {@code null} when the text is not one. */
    public static Duration parseDuration(String text) {
        return Durations.parse(text);
    }

    private static <E extends Enum<E>> String words(Class<E> type) {
        StringBuilder out = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            out.append(out.length() == 0 ? "" : ", ").append(constant.name().toLowerCase().replace('_', '-'));
        }
        return out.toString();
    }
}
