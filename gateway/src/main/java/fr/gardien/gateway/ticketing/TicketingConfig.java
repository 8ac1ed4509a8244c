package fr.gardien.gateway.ticketing;

import fr.gardien.rules.yaml.Problems;
import fr.gardien.gateway.config.ConfigException;
import fr.gardien.rules.yaml.YamlNode;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code ticketing} section (contract: "Outbound tickets"; issue 4), validated once: every
 * connector name unique, every route's and the default's connector configured. Connector-specific
 * fields are validated by the connectors' factories ({@link ConnectorSpec}).
 *
 * @param routes first match wins
 * @param defaultConnector where an alert no route matches goes; {@code null}: nowhere (skipped)
 * @param publicUrl the gateway's public base URL, for the link back to the dashboard
 * @param language {@code fr} or {@code en}: the language of the outbound summaries
 */
public record TicketingConfig(List<ConnectorSpec> connectors, List<Route> routes, String defaultConnector,
        DeliverySettings delivery, String publicUrl, String language) {

    public static final String DEFAULT_PUBLIC_URL = "http://localhost:8080";
    public static final Set<String> LANGUAGES = Set.of("fr", "en");

    /** No ticketing section: nothing is delivered. */
    public static final TicketingConfig NONE = new TicketingConfig(List.of(), List.of(), null, DeliverySettings.DEFAULTS,
            DEFAULT_PUBLIC_URL, "fr");

    public TicketingConfig {
        connectors = List.copyOf(connectors);
        routes = List.copyOf(routes);
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(publicUrl, "publicUrl");
        if (!LANGUAGES.contains(language)) {
            throw new IllegalArgumentException("language must be fr or en, was " + language);
        }
        Set<String> names = new java.util.HashSet<>();
        for (ConnectorSpec c : connectors) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("connector " + c.name() + " is configured twice");
            }
        }
        for (Route r : routes) {
            if (!names.contains(r.connector())) {
                throw new IllegalArgumentException("route to unknown connector " + r.connector());
            }
        }
        if (defaultConnector != null && !names.contains(defaultConnector)) {
            throw new IllegalArgumentException("default to unknown connector " + defaultConnector);
        }
    }

    /**
     * Reads the section as the config loader kept it.
     *
     * @param file the configuration file's name, for the errors
     * @throws ConfigException with every error of the section, each with its line
     */
    public static TicketingConfig parse(YamlNode section, String file) {
        Problems problems = new Problems(file);
        TicketingConfig config = new TicketingParser(problems).section(section);
        ConfigException.throwIfAny(problems);
        return config;
    }

    /** Whether anything can be delivered at all. */
    public boolean enabled() {
        return !connectors.isEmpty();
    }
}
