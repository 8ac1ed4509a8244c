package fr.gardien.gateway.config;

import java.util.List;

/**
 * A YAML document as a tree whose every node knows the line it starts on, so that validation
 * errors can name {@code file:LINE}. Produced by {@link YamlFile#read}; shared by the config and
 * portfolio loaders (and any later section, such as {@code ticketing}, that needs lines).
 */
public sealed interface YamlNode permits YamlNode.Mapping, YamlNode.Sequence, YamlNode.Scalar {

    /** The 1-based line the node starts on. */
    int line();

    /** A human description of the node's kind for error messages: "a mapping", "a list", … */
    String describe();

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
     * as an empty value or {@code ~}); {@code kind} says how YAML typed it.
     */
    record Scalar(int line, String text, Kind kind) implements YamlNode {
        /** How YAML typed a scalar. Quoted scalars are always {@link #STRING}. */
        public enum Kind { STRING, INTEGER, FLOAT, BOOLEAN, NULL }

        public boolean isNull() {
            return kind == Kind.NULL;
        }

        @Override
        public String describe() {
            return isNull() ? "nothing" : '"' + text + '"';
        }
    }
}
