package fr.gardien.sim.fault;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree that remembers the line of every node, so a scenario's errors can
 * name their line. Read with Jackson's streaming YAML parser; scalars are kept as text.
 */
final class YamlNode {
  private final int line;
  private final Map<String, YamlNode> fields;
  private final List<YamlNode> items;
  private final String text;

  private YamlNode(int line, Map<String, YamlNode> fields, List<YamlNode> items, String text) {
    this.line = line;
    this.fields = fields;
    this.items = items;
    this.text = text;
  }

  /** Parses one document; fails with the parser's message and line. */
  static YamlNode parse(String yaml) throws IOException {
    try (JsonParser p = new YAMLFactory().createParser(yaml)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return new YamlNode(1, null, null, null);
      }
      return read(p);
    }
  }

  private static YamlNode read(JsonParser p) throws IOException {
    int line = p.currentTokenLocation().getLineNr();
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      Map<String, YamlNode> fields = new LinkedHashMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        fields.put(name, read(p));
      }
      return new YamlNode(line, fields, null, null);
    }
    if (t == JsonToken.START_ARRAY) {
      List<YamlNode> items = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        items.add(read(p));
      }
      return new YamlNode(line, null, items, null);
    }
    return new YamlNode(line, null, null, t == JsonToken.VALUE_NULL ? null : p.getText());
  }

  int line() {
    return line;
  }

  boolean isMap() {
    return fields != null;
  }

  boolean isList() {
    return items != null;
  }

  boolean isScalar() {
    return fields == null && items == null && text != null;
  }

  /** The text of a scalar, null otherwise. */
  String text() {
    return isScalar() ? text : null;
  }

  /** The fields of a mapping (empty for other nodes). */
  Map<String, YamlNode> fields() {
    return fields == null ? Map.of() : fields;
  }

  /** The items of a list (empty for other nodes). */
  List<YamlNode> items() {
    return items == null ? List.of() : items;
  }

  YamlNode get(String name) {
    return fields().get(name);
  }
}
