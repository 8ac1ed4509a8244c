package fr.gardien.sim.run;

import fr.gardien.sim.Options;
import fr.gardien.sim.QosOption;
import fr.gardien.sim.fault.Fault;
import fr.gardien.sim.fault.FaultInjector;
import fr.gardien.sim.fault.RandomFaults;
import fr.gardien.sim.fault.Scenario;
import fr.gardien.sim.fault.ScenarioException;
import fr.gardien.sim.fault.ScenarioReader;
import fr.gardien.sim.fault.Truth;
import fr.gardien.sim.mqtt.PublishException;
import fr.gardien.sim.mqtt.PublishWindow;
import fr.gardien.sim.portfolio.Portfolio;
import fr.gardien.sim.portfolio.Portfolio.Equipment;
import fr.gardien.sim.signal.BuildingProfile;
import fr.gardien.sim.signal.EquipmentSignals;
import fr.gardien.sim.signal.SiteWeather;
import fr.gardien.sim.signal.Variant;
import fr.gardien.sim.transport.Transport;
import fr.gardien.sim.transport.TransportTarget;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code run}: every device of a portfolio connects and sends plausible readings over MQTT, CoAP or HTTP. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Simulates every device of a portfolio over MQTT, CoAP (DTLS-PSK) or HTTP.",
        "",
        "Each device connects with its id and secret and sends, every interval of simulated time, "
            + "a reading of each of its points (a site's equipment is split among its devices), --batch samples per SenML pack. "
            + "Packs the gateway cannot take wait in the device's store-and-forward buffer and are sent late, oldest first. "
            + "--faults injects the faults of a scenario file and --truth writes what was injected, when. "
            + "Exit code: 0 when every pack was acknowledged; 1 on a bad portfolio, an unreachable gateway or failed packs."})
