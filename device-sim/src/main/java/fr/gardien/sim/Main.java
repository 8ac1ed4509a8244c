package fr.gardien.sim;

import fr.gardien.sim.latency.AlertLatencyCommand;
import fr.gardien.sim.eval.EvaluateCommand;
import fr.gardien.sim.inbox.InboxCommand;
import fr.gardien.sim.load.LoadCommand;
import fr.gardien.sim.portfolio.PortfolioCommand;
import fr.gardien.sim.run.RunCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Entry point of {@code gardien-sim.jar}: the device simulator and the load generator. */
@Command(name = "gardien-sim", mixinStandardHelpOptions = true, version = "gardien-sim 0.1.0",
    description = "Gardien device simulator: simulated devices over MQTT with injectable faults, a portfolio generator, the evaluation of alerts against injected faults, the benchmark load generator, the alert latency probe and the demo's ticket inbox.",
    subcommands = {RunCommand.class, PortfolioCommand.class, EvaluateCommand.class, LoadCommand.class,
        AlertLatencyCommand.class, InboxCommand.class})
public final class Main implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** A command line with this program's commands; tests run commands in-process through it. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
