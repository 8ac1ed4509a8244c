package fr.gardien.gateway.ticketing.connector;

import fr.gardien.gateway.config.ConfigException;
import fr.gardien.rules.yaml.YamlNode;
import fr.gardien.gateway.ticketing.ConnectorFactory;
import fr.gardien.gateway.ticketing.ConnectorSpec;
import fr.gardien.gateway.ticketing.TicketConnector;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The connector kinds this build carries, from a connector's YAML fields to a
 * {@link TicketConnector}: the settings records validate the fields and report every error, which
 * lands here with the line of the field it names.
 */
public final class ConnectorFactories {

    private ConnectorFactories() {
    }

    /** Webhook, templated REST and e-mail connectors. */
    public static Map<ConnectorSpec.Type, ConnectorFactory> standard() {
        Map<ConnectorSpec.Type, ConnectorFactory> factories = new EnumMap<>(ConnectorSpec.Type.class);
        factories.put(ConnectorSpec.Type.WEBHOOK, of(WebhookSettings::fromYaml, WebhookConnector::new));
        factories.put(ConnectorSpec.Type.REST, of(RestSettings::fromYaml, RestConnector::new));
        factories.put(ConnectorSpec.Type.EMAIL, of(fields -> EmailSettings.from(new LinkedHashMap<>(fields)), EmailConnector::new));
        return factories;
    }

    /** A factory from a settings parser that throws {@link ConfigException} and a constructor. */
    public static <S> ConnectorFactory of(Function<Map<String, ?>, S> settings, BiFunction<Vertx, S, TicketConnector> connector) {
        return (spec, vertx, problems) -> {
            try {
                return connector.apply(vertx, settings.apply(plain(spec.fields())));
            } catch (ConfigException e) {
                for (String error : e.errors()) {
                    int colon = error.indexOf(": ");
                    // Settings may name the field from the section's root: keep the part inside the connector.
                    String field = colon < 0 ? "" : error.substring(0, colon).replaceFirst("^ticketing\\.connectors\\[[^]]*]\\.?", "");
                    String message = colon < 0 ? error : error.substring(colon + 2);
                    String top = field.split("[.\\[]", 2)[0];
                    YamlNode.Entry entry = top.isEmpty() ? null : spec.fields().get(top);
                    int line = entry != null ? entry.line() : spec.fields().line();
                    problems.add(line, field.isEmpty() ? spec.path() : spec.path(field), message);
                }
                return null;
            }
        };
    }

    /** The YAML tree as plain values: maps, lists, strings, longs, doubles, booleans, nulls. */
    static Map<String, Object> plain(YamlNode.Mapping mapping) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (YamlNode.Entry entry : mapping.entries()) {
            out.put(entry.key(), plain(entry.value()));
        }
        return out;
    }

    private static Object plain(YamlNode node) {
        if (node instanceof YamlNode.Mapping m) {
            return plain(m);
        }
        if (node instanceof YamlNode.Sequence s) {
            List<Object> items = new ArrayList<>();
            s.items().forEach(i -> items.add(plain(i)));
            return items;
        }
        YamlNode.Scalar scalar = (YamlNode.Scalar) node;
        return switch (scalar.type()) {
            case NULL -> null;
            case BOOLEAN -> Boolean.parseBoolean(scalar.text());
            case INTEGER -> parseInteger(scalar.text());
            case FLOAT -> Double.parseDouble(scalar.text());
            case STRING -> scalar.text();
        };
    }

    private static Object parseInteger(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return text;
        }
    }
}
