package fr.gardien.gateway.ticketing;

import fr.gardien.rules.yaml.Problems;
import io.vertx.core.Vertx;

/**
 * Builds the connectors of one {@link ConnectorSpec.Type} from their configuration, once, at
 * start-up.
 */
@FunctionalInterface
public interface ConnectorFactory {

    /**
     * @return the connector, or {@code null} after adding to {@code problems} every error of the
     *     spec's fields (with their lines)
     */
    TicketConnector create(ConnectorSpec spec, Vertx vertx, Problems problems);
}
