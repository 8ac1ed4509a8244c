package fr.gardien.sim.latency;

import fr.gardien.sim.Report;
import com.fasterxml.jackson.databind.JsonNode;
import fr.gardien.sim.GatewayTarget;
import fr.gardien.sim.Options;
import fr.gardien.sim.mqtt.Connections;
import fr.gardien.sim.mqtt.MqttLink;
import fr.gardien.sim.mqtt.PublishException;
import fr.gardien.sim.portfolio.Portfolio;
import fr.gardien.sim.portfolio.Portfolio.Device;
import fr.gardien.sim.portfolio.Portfolio.Equipment;
import fr.gardien.sim.portfolio.Portfolio.Point;
import fr.gardien.sim.portfolio.Portfolio.Site;
import fr.gardien.sim.senml.PackBuilder;
import fr.gardien.sim.senml.Reading;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code alert-latency}: time from a triggering reading's PUBACK to its alert on the SSE stream. */
@Command(name = "alert-latency", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "End-to-end alert latency: PUBACK of a triggering reading to its alert on the SSE stream.",
        "",
        "Opens GET /api/v1/alerts/stream with the token, connects each probed equipment's device (the first device "
            + "of its site) over MQTT, then every --interval publishes on telemetry/{device} at QoS 1 one SenML "
            + "record setting --point of one equipment to --value at the current time. For each probe it records "
            + "when the PUBACK arrives and when the stream delivers an 'opened' transition of an alert (any rule) "
            + "on that site and equipment; latency = event − PUBACK, over the probes that got both. One probe per "
            + "equipment that has the point, in portfolio order (a second probe on the same equipment would only "
            + "retrigger its open alert). A probe without PUBACK, or whose alert does not come within --timeout, is "
            + "a failure. Exit code: 0 when every probe got its alert; 1 otherwise, or when the stream, the "
            + "portfolio or every connection fails."})
