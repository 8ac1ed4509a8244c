package fr.gardien.rules.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value with the line it starts on: Jackson's tree model forgets locations, and every load
 * error must name its line. A mapping keeps its keys' order and the line of each key.
 */
public final class Node {

    /** The shape of a YAML value. */
    public enum Kind { MAPPING, SEQUENCE, SCALAR, NULL }

    private static final YAMLFactory YAML = new YAMLFactory();

    private final Kind kind;
    private final int line;
    private final String text;
    private final Map<String, Node> entries;
    private final Map<String, Integer> keyLines;
    private final List<Node> items;

    private Node(Kind kind, int line, String text, Map<String, Node> entries, Map<String, Integer> keyLines,
            List<Node> items) {
        this.kind = kind;
        this.line = line;
        this.text = text;
        this.entries = entries;
        this.keyLines = keyLines;
        this.items = items;
    }

    /**
     * Parses one YAML document.
     *
     * @throws IllegalArgumentException with {@code "LINE: message"} when the text is not YAML or
     *     a mapping repeats a key
     */
    public static Node parse(String yamlText) {
        try (JsonParser parser = YAML.createParser(yamlText)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return new Node(Kind.NULL, 1, null, Map.of(), Map.of(), List.of());
            }
            return read(parser);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new IllegalArgumentException((at == null ? 1 : at.getLineNr()) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("1: " + e.getMessage(), e);
        }
    }

    private static Node read(JsonParser parser) throws IOException {
        int line = parser.currentTokenLocation().getLineNr();
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT: {
                Map<String, Node> entries = new LinkedHashMap<>();
                Map<String, Integer> keyLines = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    int keyLine = parser.currentTokenLocation().getLineNr();
                    parser.nextToken();
                    Node value = read(parser);
                    if (entries.putIfAbsent(key, value) != null) {
                        throw new IllegalArgumentException(keyLine + ": duplicate key \"" + key + "\"");
                    }
                    keyLines.put(key, keyLine);
                }
                return new Node(Kind.MAPPING, line, null, Collections.unmodifiableMap(entries),
                        Collections.unmodifiableMap(keyLines), List.of());
            }
            case START_ARRAY: {
                List<Node> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(parser));
                }
                return new Node(Kind.SEQUENCE, line, null, Map.of(), Map.of(), List.copyOf(items));
            }
            case VALUE_NULL:
                return new Node(Kind.NULL, line, null, Map.of(), Map.of(), List.of());
            default:
                return new Node(Kind.SCALAR, line, parser.getText(), Map.of(), Map.of(), List.of());
        }
    }

    public Kind kind() {
        return kind;
    }

    /** The 1-based line the value starts on. */
    public int line() {
        return line;
    }

    /** A scalar's text as written (numbers and booleans too); {@code null} for other kinds. */
    public String text() {
        return text;
    }

    /** A mapping's entries in the order written; empty for other kinds. */
    public Map<String, Node> entries() {
        return entries;
    }

    /** The line of a mapping's key, or this node's line when absent. */
    public int keyLine(String key) {
        return keyLines.getOrDefault(key, line);
    }

    /** A sequence's items; empty for other kinds. */
    public List<Node> items() {
        return items;
    }

    /** A canonical text of the value, independent of layout and comments (for fingerprints). */
    public String canonical() {
        StringBuilder out = new StringBuilder();
        canonical(out);
        return out.toString();
    }

    private void canonical(StringBuilder out) {
        switch (kind) {
            case MAPPING -> {
                out.append('{');
                entries.forEach((k, v) -> {
                    out.append(k).append(':');
                    v.canonical(out);
                    out.append(',');
                });
                out.append('}');
            }
            case SEQUENCE -> {
                out.append('[');
                items.forEach(v -> {
                    v.canonical(out);
                    out.append(',');
                });
                out.append(']');
            }
            case SCALAR -> out.append('"').append(text.replace("\"", "\\\"")).append('"');
            case NULL -> out.append("~");
        }
    }

    /** What a message shows of the value: the scalar quoted, or its kind. */
    public String describe() {
        return switch (kind) {
            case SCALAR -> '"' + text + '"';
            case MAPPING -> "a mapping";
            case SEQUENCE -> "a list";
            case NULL -> "nothing";
        };
    }
}
