package fr.gardien.gateway.ticketing;

import fr.gardien.rules.yaml.YamlNode;
import java.util.Locale;

/**
 * One entry of {@code ticketing.connectors} as written: its name and type, checked here, and its
 * type-specific fields (url, secret, template, smtp, …) left for its {@link ConnectorFactory} to
 * validate, with their lines.
 *
 * @param path where it is in the configuration, e.g. {@code ticketing.connectors[0]}
 * @param fields the whole entry (name and type included), with the line of every node
 */
public record ConnectorSpec(String name, Type type, String path, YamlNode.Mapping fields) {

    /** The kinds of connector of the contract. */
    public enum Type {
        WEBHOOK, REST, EMAIL;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The node of a field, or {@code null} when absent. */
    public YamlNode field(String key) {
        YamlNode.Entry e = fields.get(key);
        return e == null ? null : e.value();
    }

    /** The path of one of its fields, for errors: {@code ticketing.connectors[0].url}. */
    public String path(String key) {
        return path + "." + key;
    }
}
