package fr.gardien.gateway;

import fr.gardien.gateway.backtest.BacktestCommand;
import fr.gardien.gateway.governance.RegisterCommand;
import fr.gardien.gateway.config.ConfigException;
import fr.gardien.gateway.config.ConfigLoader;
import fr.gardien.gateway.config.GardienConfig;
import fr.gardien.gateway.registry.PortfolioException;
import fr.gardien.gateway.rules.RulesInvalidException;
import fr.gardien.gateway.registry.SecretHasher;
import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar gardien-gateway.jar [--config FILE]}: runs the gateway until stopped. */
@Command(name = "gardien-gateway", mixinStandardHelpOptions = true, version = "Gardien gateway 0.1.0",
        description = "Runs the Gardien gateway: MQTT and HTTP ingestion into PostgreSQL/TimescaleDB, and the HTTP API.",
        subcommands = {Main.HashSecret.class, BacktestCommand.class, RegisterCommand.class})
public final class Main implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    @Option(names = "--config", paramLabel = "FILE",
            description = "The YAML configuration file. Every key can be overridden by GARDIEN_<KEY> environment variables.")
    private Path config;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() {
        GardienConfig effective;
        try {
            effective = ConfigLoader.load(config, System.getenv());
        } catch (ConfigException e) {
            System.err.println("gardien: the configuration is invalid:\n" + e.getMessage());
            return 2;
        }
        Gateway gateway;
        try {
            gateway = Gateway.start(effective);
        } catch (PortfolioException e) {
            System.err.println("gardien: the portfolio is invalid:\n" + e.getMessage());
            return 2;
        } catch (RulesInvalidException e) {
            System.err.println("gardien: the rules are invalid:\n" + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            log.error("start-up failed", e);
            System.err.println("gardien: start-up failed: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.stop();
            stopped.countDown();
        }, "gardien-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Prints the salted hash of a secret read from the terminal or standard input, for {@code secret-hash}. */
    @Command(name = "hash-secret", mixinStandardHelpOptions = true,
            description = "Reads a device secret or API token from standard input and prints its salted hash, "
                    + "for the portfolio's secret-hash or token-hash fields.")
    static final class HashSecret implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            String secret;
            Console console = System.console();
            if (console != null) {
                char[] typed = console.readPassword("secret: ");
                secret = typed == null ? null : new String(typed);
            } else {
                secret = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            }
            if (secret == null || secret.isEmpty()) {
                System.err.println("gardien: no secret given on standard input");
                return 2;
            }
            System.out.println(SecretHasher.DEFAULT.hash(secret));
            return 0;
        }
    }
}
