package fr.gardien.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static fr.gardien.sim.testing.SimRun.execute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gardien.sim.portfolio.Portfolio;
import fr.gardien.sim.portfolio.PortfolioReader;
import fr.gardien.sim.testing.DeviceSecrets;
import fr.gardien.sim.testing.FakeMqttServer;
import fr.gardien.sim.testing.SimRun;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The simulator and the load generator against a real MQTT server on a loopback port. */
@Timeout(120)
class SimulatorAgainstMqttServerIT {
  private static final Path PORTFOLIO = Path.of("src/test/resources/portfolio-two-sites.yaml");
  private Portfolio portfolio;
  private FakeMqttServer server;

  @BeforeEach
  void startServer() throws Exception {
    portfolio = PortfolioReader.read(PORTFOLIO);
    server = new FakeMqttServer(DeviceSecrets.of(portfolio)).start();
  }

  @AfterEach
  void stopServer() throws Exception {
    server.close();
  }

  /** Every device publishes on its own topic, together covering every point of the portfolio. */
  @ParameterizedTest(name = "MQTT {0}")
  @ValueSource(strings = {"3", "5"})
  void runSendsEveryPointOfThePortfolioFromEveryDevice(String version) throws Exception {
    SimRun o = execute("run", "--portfolio", PORTFOLIO.toString(), "--mqtt", server.uri(),
        "--mqtt-version", version, "--from", "2025-01-15T06:00:00Z", "--duration", "30m",
        "--speed", "1800", "--seed", "4", "--status-every", "200ms");

    assertThat(o.exitCode()).as(o.out() + o.err()).isZero();
    assertThat(o.out()).contains("[status] sim ").contains("summary: packs sent")
        .contains("failed 0");
    List<FakeMqttServer.Received> received = server.received();
    assertThat(received).extracting(FakeMqttServer.Received::topic).containsOnly(
        "telemetry/gw-tilleuls", "telemetry/sensor-tilleuls-vmc", "telemetry/gw-acacias");
    assertThat(received).allSatisfy(r -> {
      assertThat(r.topic()).isEqualTo("telemetry/" + r.username());
      assertThat(r.qos()).isEqualTo(1);
    });

    Map<String, String> declaredUnits = new HashMap<>();
    Map<String, String> siteOfDevice = portfolio.devices().stream()
        .collect(Collectors.toMap(Portfolio.Device::id, Portfolio.Device::site));
    portfolio.sites().forEach(s -> s.equipment().forEach(e -> e.points().forEach(p ->
        declaredUnits.put(s.id() + "/" + e.id() + "/" + p.name(), p.unit()))));
    Map<String, Set<String>> senders = new HashMap<>();
    Instant from = Instant.parse("2025-01-15T06:00:00Z");
    for (FakeMqttServer.Received r : received) {
      JsonNode pack = new ObjectMapper().readTree(r.payload());
      String bn = "";
      BigDecimal bt = BigDecimal.ZERO;
      for (JsonNode rec : pack) {
        bn = rec.has("bn") ? rec.get("bn").asText() : bn;
        bt = rec.has("bt") ? rec.get("bt").decimalValue() : bt;
        String key = bn + rec.get("n").asText();
        assertThat(declaredUnits).containsKey(key);
        assertThat(key).startsWith(siteOfDevice.get(r.username()) + "/");
        assertThat(rec.has("u") ? rec.get("u").asText() : null).as(key).isEqualTo(declaredUnits.get(key));
        assertThat(rec.get("v").isNumber()).isTrue();
        assertThat(bt.longValue()).isBetween(from.getEpochSecond(), from.plusSeconds(1800).getEpochSecond());
        senders.computeIfAbsent(key, k -> new HashSet<>()).add(r.username());
      }
    }
    assertThat(senders.keySet()).isEqualTo(declaredUnits.keySet());
    // Each point is sent by exactly one device.
    assertThat(senders.values()).allSatisfy(s -> assertThat(s).hasSize(1));
  }

  /** A device whose secret the gateway refuses stops the run at start with a message naming it. */
  @Test
  void runFailsAtStartWhenTheGatewayRefusesADevice() throws Exception {
    server.close();
    server = new FakeMqttServer(Map.of("gw-tilleuls", "s3cret-tilleuls", "sensor-tilleuls-vmc", "s3cret-vmc",
        "gw-acacias", "another secret")).start();

    SimRun o = execute("run", "--portfolio", PORTFOLIO.toString(), "--mqtt", server.uri(), "--duration", "5m",
        "--speed", "600");

    assertThat(o.exitCode()).isEqualTo(1);
    assertThat(o.err()).contains("gw-acacias").contains("bad user name or password");
  }

