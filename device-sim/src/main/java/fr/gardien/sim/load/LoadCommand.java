package fr.gardien.sim.load;

import fr.gardien.sim.Report;
import fr.gardien.sim.GatewayTarget;
import fr.gardien.sim.Options;
import fr.gardien.sim.QosOption;
import fr.gardien.sim.mqtt.Connections;
import fr.gardien.sim.mqtt.MqttLink;
import fr.gardien.sim.mqtt.PublishException;
import fr.gardien.sim.mqtt.PublishWindow;
import fr.gardien.sim.mqtt.VertxLink;
import fr.gardien.sim.mqtt.VertxLinks;
import fr.gardien.sim.portfolio.Portfolio;
import fr.gardien.sim.portfolio.Portfolio.Device;
import fr.gardien.sim.portfolio.Portfolio.Equipment;
import fr.gardien.sim.portfolio.Portfolio.Site;
import fr.gardien.sim.senml.Reading;
import fr.gardien.sim.signal.EquipmentSignals;
import fr.gardien.sim.signal.SiteWeather;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code load}: the benchmark load generator. */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Benchmark load generator: acknowledged readings/s and PUBACK latency.",
        "",
        "N MQTT connections, each as a device of the portfolio (round-robin), publish SenML packs of K readings "
            + "of their site's points, keeping at most M unacknowledged. After the warm-up, measures acknowledged "
            + "messages and readings per second and the publish-to-PUBACK latency; optionally samples the gateway's "
            + "heap and compares with a plain COPY into the database. The report goes to standard output (one JSON "
            + "object with --json; the table then goes to standard error). "
            + "Exit code: 0 when something was acknowledged; 1 otherwise or on a bad portfolio.",
        "",
        "Client: MQTT 3.1.1 runs on the Vert.x MQTT client, every connection on a few shared event loops, each "
            + "acknowledgement publishing the next pack on the same thread: the generator then costs far less CPU "
            + "than the gateway it measures on a shared machine. MQTT 5 runs on Paho (the Vert.x client speaks "
            + "3.1.1 only); --client paho runs 3.1.1 on Paho too (four threads per connection and a hand-off per "
            + "message), as the generator did before, to reproduce older figures."})
