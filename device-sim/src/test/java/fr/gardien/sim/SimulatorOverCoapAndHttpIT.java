package fr.gardien.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static fr.gardien.sim.testing.SimRun.execute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import fr.gardien.sim.portfolio.Portfolio;
import fr.gardien.sim.portfolio.PortfolioReader;
import fr.gardien.sim.run.DevicePlan;
import fr.gardien.sim.testing.DeviceSecrets;
import fr.gardien.sim.testing.FakeCoapGateway;
import fr.gardien.sim.testing.FakeHttpGateway;
import fr.gardien.sim.testing.SimRun;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The simulator's CoAP and HTTP transports against stand-in gateways on loopback ports, stopped and restarted. */
@Timeout(180)
class SimulatorOverCoapAndHttpIT {
  private static final Path PORTFOLIO = Path.of("src/test/resources/portfolio-two-sites.yaml");
  private static final Pattern SENT = Pattern.compile("packs sent (\\d+)");
  private static final Pattern LATE = Pattern.compile("sent late (\\d+)");

  private Portfolio portfolio;
  private Map<String, String> secrets;
  private Map<String, Integer> pointsOfDevice;

  /** A decoded pack: its records' keys and times (epoch seconds), in order. */
  record Pack(String device, List<String> keys, List<Double> times) {}

  @BeforeEach
  void readPortfolio() throws Exception {
    portfolio = PortfolioReader.read(PORTFOLIO);
    secrets = DeviceSecrets.of(portfolio);
    pointsOfDevice = new HashMap<>();
    DevicePlan.assign(portfolio).forEach(p -> pointsOfDevice.put(p.device().id(), p.pointCount()));
  }

  /** Over HTTP every device posts with its Basic credentials, five samples of each of its points per pack. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"json", "cbor"})
  void httpRunSendsBatchedPacksOfEveryPoint(String format) throws Exception {
    try (FakeHttpGateway gateway = new FakeHttpGateway(secrets).start()) {
      SimRun o = execute("run", "--portfolio", PORTFOLIO.toString(), "--http", gateway.uri(), "--format", format,
          "--from", "2025-01-15T06:00:00Z", "--duration", "30m", "--speed", "1800", "--batch", "5", "--seed", "3");

      assertThat(o.exitCode()).as(o.out() + o.err()).isZero();
      assertThat(o.out()).contains("HTTP " + format.toUpperCase()).contains("5 sample(s) per pack").contains("failed 0");
      List<Pack> packs = new ArrayList<>();
      for (FakeHttpGateway.Received r : gateway.received()) {
        assertThat(r.contentType()).isEqualTo("application/senml+" + format);
        packs.add(decode(r.device(), r.body(), format.equals("cbor")));
      }
      assertBatchedPacksCoverThePortfolio(packs, 5, 6);
    }
  }

  /** Over CoAP every device posts over DTLS-PSK as itself, in the content-format of its encoding. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"json", "cbor"})
  void coapRunSendsBatchedPacksOfEveryPoint(String format) throws Exception {
    try (FakeCoapGateway gateway = new FakeCoapGateway(secrets).start()) {
      SimRun o = execute("run", "--portfolio", PORTFOLIO.toString(), "--coap", gateway.uri(), "--format", format,
          "--from", "2025-01-15T06:00:00Z", "--duration", "30m", "--speed", "1800", "--batch", "5", "--seed", "3");

      assertThat(o.exitCode()).as(o.out() + o.err()).isZero();
      assertThat(o.out()).contains("CoAP (DTLS-PSK) " + format.toUpperCase()).contains("failed 0");
      List<Pack> packs = new ArrayList<>();
      for (FakeCoapGateway.Received r : gateway.received()) {
        assertThat(r.contentFormat()).isEqualTo(format.equals("cbor") ? 112 : 110);
        packs.add(decode(r.device(), r.payload(), format.equals("cbor")));
      }
      assertBatchedPacksCoverThePortfolio(packs, 5, 6);
    }
  }

  /** A CoAP device whose secret the gateway does not know cannot start: the run says which and why. */
  @Test
  void coapRunFailsAtStartWhenTheHandshakeIsRefused() {
    Map<String, String> wrong = new HashMap<>(secrets);
    wrong.put("gw-acacias", "another secret");
    try (FakeCoapGateway gateway = new FakeCoapGateway(wrong).start()) {
      SimRun o = execute("run", "--portfolio", PORTFOLIO.toString(), "--coap", gateway.uri(), "--duration", "5m");
      assertThat(o.exitCode()).isEqualTo(1);
      assertThat(o.err()).contains("gw-acacias").contains("DTLS handshake refused");
    }
  }

