package fr.gardien.sim;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The MQTT QoS of the commands that publish: 0 or 1 (the gateway announces no QoS 2). */
public final class QosOption {

  @Option(names = "--qos", defaultValue = "1", paramLabel = "0|1", description = "QoS of the publishes (default: ${DEFAULT-VALUE}).")
  public int value;

  /** Refuses a QoS other than 0 or 1. */
  public void validate(CommandSpec spec) {
    if (problem() != null) {
      throw new ParameterException(spec.commandLine(), problem());
    }
  }

  /** What is wrong with the QoS, or null. */
  public String problem() {
    return value != 0 && value != 1 ? "--qos must be 0 or 1" : null;
  }
}