public final class LoadCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  GatewayTarget target;

  @Option(names = "--connections", defaultValue = "100", paramLabel = "N", description = "Concurrent connections (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(names = "--pack-size", defaultValue = "50", paramLabel = "K", description = "Readings per SenML pack (default: ${DEFAULT-VALUE}).")
  int packSize;

  @Option(names = "--rate", defaultValue = "0", paramLabel = "R",
      description = "Target readings/s in total, paced evenly; 0 = as fast as acknowledgements allow (default: ${DEFAULT-VALUE}).")
  double rate;

  @Mixin
  QosOption qos;

  @Option(names = "--max-inflight", defaultValue = "16", paramLabel = "M", description = "Unacknowledged publishes per connection (default: ${DEFAULT-VALUE}).")
  int maxInflight;

  @Option(names = "--duration", defaultValue = "30s", paramLabel = "D", converter = Options.DurationConverter.class,
      description = "Measurement time after the warm-up (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--warmup", defaultValue = "5s", paramLabel = "D", converter = Options.DurationConverter.class,
      description = "Warm-up time, not measured (default: ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(names = "--metrics-url", paramLabel = "URL",
      description = "Gateway Prometheus endpoint, e.g. http://localhost:8080/metrics: report its maximum heap used.")
  String metricsUrl;

  @Option(names = "--db-url", paramLabel = "JDBC", description = "The gateway's database: also time a plain COPY of the same"
      + " number of rows into it, sample how often its writers wait for a lock during the load, and time how long after"
      + " the load its rollups are current.")
  String dbUrl;

  @Option(names = "--db-user", paramLabel = "U", description = "Database user.")
  String dbUser;

  @Option(names = "--db-password", paramLabel = "P", description = "Database password.")
  String dbPassword;

  @Option(names = "--ack-timeout", defaultValue = "30s", paramLabel = "D", converter = Options.DurationConverter.class,
      description = "Time after which an unacknowledged publish counts as failed (default: ${DEFAULT-VALUE}).")
  Duration ackTimeout;

  @Option(names = "--client", defaultValue = "${env:GARDIEN_LOAD_CLIENT}", paramLabel = "vertx|paho",
      description = "MQTT client: vertx (MQTT 3.1.1 only) or paho; default: vertx for MQTT 3.1.1, paho for MQTT 5,"
          + " or the environment variable GARDIEN_LOAD_CLIENT.")
  String client;

  @Option(names = "--event-loops", defaultValue = "${env:GARDIEN_LOAD_EVENT_LOOPS:-2}", paramLabel = "L",
      description = "Event loops of the Vert.x client, shared by every connection (default: 2, or the environment"
          + " variable GARDIEN_LOAD_EVENT_LOOPS).")
  int eventLoops;

  @Option(names = "--json", description = "Print the report as one JSON object on standard output.")
  boolean json;

  /** Whether the connections run on the Vert.x client (else Paho), once the options are valid. */
  private boolean vertxClient() {
    return client == null || client.isBlank() ? target.mqttVersion == 3 : client.equals("vertx");
  }

  private String problem() {
    if (qos.problem() != null) {
      return qos.problem();
    } else if (client != null && !client.isBlank() && !client.equals("vertx") && !client.equals("paho")) {
      return "--client must be vertx or paho, got '" + client + "' / --client doit valoir vertx ou paho";
    } else if ("vertx".equals(client) && target.mqttVersion != 3) {
      return "the Vert.x client speaks MQTT 3.1.1 only: use --client paho with --mqtt-version 5"
          + " / le client Vert.x ne parle que MQTT 3.1.1 : --client paho avec --mqtt-version 5";
    } else if (eventLoops < 1) {
      return "--event-loops must be at least 1 / --event-loops doit valoir au moins 1";
    } else if (connections < 1 || packSize < 1 || maxInflight < 1) {
      return "--connections, --pack-size and --max-inflight must be at least 1";
    } else if (rate < 0) {
      return "--rate must not be negative";
    } else if (duration.toMillis() < 1 || warmup.isNegative()) {
      return "--duration must be positive and --warmup not negative";
    }
    return null;
  }

  @Override
  public Integer call() throws Exception {
    Portfolio portfolio = target.start(spec, problem());
    if (portfolio == null) {
      return 1;
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<String, List<Reading>> pointsBySite = pointsBySite(portfolio);
    List<Device> devices = portfolio.devices().stream()
        .filter(d -> !pointsBySite.getOrDefault(d.site(), List.of()).isEmpty()).toList();
    if (devices.isEmpty()) {
      err.println("portfolio " + target.portfolioFile + " has no device whose site has points");
      return 1;
    }

    List<MqttLink> links = new ArrayList<>();
    HeapScraper scraper = metricsUrl != null ? new HeapScraper(metricsUrl) : null;
    VertxLinks vertx = null;
    try {
      vertx = vertxClient() ? new VertxLinks(eventLoops) : null;
      for (int i = 0; i < connections; i++) {
        Device d = devices.get(i % devices.size());
        MqttLink.Settings settings = new MqttLink.Settings(target.mqttUri, target.mqttVersion, d.id() + "-load-" + i,
            d.id(), d.secret(), maxInflight, true, Duration.ofSeconds(10));
        links.add(vertx != null ? vertx.link(settings, ackTimeout) : MqttLink.create(settings));
      }
      err.printf("[load] connecting %d connections to %s as %d devices%n", connections, target.mqttUri, devices.size());
      err.println(vertx != null
          ? "[load] client: Vert.x MQTT, " + eventLoops + " event loop(s) for every connection, " + vertx.transport("en")
              + " / client : Vert.x MQTT, " + eventLoops + " boucle(s) d'événements pour toutes les connexions, "
              + vertx.transport("fr")
          : "[load] client: Paho, four threads per connection / client : Paho, quatre fils par connexion");
      err.flush();
      int connected = connectAll(links, err);
      if (connected == 0) {
        err.println("[load] no connection could be opened to " + target.mqttUri + "; nothing measured");
        return 1;
      }
      if (scraper != null) {
        scraper.start();
      }
      LoadReport report = drive(devices, pointsBySite, links, connected, scraper, err);
      Report.print(report, json, out, err);
      return report.messagesAcked() > 0 ? 0 : 1;
    } catch (PublishException e) {
      err.println(e.getMessage());
      return 1;
    } finally {
      if (scraper != null) {
        scraper.close();
      }
      if (vertx != null) {
        vertx.close();
      }
    }
  }

  /** One plausible current reading per point of each site; the load varies only the times. */
  private static Map<String, List<Reading>> pointsBySite(Portfolio portfolio) {
    Map<String, List<Reading>> bySite = new HashMap<>();
    Instant now = Instant.now();
    for (Site site : portfolio.sites()) {
      SiteWeather weather = new SiteWeather(1, site.id(), site.timezone());
      List<Reading> readings = new ArrayList<>();
      for (Equipment e : site.equipment()) {
        readings.addAll(new EquipmentSignals(site, e, weather, 1, Duration.ofMinutes(1)).sample(now));
      }
      bySite.put(site.id(), readings);
    }
    return bySite;
  }

  private int connectAll(List<MqttLink> links, PrintWriter err) throws InterruptedException {
    int connected = 0;
    Map<String, Integer> reasons = new HashMap<>();
    for (String failure : Connections.connectAll(links, 16)) {
      if (failure == null) {
        connected++;
      } else {
        reasons.merge(failure, 1, Integer::sum);
      }
    }
    reasons.forEach((r, n) -> err.printf("[load] %d connections failed: %s%n", n, r));
    return connected;
  }

  private LoadReport drive(List<Device> devices, Map<String, List<Reading>> pointsBySite, List<MqttLink> links,
      int connected, HeapScraper scraper, PrintWriter err) throws Exception {
    long start = System.nanoTime();
    LoadStats stats = new LoadStats(start + warmup.toNanos(), start + warmup.toNanos() + duration.toNanos());
    DatabaseWatch watch = dbUrl != null ? new DatabaseWatch(dbUrl, dbUser, dbPassword) : null;
    try {
      return drive(devices, pointsBySite, links, connected, scraper, err, start, stats, watch);
    } finally {
      if (watch != null) {
        watch.close();
      }
    }
  }

  private LoadReport drive(List<Device> devices, Map<String, List<Reading>> pointsBySite, List<MqttLink> links,
      int connected, HeapScraper scraper, PrintWriter err, long start, LoadStats stats, DatabaseWatch watch)
      throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    // Fixed-rate pacing: each connection sends every N·K/R seconds, staggered across connections.
    long periodNanos = rate > 0 ? (long) (1e9 * connections * packSize / rate) : 0;
    List<LoadConnection> senders = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < links.size(); i++) {
      Device d = devices.get(i % devices.size());
      LoadConnection c = new LoadConnection(links.get(i), d.id(), pointsBySite.get(d.site()), packSize, qos.value,
          new PublishWindow(maxInflight), stats, stop::get, periodNanos,
          start + (periodNanos > 0 ? periodNanos * i / connections : 0), ackTimeout);
      senders.add(c);
      if (links.get(i) instanceof VertxLink onLoop) {
        c.start(onLoop);
        continue;
      }
      Thread t = new Thread(c, "load-" + i);
      t.setDaemon(true);
      threads.add(t);
    }
    threads.forEach(Thread::start);
    if (watch != null) {
      watch.start();
    }
    err.printf("[load] warming up for %s, then measuring for %s%n", human(warmup), human(duration));
    err.flush();
    long lastAcked = 0;
    long lastTick = start;
    while (System.nanoTime() < stats.measureEndNanos()) {
      long sleep = Math.min(TimeUnit.SECONDS.toNanos(5), stats.measureEndNanos() - System.nanoTime());
      TimeUnit.NANOSECONDS.sleep(Math.max(0, sleep));
      long now = System.nanoTime();
      long acked = stats.ackedTotal.sum();
      err.printf("[load] %s %.0f s: %.0f msg/s acknowledged, %d failures%n",
          now < stats.warmupEndNanos() ? "warm-up" : "measuring", (now - start) / 1e9,
          (acked - lastAcked) / ((now - lastTick) / 1e9), stats.failures.sum());
      err.flush();
      lastAcked = acked;
      lastTick = now;
    }
    stop.set(true);
    if (watch != null) {
      watch.stopSampling();
    }
    for (Thread t : threads) {
      t.join(2000);
    }
    for (LoadConnection c : senders) {
      c.window().awaitDrained(Math.max(0, 10_000 - (System.nanoTime() - stats.measureEndNanos()) / 1_000_000));
    }
    // The last acknowledgement is in: from here, how long until every reading is in the rollups.
    Double rollupsCurrent = watch != null ? watch.secondsUntilRollupsCurrent(60) : null;
    for (MqttLink link : links) {
      link.close(Duration.ofSeconds(2));
    }
    if (scraper != null) {
      scraper.close();
    }

    double seconds = duration.toNanos() / 1e9;
    long acked = stats.ackedMeasured.sum();
    long readings = stats.readingsMeasured.sum();
    double readingsPerSecond = readings / seconds;
    Long copyRows = null;
    Double copySeconds = null;
    Double copyRate = null;
    Double ratio = null;
    if (dbUrl != null && readings > 0) {
      err.printf("[load] timing a plain COPY of %d rows into %s%n", readings, dbUrl);
      err.flush();
      int pointIds = Math.max(1, pointsBySite.values().stream().mapToInt(List::size).sum());
      CopyBenchmark.Result copy = CopyBenchmark.run(dbUrl, dbUser, dbPassword, readings, pointIds);
      copyRows = copy.rows();
      copySeconds = copy.seconds();
      copyRate = copy.rowsPerSecond();
      ratio = copyRate > 0 ? readingsPerSecond / copyRate : null;
    }
    var h = stats.latencyMicros;
    boolean any = h.getTotalCount() > 0;
    return new LoadReport(connections, connected, target.mqttVersion, qos.value, packSize, maxInflight,
        warmup.toNanos() / 1e9, seconds, rate, rate > 0 ? readingsPerSecond >= 0.95 * rate && minimum(stats.readingsBySecond()) >= 0.8 * rate : null,
        stats.lateSends.sum(), stats.published.sum(), acked, readings, acked / seconds, readingsPerSecond,
        any ? h.getValueAtPercentile(50) / 1000.0 : 0, any ? h.getValueAtPercentile(90) / 1000.0 : 0,
        any ? h.getValueAtPercentile(99) / 1000.0 : 0, any ? h.getMaxValue() / 1000.0 : 0,
        stats.failures.sum(), stats.failuresByReason(),
        senders.stream().mapToLong(c -> c.window().fullWaits()).sum(),
        scraper != null ? scraper.maxHeapBytes() : null, copyRows, copySeconds, copyRate, ratio,
        stats.readingsBySecond(), watch != null ? watch.writerSamples() : null,
        watch != null ? watch.waitedOn() : Map.of(), rollupsCurrent);
  }

  private static long minimum(long[] values) {
    return java.util.Arrays.stream(values).min().orElse(0);
  }

  private static String human(Duration d) {
    return d.toString().substring(2).toLowerCase();
  }
}