  /**
   * HTTP store-and-forward: while the gateway is stopped the devices keep their packs; once it is
   * back they send them late, oldest first, and every pack arrives.
   */
  @Test
  void httpDevicesBufferWhileTheGatewayIsDownAndSendLateOldestFirst() throws Exception {
    try (FakeHttpGateway gateway = new FakeHttpGateway(secrets).start()) {
      CompletableFuture<SimRun> run = runAgainstRestartingGateway("--http", gateway.uri());
      restartAfterSomePacks(() -> gateway.received().size(), gateway::stop, () -> {
        try {
          gateway.start();
        } catch (java.io.IOException e) {
          throw new IllegalStateException(e);
        }
      });
      SimRun o = run.get(120, TimeUnit.SECONDS);

      List<Pack> packs = new ArrayList<>();
      gateway.received().forEach(r -> packs.add(decode(r.device(), r.body(), false)));
      assertEverythingArrivedLateAndInOrder(o, packs);
    }
  }

  /** CoAP store-and-forward: the same across a restart, which also loses every DTLS session. */
  @Test
  void coapDevicesBufferWhileTheGatewayIsDownAndSendLateOldestFirst() throws Exception {
    try (FakeCoapGateway gateway = new FakeCoapGateway(secrets).start()) {
      CompletableFuture<SimRun> run = runAgainstRestartingGateway("--coap", gateway.uri());
      restartAfterSomePacks(() -> gateway.received().size(), gateway::stop, gateway::start);
      SimRun o = run.get(150, TimeUnit.SECONDS);

      List<Pack> packs = new ArrayList<>();
      gateway.received().forEach(r -> packs.add(decode(r.device(), r.payload(), false)));
      assertEverythingArrivedLateAndInOrder(o, packs);
    }
  }

  /** A buffer too small for the outage drops its oldest packs: counted, printed, and the run fails. */
  @Test
  void aFullBufferDropsItsOldestPacksAndCountsThem() throws Exception {
    try (FakeHttpGateway gateway = new FakeHttpGateway(secrets).start()) {
      CompletableFuture<SimRun> run = CompletableFuture.supplyAsync(() -> execute("run", "--portfolio", PORTFOLIO.toString(),
          "--http", gateway.uri(), "--from", Instant.now().minus(5, ChronoUnit.MINUTES).toString(), "--duration", "5m",
          "--interval", "10s", "--speed", "60", "--buffer-packs", "3", "--max-inflight", "1", "--seed", "5"));
      awaitPacks(() -> gateway.received().size(), 3);
      gateway.stop();
      SimRun o = run.get(120, TimeUnit.SECONDS);

      assertThat(o.exitCode()).isEqualTo(1);
      Matcher dropped = Pattern.compile("dropped when full (\\d+) packs \\((\\d+) readings\\)").matcher(o.out());
      assertThat(dropped.find()).as(o.out()).isTrue();
      assertThat(Long.parseLong(dropped.group(1))).isPositive();
      assertThat(o.out()).contains("dropped: store-and-forward buffer full").contains("buffered at most 3 packs");
    }
  }