  /** An unreachable gateway stops the run at start with a clear message. */
  @Test
  void runFailsAtStartWhenTheGatewayIsUnreachable() throws Exception {
    String uri = server.uri();
    server.close();
    server = new FakeMqttServer(Map.of()).start();

    SimRun o = execute("run", "--portfolio", PORTFOLIO.toString(), "--mqtt", uri, "--duration", "5m");

    assertThat(o.exitCode()).isEqualTo(1);
    assertThat(o.err()).contains("cannot connect device").contains(uri);
  }

  /**
   * The load generator completes and reports a positive acknowledged rate and latency percentiles,
   * on the Vert.x client by default for MQTT 3.1.1, on Paho for MQTT 5 and when asked for.
   */
  @ParameterizedTest(name = "MQTT {0}, --client {1}")
  @CsvSource({"3, default, Vert.x MQTT", "3, paho, Paho", "5, default, Paho"})
  void loadReportsAcknowledgedRateAndLatency(String version, String client, String used) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("load", "--mqtt", server.uri(), "--portfolio", PORTFOLIO.toString(),
        "--mqtt-version", version, "--connections", "4", "--pack-size", "20", "--max-inflight", "8",
        "--warmup", "500ms", "--duration", "2s", "--json"));
    if (!client.equals("default")) {
      args.addAll(List.of("--client", client));
    }
    SimRun o = execute(args.toArray(String[]::new));

    assertThat(o.exitCode()).as(o.err()).isZero();
    assertThat(o.err()).contains("[load] client: " + used + ",");
    JsonNode report = new ObjectMapper().readTree(o.out());
    assertThat(report.get("connected").asInt()).isEqualTo(4);
    assertThat(report.get("qos").asInt()).isEqualTo(1);
    assertThat(report.get("messagesPerSecond").asDouble()).isPositive();
    assertThat(report.get("readingsPerSecond").asDouble())
        .isCloseTo(20 * report.get("messagesPerSecond").asDouble(), org.assertj.core.data.Percentage.withPercentage(1));
    JsonNode latency = report.get("latencyMs");
    assertThat(latency.get("p50").asDouble()).isPositive();
    assertThat(latency.get("p50").asDouble()).isLessThanOrEqualTo(latency.get("p90").asDouble());
    assertThat(latency.get("p99").asDouble()).isLessThanOrEqualTo(latency.get("max").asDouble());
    assertThat(report.get("failures").asLong()).isZero();
    assertThat(o.err()).contains("PUBACK latency ms").contains("p99");
    // Client ids are distinct and each connection speaks as a device of the portfolio.
    Set<String> clientIds = server.received().stream().map(FakeMqttServer.Received::clientId).collect(Collectors.toSet());
    assertThat(clientIds).hasSize(4).allSatisfy(id -> assertThat(id).contains("-load-"));
  }

  /** With a target rate the load is paced to that rate instead of running flat out. */
  @Test
  void loadPacesPublishesToTheTargetRate() {
    SimRun o = execute("load", "--mqtt", server.uri(), "--portfolio", PORTFOLIO.toString(),
        "--connections", "3", "--pack-size", "10", "--rate", "600", "--warmup", "500ms", "--duration", "3s");

    assertThat(o.exitCode()).as(o.err()).isZero();
    assertThat(o.out()).contains("600 readings/s — reached");
    double perSecond = server.received().size() * 10 / 3.5;
    assertThat(perSecond).isBetween(400.0, 800.0);
  }

  /** The Vert.x client speaks MQTT 3.1.1 only: asking for it with MQTT 5 is refused before anything connects. */
  @Test
  void loadRefusesTheVertxClientForMqtt5() {
    SimRun o = execute("load", "--mqtt", server.uri(), "--portfolio", PORTFOLIO.toString(),
        "--mqtt-version", "5", "--client", "vertx", "--duration", "1s");

    assertThat(o.exitCode()).isEqualTo(2);
    assertThat(o.err()).contains("the Vert.x client speaks MQTT 3.1.1 only").contains("ne parle que MQTT 3.1.1");
    assertThat(server.received()).isEmpty();
  }

  /** MQTT 5 PUBACKs with an error reason code count as failures by reason, and nothing acknowledged fails the run. */
  @Test
  void loadCountsMqtt5ReasonCodesAsFailures() {
    server.pubAckWith(MqttPubAckReasonCode.QUOTA_EXCEEDED);

    SimRun o = execute("load", "--mqtt", server.uri(), "--portfolio", PORTFOLIO.toString(),
        "--mqtt-version", "5", "--connections", "2", "--pack-size", "5", "--warmup", "0s", "--duration", "1s");

    assertThat(o.exitCode()).isEqualTo(1);
    assertThat(o.out()).contains("0x97 quota exceeded");
  }
}