public final class AlertLatencyCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  GatewayTarget target;

  @Option(names = "--http", required = true, paramLabel = "http://HOST:PORT", description = "HTTP base URL of the gateway.")
  String http;

  @Option(names = "--token", required = true, paramLabel = "TOKEN", description = "API bearer token that sees the probed sites.")
  String token;

  @Option(names = "--point", defaultValue = "supply_temp", paramLabel = "NAME",
      description = "Point set on each probed equipment (default: ${DEFAULT-VALUE}).")
  String point;

  @Option(names = "--value", defaultValue = "150", paramLabel = "V",
      description = "Value that trips an alert (default: ${DEFAULT-VALUE}: above the catalog's impossible heating "
          + "temperature of 110 °C, raised at once).")
  double value;

  @Option(names = "--probes", defaultValue = "0", paramLabel = "N",
      description = "Number of probes, at most one per equipment with the point; 0 = every such equipment (default: ${DEFAULT-VALUE}).")
  int probes;

  @Option(names = "--interval", defaultValue = "200ms", paramLabel = "D", converter = Options.DurationConverter.class,
      description = "Time between probes (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(names = "--timeout", defaultValue = "10s", paramLabel = "D", converter = Options.DurationConverter.class,
      description = "Wait for an alert after its PUBACK (or for the PUBACK after sending) before counting a failure (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--json", description = "Print the report as one JSON object on standard output (the table then goes to standard error).")
  boolean json;

  private String problem() {
    if (probes < 0) {
      return "--probes must not be negative";
    } else if (interval.isNegative() || timeout.toMillis() < 1) {
      return "--interval must not be negative and --timeout must be positive";
    } else if (!http.startsWith("http://") && !http.startsWith("https://")) {
      return "--http must be an http:// or https:// URL";
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
    Map<String, Point> points = new LinkedHashMap<>();
    List<ProbeBook.Probe> planned = plan(portfolio, points);
    if (planned.isEmpty()) {
      err.println("portfolio " + target.portfolioFile + " has no equipment with a point '" + point
          + "' on a site with a device");
      return 1;
    }
    ProbeBook book = new ProbeBook(planned);

    AlertStreamClient stream;
    try {
      stream = AlertStreamClient.open(http, token, Duration.ofSeconds(10), new AlertStreamClient.Listener() {
        @Override
        public void alert(long arrivedNanos, JsonNode alert) {
          book.alert(arrivedNanos, alert);
        }

        @Override
        public void ended(Throwable cause) {
          err.println("[alert-latency] the alert stream ended" + (cause != null ? ": " + cause : ""));
          err.flush();
        }
      });
    } catch (IOException e) {
      err.println(e.getMessage());
      return 1;
    }
    Map<String, MqttLink> links = new LinkedHashMap<>();
    try {
      for (ProbeBook.Probe p : planned) {
        if (!links.containsKey(p.deviceId)) {
          Device d = portfolio.devices().stream().filter(x -> x.id().equals(p.deviceId)).findFirst().orElseThrow();
          links.put(d.id(), MqttLink.create(new MqttLink.Settings(target.mqttUri, target.mqttVersion,
              d.id() + "-probe", d.id(), d.secret(), 4, false, Duration.ofSeconds(10))));
        }
      }
      err.printf("[alert-latency] stream open; connecting %d devices to %s for %d probes%n",
          links.size(), target.mqttUri, planned.size());
      err.flush();
      Map<String, String> connectFailures = connectAll(links);
      if (connectFailures.size() == links.size()) {
        err.println("[alert-latency] no device could connect to " + target.mqttUri + ": "
            + connectFailures.values().iterator().next());
        return 1;
      }
      long start = System.nanoTime();
      drive(planned, points, links, connectFailures, book, start, err);
      long timeoutNanos = timeout.toNanos();
      while (!book.settle(System.nanoTime(), timeoutNanos)) {
        TimeUnit.MILLISECONDS.sleep(20);
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      LatencyReport report = book.report(probes, point, value, interval.toNanos() / 1e6, timeout.toMillis() / 1000.0,
          elapsed);
      Report.print(report, json, out, err);
      return report.failures() == 0 && report.matched() > 0 ? 0 : 1;
    } catch (PublishException e) {
      err.println(e.getMessage());
      return 1;
    } finally {
      stream.close();
      for (MqttLink link : links.values()) {
        link.close(Duration.ofSeconds(2));
      }
    }
  }

  /** One probe per equipment with the point whose site has a device, in portfolio order. */
  private List<ProbeBook.Probe> plan(Portfolio portfolio, Map<String, Point> points) {
    List<ProbeBook.Probe> planned = new ArrayList<>();
    for (Site site : portfolio.sites()) {
      List<Device> devices = portfolio.devicesOf(site.id());
      if (devices.isEmpty()) {
        continue;
      }
      for (Equipment e : site.equipment()) {
        for (Point p : e.points()) {
          if (p.name().equals(point) && (probes == 0 || planned.size() < probes)) {
            ProbeBook.Probe probe = new ProbeBook.Probe(site.id(), e.id(), devices.get(0).id());
            planned.add(probe);
            points.put(probe.key(), p);
          }
        }
      }
    }
    return planned;
  }

  private Map<String, String> connectAll(Map<String, MqttLink> links) throws InterruptedException {
    List<String> ids = new ArrayList<>(links.keySet());
    List<String> results = Connections.connectAll(new ArrayList<>(links.values()), 8);
    Map<String, String> failures = new LinkedHashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      if (results.get(i) != null) {
        failures.put(ids.get(i), results.get(i));
      }
    }
    return failures;
  }

  private void drive(List<ProbeBook.Probe> planned, Map<String, Point> points, Map<String, MqttLink> links,
      Map<String, String> connectFailures, ProbeBook book, long start, PrintWriter err) throws InterruptedException {
    long step = interval.toNanos();
    long nextStatus = start + TimeUnit.SECONDS.toNanos(10);
    for (int i = 0; i < planned.size(); i++) {
      ProbeBook.Probe p = planned.get(i);
      long due = start + step * i;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      if (System.nanoTime() >= nextStatus) {
        err.printf("[alert-latency] %d probes sent of %d%n", i, planned.size());
        err.flush();
        nextStatus += TimeUnit.SECONDS.toNanos(10);
      }
      String failure = connectFailures.get(p.deviceId);
      if (failure != null) {
        book.sent(p, System.nanoTime());
        book.failed(p, "not connected: " + failure);
        continue;
      }
      Point pt = points.get(p.key());
      byte[] pack = PackBuilder.encode(List.of(
          new Reading(p.key() + "/" + pt.name(), pt.unit(), value, false, Instant.now())));
      book.sent(p, System.nanoTime());
      links.get(p.deviceId).publish("telemetry/" + p.deviceId, pack, 1)
          .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .whenComplete((ok, error) -> {
            if (error == null) {
              book.acknowledged(p, System.nanoTime());
            } else {
              book.failed(p, "not acknowledged: " + PublishException.reasonOf(error));
            }
          });
    }
  }
}
