package fr.gardien.gateway.governance;

import fr.gardien.gateway.config.ConfigException;
import fr.gardien.gateway.config.ConfigLoader;
import fr.gardien.gateway.config.GardienConfig;
import fr.gardien.gateway.registry.PortfolioException;
import fr.gardien.gateway.registry.PortfolioLoader;
import fr.gardien.gateway.registry.SecretHasher;
import fr.gardien.gateway.ticketing.TicketingConfig;
import fr.gardien.model.Portfolio;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gardien register [--config FILE] [--html]}: prints the record of processing activities
 * generated from the configuration alone (no database: points are counted from the portfolio,
 * readings are not). Exit code 2 when the configuration or the portfolio is invalid, or a point
 * has a category without a declared purpose.
 */
@Command(name = "register", mixinStandardHelpOptions = true,
        description = "Prints the GDPR article 30 record of processing activities generated from the configuration "
                + "(JSON, or HTML with --html). / Affiche le registre des traitements (RGPD art. 30).")
public final class RegisterCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "The gateway's YAML configuration file.")
    private Path config;

    @Option(names = "--html", description = "HTML with French and English headings instead of JSON.")
    private boolean html;

    private final PrintStream out;
    private final PrintStream err;

    public RegisterCommand() {
        this(System.out, System.err);
    }

    RegisterCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        GardienConfig effective;
        GovernanceConfig governance;
        TicketingConfig ticketing;
        try {
            effective = ConfigLoader.load(config, System.getenv());
            governance = GovernanceParser.load(effective.file().orElse(null), effective.storage().retention());
            String file = effective.file().map(Object::toString).orElse("config.yaml");
            ticketing = effective.ticketing().map(t -> TicketingConfig.parse(t, file)).orElse(TicketingConfig.NONE);
        } catch (ConfigException e) {
            err.println("gardien: the configuration is invalid:\n" + e.getMessage());
            return 2;
        }
        Map<String, Long> points = Map.of();
        if (effective.portfolio().isPresent()) {
            try {
                Portfolio portfolio = PortfolioLoader.load(effective.portfolio().get(), SecretHasher.DEFAULT);
                List<String> undeclared = governance.undeclared(portfolio);
                if (!undeclared.isEmpty()) {
                    undeclared.forEach(e -> err.println("gardien: " + e));
                    return 2;
                }
                points = RegisterApi.pointsPerCategory(portfolio.sites());
            } catch (PortfolioException e) {
                err.println("gardien: the portfolio is invalid:\n" + e.getMessage());
                return 2;
            }
        }
        JsonObject register = ProcessingRegister.of(effective, governance, ticketing, effective.api().occupancyMinCount(),
                points, Map.of(), Clock.systemUTC().instant());
        out.println(html ? RegisterHtml.render(register) : register.encodePrettily());
        return 0;
    }
}