public final class RunCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  TransportTarget target;

  @Mixin
  DeliveryOptions delivery;

  @Mixin
  QosOption qos;

  @Option(names = "--speed", defaultValue = "1", paramLabel = "N", description = "Simulated seconds per real second while the simulated clock is behind the real one (backfill from --from); it never runs ahead of the real clock, whose future readings a gateway rejects (default: ${DEFAULT-VALUE}).")
  double speed;

  @Option(names = "--duration", paramLabel = "D", converter = Options.DurationConverter.class,
      description = "Simulated span to run, e.g. 1h or 7d (default: until Ctrl-C).")
  Duration duration;

  @Option(names = "--from", paramLabel = "ISO", converter = Options.InstantConverter.class,
      description = "Simulated start time, e.g. 2025-01-15T00:00:00Z (default: now).")
  Instant from;

  @Option(names = "--seed", paramLabel = "N", description = "Seed of the generated values (default: random, printed).")
  Long seed;

  @Option(names = "--interval", defaultValue = "60s", paramLabel = "D", converter = Options.DurationConverter.class,
      description = "Simulated time between two samples of a device's points (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(names = "--live-interval", paramLabel = "D", converter = Options.DurationConverter.class,
      description = "Simulated time between two samples once a backfill (--from) has caught up with the present, "
          + "e.g. a coarse --interval 3m for history and --live-interval 10s for what the user watches; live samples are "
          + "sent one pack each, whatever --batch (default: --interval throughout).")
  Duration liveInterval;

  @Option(names = "--faults", paramLabel = "FILE",
      description = "Fault scenario (YAML, see the README): explicit faults and/or a random mode; random needs --duration.")
  Path faultsFile;

  @Option(names = "--truth", paramLabel = "FILE",
      description = "Writes the ground truth (one JSON line per injected fault, with the rules expected to raise) before sending; needs --duration.")
  Path truthFile;

  @Option(names = "--variant", defaultValue = "usual", paramLabel = "usual|held-out", converter = Variant.Converter.class,
      description = "The buildings simulated: usual (those the rule catalog's thresholds were chosen on), or held-out "
          + "(per site: other heating curves, setbacks, tanks, sensors, data losses, lifts and sizes; README \"Evaluation\") "
          + "(default: ${DEFAULT-VALUE}).")
  Variant variant;

  @Option(names = "--max-inflight", defaultValue = "10", paramLabel = "M",
      description = "Unacknowledged packs per device before it waits (default: ${DEFAULT-VALUE}).")
  int maxInflight;

  @Option(names = "--status-every", defaultValue = "10s", paramLabel = "D", converter = Options.DurationConverter.class,
      description = "Real time between two status lines (default: ${DEFAULT-VALUE}).")
  Duration statusEvery;

  @Option(names = "--ack-timeout", defaultValue = "60s", paramLabel = "D", converter = Options.DurationConverter.class,
      description = "Real time after which an unacknowledged pack is given back to the store-and-forward buffer, to be sent again (default: ${DEFAULT-VALUE}).")
  Duration ackTimeout;

  private void validate() {
    target.validate(spec);
    delivery.validate(spec);
    qos.validate(spec);
    if (!(speed > 0)) {
      throw new ParameterException(spec.commandLine(), "--speed must be positive");
    }
    if (liveInterval != null && liveInterval.toMillis() < 1) {
      throw new ParameterException(spec.commandLine(), "--live-interval must be positive");
    }
    if (interval.toMillis() < 1 || (duration != null && duration.isNegative())) {
      throw new ParameterException(spec.commandLine(), "--interval must be positive and --duration not negative");
    }
    if (truthFile != null && duration == null) {
      throw new ParameterException(spec.commandLine(), "--truth needs --duration (the truth covers a known period)");
    }
    if (maxInflight < 1 || statusEvery.toMillis() < 1) {
      throw new ParameterException(spec.commandLine(), "--max-inflight and --status-every must be positive");
    }
  }

  @Override
  public Integer call() throws Exception {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Portfolio portfolio = target.readPortfolio(err);
    if (portfolio == null) {
      return 1;
    }
    long runSeed = seed != null ? seed : new java.security.SecureRandom().nextLong();
    Instant start = (from != null ? from : Instant.now()).truncatedTo(ChronoUnit.SECONDS);
    Instant end = duration == null ? null : start.plus(duration);

    Map<String, List<Fault>> faults = new HashMap<>();
    if (faultsFile != null || truthFile != null) {
      List<Fault> planned = planFaults(portfolio, runSeed, start, end, err);
      if (planned == null) {
        return 1;
      }
      planned.forEach(f -> faults.computeIfAbsent(f.site() + "/" + f.equipment(), k -> new ArrayList<>()).add(f));
      if (truthFile != null) {
        try {
          Map<String, BuildingProfile> buildings = buildings(portfolio, runSeed);
          Truth.write(truthFile, new Truth.Run(start, end, portfolio.sites().stream().map(Portfolio.Site::id).toList(),
              runSeed, planned.stream().map(f -> Truth.of(f, portfolio.site(f.site()).orElseThrow().timezone(),
                  buildings.get(f.site()).clockShiftSeconds(runSeed, f.site(), f.start()))).toList()));
        } catch (java.io.IOException e) {
          err.println("cannot write the truth file " + truthFile + ": " + e.getMessage());
          return 1;
        }
      }
      out.printf("faults: %d injected (%s)%s%n", planned.size(), countBySet(planned),
          truthFile != null ? ", ground truth in " + truthFile : "");
      out.flush();
    }

    List<DevicePlan> plans = new ArrayList<>();
    for (DevicePlan p : DevicePlan.assign(portfolio)) {
      if (p.pointCount() == 0) {
        err.println("note: device " + p.device().id() + " has no point to send (its site's equipment is covered by other devices)");
      } else {
        plans.add(p);
      }
    }
    portfolio.sites().stream().filter(s -> portfolio.devicesOf(s.id()).isEmpty())
        .forEach(s -> err.println("note: site " + s.id() + " has no device; its points are not simulated"));
    if (plans.isEmpty()) {
      err.println("portfolio " + target.portfolioFile + " has no device with points to send");
      return 1;
    }

    List<Transport> links = new ArrayList<>();
    try {
      for (DevicePlan p : plans) {
        links.add(target.open(p.device(), qos.value, maxInflight, ackTimeout));
      }
      String failure = connectAll(plans, links);
      if (failure != null) {
        err.println(failure);
        return 1;
      }
      return simulate(portfolio, plans, links, runSeed, start, end, faults, out);
    } catch (PublishException e) {
      err.println(e.getMessage());
      return 1;
    } finally {
      links.forEach(l -> l.close(Duration.ofSeconds(2)));
      target.close();
    }
  }

  /** Connects every device in parallel; returns the first failure, naming the device, or null. */
  private String connectAll(List<DevicePlan> plans, List<Transport> links) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(8, plans.size()));
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < plans.size(); i++) {
        Transport link = links.get(i);
        String id = plans.get(i).device().id();
        results.add(pool.submit(() -> {
          try {
            link.connect();
            return null;
          } catch (PublishException e) {
            return "cannot connect device " + id + " to " + target.uri() + ": " + e.reason();
          }
        }));
      }
      for (Future<String> f : results) {
        String failure = f.get();
        if (failure != null) {
          return failure;
        }
      }
      return null;
    } catch (java.util.concurrent.ExecutionException e) {
      return "cannot connect to " + target.uri() + ": " + e.getCause();
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The faults of the scenario file (explicit, then drawn at random over the run), those starting
   * before the end; {@code null} after printing why the file cannot be used.
   */
  /** Each site's building in this run's variant, drawn from the run's seed. */
  private Map<String, BuildingProfile> buildings(Portfolio portfolio, long runSeed) {
    Map<String, BuildingProfile> buildings = new HashMap<>();
    for (Portfolio.Site site : portfolio.sites()) {
      boolean substation = site.equipment().stream().anyMatch(e -> e.type().equals("substation"));
      buildings.put(site.id(), BuildingProfile.of(variant, runSeed, site.id(), substation));
    }
    return buildings;
  }

  private List<Fault> planFaults(Portfolio portfolio, long runSeed, Instant start, Instant end, PrintWriter err) {
    if (faultsFile == null) {
      return List.of();
    }
    Scenario scenario;
    try {
      scenario = ScenarioReader.read(faultsFile, portfolio);
    } catch (ScenarioException e) {
      err.println(e.getMessage());
      return null;
    }
    List<Fault> all = new ArrayList<>(scenario.faults());
    boolean drawn = scenario.random().isPresent() || scenario.hours().isPresent() || scenario.sweep().isPresent();
    if (drawn && end == null) {
      err.println(faultsFile + ": the random, hours and sweep modes need --duration (faults are drawn over the run)");
      return null;
    }
    Map<String, SiteWeather> weather = new HashMap<>();
    java.util.function.BiFunction<String, Instant, Double> outdoor = (site, t) ->
        weather.computeIfAbsent(site, id -> new SiteWeather(runSeed, id, portfolio.site(id).orElseThrow().timezone()))
            .outdoorTemp(t);
    if (scenario.random().isPresent()) {
      all.addAll(RandomFaults.draw(scenario.random().get(), portfolio, start, end, outdoor));
    }
    // The grids are placed apart from the faults already planned, so that the random ones stay
    // those of a run without grids.
    if (scenario.hours().isPresent()) {
      all.addAll(RandomFaults.hours(scenario.hours().get(), portfolio, start, end, outdoor, all));
    }
    if (scenario.sweep().isPresent()) {
      all.addAll(RandomFaults.sweep(scenario.sweep().get(), portfolio, start, end, outdoor, all));
    }
    return all.stream().filter(f -> end == null || f.start().isBefore(end))
        .sorted(java.util.Comparator.comparing(Fault::start)).toList();
  }

  private int simulate(Portfolio portfolio, List<DevicePlan> plans, List<Transport> links, long runSeed,
      Instant start, Instant end, Map<String, List<Fault>> faults, PrintWriter out) throws InterruptedException {
    SimClock clock = new SimClock(start, speed);
    RunCounters counters = new RunCounters();
    AtomicBoolean stop = new AtomicBoolean();
    Map<String, SiteWeather> weather = new HashMap<>();
    List<PublishWindow> windows = new ArrayList<>();
    List<StoreAndForward> buffers = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    int points = plans.stream().mapToInt(DevicePlan::pointCount).sum();
    out.printf("simulating %d devices, %d points, from %s at speed %s, seed %d, %s, %d sample(s) per pack, %s buildings%n",
        plans.size(), points, start, fmt(speed), runSeed, target.describe(qos.value), delivery.batch, variant.id());
    Map<String, BuildingProfile> buildings = buildings(portfolio, runSeed);
    if (variant != Variant.USUAL) {
      for (Portfolio.Site site : portfolio.sites()) {
        out.printf("building %s: %s%n", site.id(), buildings.get(site.id()).describe());
      }
    }
    out.flush();
    for (int i = 0; i < plans.size(); i++) {
      DevicePlan p = plans.get(i);
      SiteWeather w = weather.computeIfAbsent(p.site().id(), id -> new SiteWeather(runSeed, id, p.site().timezone()));
      BuildingProfile b = buildings.get(p.site().id());
      List<EquipmentSignals> signals = new ArrayList<>();
      for (Equipment e : p.equipment()) {
        EquipmentSignals s = new EquipmentSignals(p.site(), e, w, b, runSeed, interval);
        List<Fault> own = faults.get(p.site().id() + "/" + e.id());
        signals.add(own == null ? s : s.injecting(new FaultInjector(own, b.circuitTauMinutes(), b.tankTauMinutes())));
      }
      PublishWindow window = new PublishWindow(maxInflight);
      windows.add(window);
      // Real devices are not synchronised: each gets a fixed offset inside the interval.
      long offsetMillis = Math.floorMod(new java.util.SplittableRandom(runSeed ^ p.device().id().hashCode()).nextLong(),
          interval.toMillis());
      StoreAndForward buffer = new StoreAndForward(delivery.bufferPacks, delivery.bufferMaxAge, counters);
      buffers.add(buffer);
      DeviceSimulator sim = new DeviceSimulator(links.get(i), signals, clock, start.plusMillis(offsetMillis), end,
          interval, liveInterval, delivery.batch, target.packFormat(), ackTimeout, window, buffer, counters, stop::get);
      Thread t = new Thread(sim, "device-" + p.device().id());
      t.setDaemon(true);
      threads.add(t);
    }

    CountDownLatch finished = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    Thread hook = new Thread(() -> {
      interrupted.set(true);
      stop.set(true);
      try {
        finished.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "sim-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    ScheduledExecutorService status = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sim-status");
      t.setDaemon(true);
      return t;
    });
    long realStart = System.nanoTime();
    try {
      threads.forEach(Thread::start);
      status.scheduleAtFixedRate(() -> printStatus(out, clock, end, counters, windows, buffers, links),
          statusEvery.toMillis(), statusEvery.toMillis(), TimeUnit.MILLISECONDS);
      for (Thread t : threads) {
        t.join();
      }
    } finally {
      status.shutdownNow();
      stop.set(true);
      for (Thread t : threads) {
        t.join(5000);
      }
      double realSeconds = (System.nanoTime() - realStart) / 1e9;
      Instant simEnd = end != null && (!interrupted.get() || clock.now().isAfter(end)) ? end : clock.now();
      printSummary(out, plans.size(), points, start, simEnd, realSeconds, counters, windows, buffers, links);
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook is running and waits for the latch released above.
      }
    }
    long sent = counters.packsSent.sum();
    return counters.packsFailed.sum() == 0 && counters.packsAcked.sum() >= sent ? 0 : 1;
  }

  private void printStatus(PrintWriter out, SimClock clock, Instant end, RunCounters c,
      List<PublishWindow> windows, List<StoreAndForward> buffers, List<Transport> links) {
    Instant now = end != null && clock.now().isAfter(end) ? end : clock.now();
    out.printf("[status] sim %s  sent %d  acked %d  failed %d  in-flight %d  buffered %d  window-full %d  connected %d/%d%n",
        now.truncatedTo(ChronoUnit.SECONDS), c.packsSent.sum(), c.packsAcked.sum(), c.packsFailed.sum(),
        windows.stream().mapToInt(PublishWindow::inFlight).sum(),
        buffers.stream().mapToInt(StoreAndForward::size).sum(),
        windows.stream().mapToLong(PublishWindow::fullWaits).sum(),
        links.stream().filter(Transport::isConnected).count(), links.size());
    out.flush();
  }

  private void printSummary(PrintWriter out, int devices, int points, Instant start, Instant simEnd,
      double realSeconds, RunCounters c, List<PublishWindow> windows, List<StoreAndForward> buffers, List<Transport> links) {
    out.printf("summary: %d devices, %d points, simulated %s to %s (%s) in %.1f s real%n",
        devices, points, start, simEnd.truncatedTo(ChronoUnit.SECONDS),
        Duration.between(start, simEnd).truncatedTo(ChronoUnit.SECONDS).toString().substring(2).toLowerCase(),
        realSeconds);
    out.printf("summary: packs sent %d, %s %d, failed %d, resent %d; readings sent %d; window-full waits %d; reconnections %d%n",
        c.packsSent.sum(), qos.value == 1 || !target.mqtt() ? "acknowledged" : "written (QoS 0)",
        c.packsAcked.sum(), c.packsFailed.sum(), c.packsRetried.sum(), c.readingsSent.sum(),
        windows.stream().mapToLong(PublishWindow::fullWaits).sum(),
        links.stream().mapToLong(Transport::reconnections).sum());
    out.printf("summary: store-and-forward: sent late %d; buffered at most %d packs (limit %d, %s); dropped when full %d packs"
        + " (%d readings); dropped too old %d packs (%d readings)%n",
        c.packsLate.sum(), buffers.stream().mapToInt(StoreAndForward::highWater).max().orElse(0), delivery.bufferPacks,
        delivery.bufferMaxAge.toString().substring(2).toLowerCase(), c.droppedFullPacks.sum(), c.droppedFullReadings.sum(),
        c.droppedOldPacks.sum(), c.droppedOldReadings.sum());
    c.failuresByReason().forEach((reason, n) -> out.printf("summary: failed %d: %s%n", n, reason));
    out.flush();
  }

  /** "400 random, 72 hours, 246 sweep". */
  private static String countBySet(List<Fault> faults) {
    Map<String, Integer> n = new java.util.LinkedHashMap<>();
    faults.forEach(f -> n.merge(f.set(), 1, Integer::sum));
    return String.join(", ", n.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).toList());
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
