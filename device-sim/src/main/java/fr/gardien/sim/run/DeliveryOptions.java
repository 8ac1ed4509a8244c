package fr.gardien.sim.run;

import fr.gardien.sim.Options;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** How a simulated device batches its readings and what it keeps while the gateway cannot take them. */
public final class DeliveryOptions {

  @Option(names = "--batch", defaultValue = "1", paramLabel = "N",
      description = "Samples per pack: a device reads its points every --interval and sends N samples in one SenML pack, "
          + "as field gateways batch (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--buffer-packs", defaultValue = "1000", paramLabel = "N",
      description = "Store-and-forward: packs a device keeps while the gateway is unreachable or overloaded; when full "
          + "the oldest is dropped and counted (default: ${DEFAULT-VALUE}).")
  int bufferPacks;

  @Option(names = "--buffer-max-age", defaultValue = "24h", paramLabel = "D", converter = Options.DurationConverter.class,
      description = "Store-and-forward: packs whose oldest reading is older than this, in simulated time, are dropped "
          + "and counted instead of sent (default: ${DEFAULT-VALUE}).")
  Duration bufferMaxAge;

  void validate(CommandSpec spec) {
    if (batch < 1 || bufferPacks < 1 || bufferMaxAge.toMillis() < 1) {
      throw new ParameterException(spec.commandLine(), "--batch, --buffer-packs and --buffer-max-age must be positive");
    }
  }
}