  private CompletableFuture<SimRun> runAgainstRestartingGateway(String option, String uri) {
    String from = Instant.now().minus(10, ChronoUnit.MINUTES).toString();
    return CompletableFuture.supplyAsync(() -> execute("run", "--portfolio", PORTFOLIO.toString(), option, uri,
        "--from", from, "--duration", "10m", "--interval", "10s", "--speed", "60", "--max-inflight", "1", "--seed", "7",
        "--status-every", "1s"));
  }

  private static void restartAfterSomePacks(IntSupplier received, Runnable stop, Runnable start) throws InterruptedException {
    awaitPacks(received, 15);
    stop.run();
    Thread.sleep(3000);
    start.run();
  }

  private static void awaitPacks(IntSupplier received, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (received.getAsInt() < count && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(received.getAsInt()).as("packs before the outage").isGreaterThanOrEqualTo(count);
  }

  private static void assertEverythingArrivedLateAndInOrder(SimRun o, List<Pack> packs) {
    assertThat(o.exitCode()).as(o.out() + o.err()).isZero();
    Matcher sent = SENT.matcher(o.out());
    Matcher late = LATE.matcher(o.out());
    assertThat(sent.find() && late.find()).as(o.out()).isTrue();
    assertThat(Long.parseLong(late.group(1))).as("packs sent late").isPositive();
    assertThat(o.out()).contains("dropped when full 0 packs");
    Set<String> distinct = new HashSet<>();
    Map<String, List<Double>> firstTimes = new HashMap<>();
    for (Pack p : packs) {
      distinct.add(p.device() + "@" + p.times().get(0));
      firstTimes.computeIfAbsent(p.device(), d -> new ArrayList<>()).add(p.times().get(0));
    }
    assertThat((long) distinct.size()).as("every pack arrived").isEqualTo(Long.parseLong(sent.group(1)));
    // One pack in flight per device: arrival order is sending order, oldest first (a resent pack may repeat).
    firstTimes.values().forEach(times -> assertThat(times).isSorted());
  }

  private void assertBatchedPacksCoverThePortfolio(List<Pack> packs, int batch, int packsPerDevice) {
    Map<String, Integer> packCount = new HashMap<>();
    Set<String> keys = new HashSet<>();
    for (Pack p : packs) {
      packCount.merge(p.device(), 1, Integer::sum);
      assertThat(p.keys()).hasSize(batch * pointsOfDevice.get(p.device()));
      assertThat(new HashSet<>(p.times())).hasSize(batch);
      keys.addAll(p.keys());
    }
    assertThat(packCount).containsOnlyKeys(pointsOfDevice.keySet());
    assertThat(packCount.values()).containsOnly(packsPerDevice);
    Set<String> declared = new HashSet<>();
    portfolio.sites().forEach(s -> s.equipment().forEach(e -> e.points().forEach(p ->
        declared.add(s.id() + "/" + e.id() + "/" + p.name()))));
    assertThat(keys).isEqualTo(declared);
  }

  /** Resolves base name and base time (RFC 8428 §4.6); CBOR labels are the integers of §6. */
  static Pack decode(String device, byte[] body, boolean cbor) {
    try {
      JsonNode pack = (cbor ? new ObjectMapper(new CBORFactory()) : new ObjectMapper()).readTree(body);
      String bnLabel = cbor ? "-2" : "bn";
      String btLabel = cbor ? "-3" : "bt";
      String nLabel = cbor ? "0" : "n";
      String tLabel = cbor ? "6" : "t";
      String bn = "";
      double bt = 0;
      List<String> keys = new ArrayList<>();
      List<Double> times = new ArrayList<>();
      for (JsonNode r : pack) {
        bn = r.has(bnLabel) ? r.get(bnLabel).asText() : bn;
        bt = r.has(btLabel) ? r.get(btLabel).asDouble() : bt;
        keys.add(bn + r.get(nLabel).asText());
        times.add(bt + (r.has(tLabel) ? r.get(tLabel).asDouble() : 0));
      }
      return new Pack(device, keys, times);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
