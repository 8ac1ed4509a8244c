package fr.gardien.gateway.ticketing;

import fr.gardien.gateway.ticketing.connector.ConnectorFactories;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.gardien.gateway.config.ConfigException;
import fr.gardien.gateway.config.ConfigLoader;
import fr.gardien.gateway.config.GardienConfig;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connectors are built from the configuration file, and their field errors point at the file's lines. */
class ConnectorFactoriesTest {

    @TempDir
    Path dir;

    /** A webhook, a REST template and an e-mail connector are all built from one file. */
    @Test
    void everyConnectorTypeIsBuiltFromTheFile() throws Exception {
        Path file = write("""
                ticketing:
                  connectors:
                    - {name: hook, type: webhook, url: "https://tickets.example/hook", secret: "0123456789abcdef0123"}
                    - {name: redmine, type: rest, template: redmine, url: "https://redmine.example", api-key: "k-0123456789",
                       project-id: "chauffage", closed-status-id: 5}
                    - {name: mail, type: email, host: smtp.example, from: gardien@bailleur.example, to: [tickets@bailleur.example]}
                  default: hook
                """);
        GardienConfig config = ConfigLoader.load(file, Map.of());
        Vertx vertx = Vertx.vertx();
        try {
            Map<String, TicketConnector> built = Connectors.build(TicketingConfig.parse(config.ticketing().orElseThrow(),
                    file.toString()), ConnectorFactories.standard(), vertx, file.toString());
            assertThat(built).containsOnlyKeys("hook", "redmine", "mail");
        } finally {
            vertx.close();
        }
    }

    /** A connector's invalid fields are reported with the connector's path and the field's line. */
    @Test
    void fieldErrorsCarryTheirLine() throws Exception {
        Path file = write("""
                ticketing:
                  connectors:
                    - name: hook
                      type: webhook
                      url: "ftp://tickets.example/hook"
                      secret: "short"
                  default: hook
                """);
        GardienConfig config = ConfigLoader.load(file, Map.of());
        Vertx vertx = Vertx.vertx();
        try {
            TicketingConfig ticketing = TicketingConfig.parse(config.ticketing().orElseThrow(), file.toString());
            assertThatThrownBy(() -> Connectors.build(ticketing, ConnectorFactories.standard(), vertx, file.toString()))
                    .isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertThat(((ConfigException) e).errors())
                            .anyMatch(m -> m.startsWith(file + ":5: ticketing.connectors[0].url"))
                            .anyMatch(m -> m.startsWith(file + ":6: ticketing.connectors[0].secret")));
        } finally {
            vertx.close();
        }
    }

    private Path write(String text) throws Exception {
        Path file = dir.resolve("gardien.yaml");
        Files.writeString(file, text);
        return file;
    }
}
