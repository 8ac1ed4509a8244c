package fr.gardien.sim;

import fr.gardien.sim.portfolio.Portfolio;
import fr.gardien.sim.portfolio.PortfolioReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The options every command needs to reach a gateway as the devices of a portfolio. */
public final class GatewayTarget {

  @Option(names = "--portfolio", required = true, paramLabel = "FILE",
      description = "Portfolio YAML file (devices with plain secrets).")
  public Path portfolioFile;

  @Option(names = "--mqtt", required = true, paramLabel = "tcp://HOST:PORT", description = "MQTT endpoint of the gateway.")
  public String mqttUri;

  @Option(names = "--mqtt-version", defaultValue = "3", paramLabel = "3|5",
      description = "MQTT 3.1.1 or 5 (default: ${DEFAULT-VALUE}).")
  public int mqttVersion;

  /** Refuses an MQTT version other than 3 (3.1.1) or 5. */
  public void validate(CommandSpec spec) {
    if (mqttVersion != 3 && mqttVersion != 5) {
      throw new ParameterException(spec.commandLine(), "--mqtt-version must be 3 or 5");
    }
  }

  /**
   * The start of a command: refuses the command line when this target or {@code problem} (the
   * command's own, or null) says so, then reads the portfolio.
   *
   * @return the portfolio, or {@code null} after printing every problem of the file to the command's error stream
   */
  public Portfolio start(CommandSpec spec, String problem) {
    validate(spec);
    if (problem != null) {
      throw new ParameterException(spec.commandLine(), problem);
    }
    return readPortfolio(spec.commandLine().getErr());
  }

  /** The portfolio, or {@code null} after printing every problem of the file to {@code err}. */
  public Portfolio readPortfolio(PrintWriter err) {
    return PortfolioReader.read(portfolioFile, err);
  }
}
