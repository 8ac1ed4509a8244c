package fr.gardien.sim;

import java.nio.file.Path;
import picocli.CommandLine.Option;

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
}
