package fr.gardien.gateway.ticketing;

import fr.gardien.gateway.config.ConfigException;
import fr.gardien.rules.yaml.Problems;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the configured connectors through the factory of each type, reporting every error at once. */
public final class Connectors {

    private Connectors() {
    }

    /**
     * @param factories by type: the connector implementations available
     * @return the connectors by name, in configuration order
     * @throws fr.gardien.gateway.config.ConfigException with every error of every connector, the
     *     connectors already built being closed
     */
    public static Map<String, TicketConnector> build(TicketingConfig config, Map<ConnectorSpec.Type, ConnectorFactory> factories,
            Vertx vertx, String file) {
        Problems problems = new Problems(file);
        Map<String, TicketConnector> built = new LinkedHashMap<>();
        for (ConnectorSpec spec : config.connectors()) {
            ConnectorFactory factory = factories.get(spec.type());
            if (factory == null) {
                problems.add(spec.field("type").line(), spec.path("type"), "no " + spec.type().code()
                        + " connector in this build");
                continue;
            }
            TicketConnector connector = factory.create(spec, vertx, problems);
            if (connector != null) {
                built.put(spec.name(), connector);
            }
        }
        if (!problems.isEmpty()) {
            built.values().forEach(TicketConnector::close);
            ConfigException.throwIfAny(problems);
        }
        return built;
    }
}
