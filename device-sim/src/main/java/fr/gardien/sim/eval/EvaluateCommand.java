package fr.gardien.sim.eval;

import fr.gardien.sim.Options;
import fr.gardien.sim.fault.Truth;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code evaluate}: compares the faults a run injected (its truth file) with the alerts the gateway
 * raised, through the gateway's HTTP API, and prints the detection rate per fault type, the times
 * to detect against each rule's {@code for} plus 10 min, and the false alerts per site-week.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Compares injected faults (--truth of a run) with the alerts a gateway raised.",
        "Prints per fault type the faults detected, the median and p90 time to detect against the rule's own minimum duration (its `for` plus its detector's span) + 10 min, "
            + "and the alerts matching no fault per site-week. Exit code: 0 when the report is printed (whether or not "
            + "the targets are met); 2 on a bad option or truth file; 1 when the gateway cannot be read."})
public final class EvaluateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--truth", required = true, paramLabel = "FILE", description = "The truth file written by run --truth.")
  Path truthFile;

  @Option(names = "--gateway", required = true, paramLabel = "http://HOST:PORT", description = "The gateway's HTTP API.")
  String gateway;

  @Option(names = "--token", required = true, paramLabel = "T",
      description = "An API token that sees every site of the run (admin or energy analyst).")
  String token;

  @Option(names = "--from", paramLabel = "ISO", converter = Options.InstantConverter.class,
      description = "Start of the evaluated period (default: the run's start).")
  Instant from;

  @Option(names = "--to", paramLabel = "ISO", converter = Options.InstantConverter.class,
      description = "End of the evaluated period (default: the run's end).")
  Instant to;

  @Option(names = "--tolerance", defaultValue = "1h", paramLabel = "D", converter = Options.DurationConverter.class,
      description = "How long after a fault's end an alert still counts as its detection (default: ${DEFAULT-VALUE}).")
  Duration tolerance;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Truth.Run run;
    try {
      run = Truth.read(truthFile);
    } catch (IOException e) {
      err.println("cannot read the truth file: " + e.getMessage());
      return 2;
    }
    Instant f = from != null ? from : run.from();
    Instant t = to != null ? to : run.to();
    if (!f.isBefore(t) || tolerance.isNegative()) {
      err.println("--from must be before --to and --tolerance not negative");
      return 2;
    }
    run = new Truth.Run(f, t, run.sites(), run.seed(),
        run.faults().stream().filter(x -> !x.start().isBefore(f) && x.start().isBefore(t)).toList());
    URI base;
    try {
      base = URI.create(gateway.endsWith("/") ? gateway : gateway + "/");
      if (base.getScheme() == null || !base.getScheme().startsWith("http")) {
        throw new IllegalArgumentException("not an http(s) URL");
      }
    } catch (IllegalArgumentException e) {
      err.println("--gateway " + gateway + ": " + e.getMessage());
      return 2;
    }
    AlertsClient client = new AlertsClient(base, token);
    Map<String, RuleInfo> rules;
    List<Alert> alerts;
    try {
      rules = client.rules();
      alerts = client.alerts(run.sites());
    } catch (IOException e) {
      err.println("cannot read the gateway at " + gateway + ": " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
    client.warnings().forEach(w -> err.println("warning: " + w));
    Matching.Result result = Matching.match(run, alerts, rules, tolerance);
    EvaluationReport.print(out, run, result, tolerance, alerts.size());
    return 0;
  }
}
