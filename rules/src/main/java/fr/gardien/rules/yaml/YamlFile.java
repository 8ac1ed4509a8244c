package fr.gardien.rules.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A parsed YAML file: its located tree and the structural problems found while reading it
 * (duplicate keys), each already formatted as {@code file:LINE: what}.
 *
 * @param file the file as given (used as is in messages)
 * @param root the document's root node; an empty document is a null {@link YamlNode.Scalar}
 * @param problems duplicate keys, one message each; empty when none
 */
public record YamlFile(Path file, YamlNode root, List<String> problems) {

    private static final YAMLFactory YAML = new YAMLFactory();

    public YamlFile {
        problems = List.copyOf(problems);
    }

    /** Thrown when a file cannot be read or is not YAML; the message names the file (and line). */
    public static final class ReadException extends Exception {
        private static final long serialVersionUID = 1L;

        ReadException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Reads and parses one YAML document (UTF-8).
     *
     * @throws ReadException when the file is missing or unreadable, is not UTF-8, is not valid
     *     YAML (the message then has the line), or holds more than one document
     */
    public static YamlFile read(Path file) throws ReadException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             JsonParser parser = YAML.createParser(reader)) {
            List<String> problems = new ArrayList<>();
            JsonToken first = parser.nextToken();
            YamlNode root = first == null
                ? new YamlNode.Scalar(1, null, YamlNode.Scalar.Type.NULL)
                : node(parser, file, problems);
            if (first != null && parser.nextToken() != null) {
                throw new ReadException(file + ":" + line(parser.currentTokenLocation())
                    + ": only one YAML document is expected", null);
            }
            return new YamlFile(file, root, problems);
        } catch (NoSuchFileException e) {
            throw new ReadException(file + ": file not found", e);
        } catch (JsonProcessingException e) {
            throw new ReadException(syntaxError(file, e), e);
        } catch (CharacterCodingException e) {
            throw new ReadException(file + ": cannot read: not UTF-8 text", e);
        } catch (IOException e) {
            throw new ReadException(file + ": cannot read: " + e, e);
        }
    }

    /**
     * Parses one YAML document from a text; a repeated key is refused at once.
     *
     * @throws IllegalArgumentException with {@code "LINE: message"} when the text is not YAML or
     *     a mapping repeats a key
     */
    static YamlNode parse(String yamlText) {
        try (JsonParser parser = YAML.createParser(yamlText)) {
            if (parser.nextToken() == null) {
                return new YamlNode.Scalar(1, null, YamlNode.Scalar.Type.NULL);
            }
            return node(parser, null, null);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(line(e.getLocation()) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("1: " + e.getMessage(), e);
        }
    }

    /** With {@code problems} null, a duplicate key throws instead of being collected. */
    private static YamlNode node(JsonParser p, Path file, List<String> problems) throws IOException {
        int line = line(p.currentTokenLocation());
        JsonToken token = p.currentToken();
        switch (token) {
            case START_OBJECT: {
                List<YamlNode.Entry> entries = new ArrayList<>();
                Map<String, Integer> seen = new HashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = line(p.currentTokenLocation());
                    Integer previous = seen.putIfAbsent(key, keyLine);
                    if (previous != null && problems == null) {
                        throw new IllegalArgumentException(keyLine + ": duplicate key \"" + key + "\"");
                    }
                    if (previous != null) {
                        problems.add(file + ":" + keyLine + ": duplicate key \"" + key
                            + "\" (first at line " + previous + ")");
                    }
                    p.nextToken();
                    entries.add(new YamlNode.Entry(key, keyLine, node(p, file, problems)));
                }
                return new YamlNode.Mapping(line, entries);
            }
            case START_ARRAY: {
                List<YamlNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(node(p, file, problems));
                }
                return new YamlNode.Sequence(line, items);
            }
            case VALUE_NULL:
                return new YamlNode.Scalar(line, null, YamlNode.Scalar.Type.NULL);
            case VALUE_NUMBER_INT:
                return new YamlNode.Scalar(line, p.getText(), YamlNode.Scalar.Type.INTEGER);
            case VALUE_NUMBER_FLOAT:
                return new YamlNode.Scalar(line, p.getText(), YamlNode.Scalar.Type.FLOAT);
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new YamlNode.Scalar(line, p.getText(), YamlNode.Scalar.Type.BOOLEAN);
            default:
                // VALUE_STRING, and VALUE_EMBEDDED_OBJECT for !!binary: kept as text.
                return new YamlNode.Scalar(line, p.getText(), YamlNode.Scalar.Type.STRING);
        }
    }

    /** SnakeYAML's problem and its line, with its context ("while parsing …"), when it has them. */
    private static String syntaxError(Path file, JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException) {
            MarkedYAMLException m = (MarkedYAMLException) e.getCause();
            if (m.getProblem() != null && m.getProblemMark() != null) {
                String context = m.getContext() == null ? ""
                    : " (" + m.getContext() + (m.getContextMark() == null ? ""
                        : " started at line " + (m.getContextMark().getLine() + 1)) + ")";
                return file + ":" + (m.getProblemMark().getLine() + 1) + ": invalid YAML: " + m.getProblem() + context;
            }
        }
        return file + ":" + line(e.getLocation()) + ": invalid YAML: " + firstLine(e.getOriginalMessage());
    }

    private static int line(JsonLocation location) {
        return location == null ? 1 : Math.max(1, location.getLineNr());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "syntax error";
        }
        String trimmed = message.strip();
        int nl = trimmed.indexOf('\n');
        return nl < 0 ? trimmed : trimmed.substring(0, nl).strip();
    }
}
