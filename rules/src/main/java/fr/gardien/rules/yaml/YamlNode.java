package fr.gardien.rules.yaml;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value with the line it starts on, so that every load error can name {@code file:LINE}
 * (Jackson's tree model forgets locations). The one node model of Gardien's YAML: the rule
 * files, the gateway's configuration, its {@code ticketing} section and the portfolio. Read with
 * {@link YamlFile#read} (a file, duplicate keys collected as problems) or {@link #parse} (a text,
 * a duplicate key refused at once).
 */
public sealed interface YamlNode permits YamlNode.Mapping, YamlNode.Sequence, YamlNode.Scalar {

    /** The shape of a YAML value. */
    enum Kind { MAPPING, SEQUENCE, SCALAR, NULL }

    /**
     * Parses one YAML document.
     *
     * @throws IllegalArgumentException with {@code "LINE: message"} when the text is not YAML or
     *     a mapping repeats a key
     */
    static YamlNode parse(String yamlText) {
        return YamlFile.parse(yamlText);
    }

    /** The 1-based line the node starts on. */
    int line();

    /** What a message shows of the value: the scalar quoted, or its kind ("a mapping", "a list", "nothing"). */
    String describe();

    default Kind kind() {
        if (this instanceof Mapping) {
            return Kind.MAPPING;
        }
        if (this instanceof Sequence) {
            return Kind.SEQUENCE;
        }
        return ((Scalar) this).isNull() ? Kind.NULL : Kind.SCALAR;
    }

    /** A scalar's text as written (numbers and booleans too); {@code null} for other kinds and a YAML null. */
    default String text() {
        return null;
    }

    /** A mapping's values by key, in the order written (the first of a repeated key); empty for other kinds. */
    default Map<String, YamlNode> fields() {
        return Map.of();
    }

    /** The line of a mapping's key, or this node's line when absent. */
    default int keyLine(String key) {
        return line();
    }

    /** A sequence's items; empty for other kinds. */
    default List<YamlNode> items() {
        return List.of();
    }

    /** A canonical text of the value, independent of layout and comments (for fingerprints). */
    default String canonical() {
        StringBuilder out = new StringBuilder();
        canonical(this, out);
        return out.toString();
    }

    private static void canonical(YamlNode node, StringBuilder out) {
        switch (node.kind()) {
            case MAPPING -> {
                out.append('{');
                node.fields().forEach((k, v) -> {
                    out.append(k).append(':');
                    canonical(v, out);
                    out.append(',');
                });
                out.append('}');
            }
            case SEQUENCE -> {
                out.append('[');
                node.items().forEach(v -> {
                    canonical(v, out);
                    out.append(',');
                });
                out.append(']');
            }
            case SCALAR -> out.append('"').append(node.text().replace("\"", "\\\"")).append('"');
            case NULL -> out.append("~");
        }
    }

    /** One key of a mapping, with the line of the key itself. */
    record Entry(String key, int line, YamlNode value) {
    }

    /**
     * A mapping, its entries in file order. Duplicate keys are kept here (and reported by
     * {@link YamlFile#problems()}); {@link #get} returns the first.
     */
    record Mapping(int line, List<Entry> entries) implements YamlNode {
        public Mapping {
            entries = List.copyOf(entries);
        }

        /** The first entry with this key, or {@code null}. */
        public Entry get(String key) {
            for (Entry e : entries) {
                if (e.key().equals(key)) {
                    return e;
                }
            }
            return null;
        }

        @Override
        public Map<String, YamlNode> fields() {
            Map<String, YamlNode> fields = new LinkedHashMap<>();
            for (Entry e : entries) {
                fields.putIfAbsent(e.key(), e.value());
            }
            return Collections.unmodifiableMap(fields);
        }

        @Override
        public int keyLine(String key) {
            Entry e = get(key);
            return e == null ? line : e.line();
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    /** A sequence (list). */
    record Sequence(int line, List<YamlNode> items) implements YamlNode {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    /**
     * A scalar as written. {@code text} is the scalar's text ({@code null} for a YAML null such
     * as an empty value or {@code ~}); {@code type} says how YAML typed it.
     */
    record Scalar(int line, String text, Type type) implements YamlNode {
        /** How YAML typed a scalar. Quoted scalars are always {@link #STRING}. */
        public enum Type { STRING, INTEGER, FLOAT, BOOLEAN, NULL }

        public boolean isNull() {
            return type == Type.NULL;
        }

        @Override
        public String describe() {
            return isNull() ? "nothing" : '"' + text + '"';
        }
    }
}
