package fr.gardien.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static fr.gardien.sim.testing.SimRun.execute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gardien.sim.fault.Truth;
import fr.gardien.sim.portfolio.PortfolioReader;
import fr.gardien.sim.testing.DeviceSecrets;
import fr.gardien.sim.testing.FakeMqttServer;
import fr.gardien.sim.testing.SimRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --faults --truth} against a real MQTT server: what is sent, and what the truth file says. */
@Timeout(120)
class FaultInjectionAgainstMqttServerIT {
  private static final Path PORTFOLIO = Path.of("src/test/resources/portfolio-two-sites.yaml");
  private FakeMqttServer server;

  @TempDir
  Path dir;

  @BeforeEach
  void startServer() throws Exception {
    server = new FakeMqttServer(DeviceSecrets.of(PortfolioReader.read(PORTFOLIO))).start();
  }

  @AfterEach
  void stopServer() throws Exception {
    server.close();
  }

  /** The truth file lists each injected fault with its points, times and expected rules, and the packs sent carry the faults. */
  @Test
  void theTruthFileListsTheInjectedFaultsAndThePacksCarryThem() throws Exception {
    Path faults = dir.resolve("faults.yaml");
    Files.writeString(faults, """
        faults:
          - {type: sensor-offline, site: tilleuls, equipment: boiler-1, start: 2025-01-15T07:00:00Z, duration: 30m}
          - {type: lift-stuck, site: tilleuls, equipment: lift-a, start: 2025-01-15T07:10:00Z, duration: 20m}
        """);
    Path truth = dir.resolve("truth.jsonl");
    SimRun sim = execute("run", "--portfolio", PORTFOLIO.toString(), "--mqtt", server.uri(),
        "--from", "2025-01-15T06:00:00Z", "--duration", "2h", "--speed", "7200", "--seed", "4",
        "--faults", faults.toString(), "--truth", truth.toString());
    assertThat(sim.exitCode()).as(sim.out() + "\n" + sim.err()).isZero();
    assertThat(sim.out()).contains("faults: 2 injected (2 explicit), ground truth in " + truth);

    List<String> lines = Files.readAllLines(truth);
    assertThat(lines).hasSize(3);
    JsonNode run = new ObjectMapper().readTree(lines.get(0));
    assertThat(run.path("record").asText()).isEqualTo("run");
    assertThat(run.path("from").asText()).isEqualTo("2025-01-15T06:00:00Z");
    assertThat(run.path("to").asText()).isEqualTo("2025-01-15T08:00:00Z");
    assertThat(run.path("seed").asLong()).isEqualTo(4);
    JsonNode offline = new ObjectMapper().readTree(lines.get(1));
    assertThat(offline.toString()).isEqualTo("{\"record\":\"fault\",\"type\":\"sensor-offline\",\"site\":\"tilleuls\","
        + "\"equipment\":\"boiler-1\",\"equipmentType\":\"boiler\",\"points\":[\"supply_temp\"],"
        + "\"start\":\"2025-01-15T07:00:00Z\",\"end\":\"2025-01-15T07:30:00Z\","
        + "\"expectedRules\":[\"sensor-offline-heating\",\"sensor-offline-hot-water\"],\"params\":{},"
        + "\"set\":\"explicit\",\"localHour\":8}");
    Truth.Run read = Truth.read(truth);
    assertThat(read.sites()).containsExactly("tilleuls", "acacias");
    assertThat(read.faults()).extracting(Truth.Entry::type).containsExactly("sensor-offline", "lift-stuck");
    assertThat(read.faults().get(1).expectedRules()).containsExactly("lift-out-of-service");

    // What reached the server: no supply temperature while it was offline, the lift out of service.
    Map<Instant, Double> supply = new TreeMap<>();
    Map<Instant, Double> inService = new TreeMap<>();
    for (FakeMqttServer.Received r : server.received()) {
      JsonNode pack = new ObjectMapper().readTree(r.payload());
      String base = pack.get(0).path("bn").asText();
      double bt = pack.get(0).path("bt").asDouble();
      for (JsonNode rec : pack) {
        String key = base + rec.path("n").asText();
        Instant t = Instant.ofEpochMilli(Math.round((bt + rec.path("t").asDouble()) * 1000));
        if (key.equals("tilleuls/boiler-1/supply_temp")) {
          supply.put(t, rec.path("v").asDouble());
        } else if (key.equals("tilleuls/lift-a/in_service")) {
          inService.put(t, rec.path("v").asDouble());
        }
      }
    }
    Instant offFrom = Instant.parse("2025-01-15T07:00:00Z");
    Instant offTo = Instant.parse("2025-01-15T07:30:00Z");
    assertThat(supply.keySet()).noneMatch(t -> !t.isBefore(offFrom) && t.isBefore(offTo));
    assertThat(supply.keySet()).anyMatch(t -> t.isBefore(offFrom)).anyMatch(t -> !t.isBefore(offTo));
    inService.forEach((t, v) -> {
      boolean stuck = !t.isBefore(Instant.parse("2025-01-15T07:10:00Z")) && t.isBefore(Instant.parse("2025-01-15T07:30:00Z"));
      assertThat(v).as("in_service at %s", t).isEqualTo(stuck ? 0.0 : 1.0);
    });
  }

  /** A scenario with errors stops the run before anything is sent, with the lines of the errors. */
  @Test
  void aBadScenarioStopsTheRunWithItsLines() throws Exception {
    Path faults = dir.resolve("faults.yaml");
    Files.writeString(faults, "faults:\n  - {type: lift-stuck, site: tilleuls, equipment: boiler-1, start: 2025-01-15T07:00:00Z}\n");
    SimRun run = execute("run", "--portfolio", PORTFOLIO.toString(), "--mqtt", server.uri(),
        "--from", "2025-01-15T06:00:00Z", "--duration", "1h", "--faults", faults.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("line 2: faults[0]: lift-stuck applies to lift, not to 'boiler-1' of type boiler");
    assertThat(server.received()).isEmpty();
  }
}
