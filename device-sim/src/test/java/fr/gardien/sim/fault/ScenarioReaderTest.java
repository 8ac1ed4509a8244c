package fr.gardien.sim.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.gardien.sim.portfolio.Portfolio;
import fr.gardien.sim.portfolio.PortfolioCommand;
import fr.gardien.sim.portfolio.PortfolioReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ScenarioReaderTest {
  static Portfolio portfolio;

  @BeforeAll
  static void portfolio() throws Exception {
    portfolio = PortfolioReader.parse("generated", PortfolioCommand.generate(2, 7, "test-admin-token"));
  }

  private static List<String> problems(String yaml) {
    return ScenarioProblems.of(yaml, portfolio);
  }

  /** Explicit faults and the random mode are read with their defaults, durations and parameters. */
  @Test
  void explicitFaultsAndTheRandomModeAreRead() throws Exception {
    Scenario s = ScenarioReader.parse("test.yaml", """
        faults:
          - type: lift-stuck
            site: site-001
            equipment: lift-a
            start: 2026-10-05T08:00:00Z
          - {type: pressure-leak, site: site-002, equipment: %s, start: "2026-10-06T10:00:00+02:00",
             duration: 10h, params: {rate: 0.2}}
          - {type: clock-skew, site: site-001, equipment: ecs-1, start: 2026-10-07, params: {skew: -90m}}
        random: {per-site-week: 1.5, types: [water-leak, sensor-spike], seed: 42, warm-up: 1d}
        """.formatted(heating("site-002")), portfolio);

    assertThat(s.faults()).hasSize(3);
    Fault lift = s.faults().get(0);
    assertThat(lift.type()).isEqualTo(FaultType.LIFT_STUCK);
    assertThat(lift.duration()).isEqualTo(FaultType.LIFT_STUCK.defaultDuration());
    assertThat(lift.points()).containsExactly("in_service", "trips", "door_cycles", "fault_code");
    Fault leak = s.faults().get(1);
    assertThat(leak.start()).isEqualTo(Instant.parse("2026-10-06T08:00:00Z"));
    assertThat(leak.end()).isEqualTo(Instant.parse("2026-10-06T18:00:00Z"));
    assertThat(leak.number("rate", 0)).isEqualTo(0.2);
    assertThat(s.faults().get(2).duration("skew", Duration.ZERO)).isEqualTo(Duration.ofMinutes(-90));
    assertThat(s.faults().get(2).points()).containsExactly("storage_temp");
    assertThat(s.random()).hasValueSatisfying(r -> {
      assertThat(r.perSiteWeek()).isEqualTo(1.5);
      assertThat(r.types()).containsExactly(FaultType.WATER_LEAK, FaultType.SENSOR_SPIKE);
      assertThat(r.seed()).isEqualTo(42);
      assertThat(r.warmUp()).isEqualTo(Duration.ofDays(1));
    });
  }

  /** Every problem of the file is reported at once, each with the line it is on. */
  @Test
  void everyProblemIsReportedWithItsLine() {
    List<String> problems = problems("""
        faults:
          - type: boiler-explosion
            site: site-001
            equipment: lift-a
            start: 2026-10-05T08:00:00Z
          - type: lift-stuck
            site: site-009
            equipment: lift-a
            start: yesterday
          - type: vmc-stopped
            site: site-001
            equipment: lift-a
            start: 2026-10-05T08:00:00Z
          - type: water-leak
            site: site-001
            equipment: water-main
            start: 2026-10-05T08:00:00Z
            duration: 0s
            params: {leak: lots, colour: blue}
          - type: sensor-offline
            site: site-001
            equipment: ecs-1
            start: 2026-10-05T08:00:00Z
            params: {point: pressure}
            when: never
        random: {per-site-week: -1, types: [water-leak, hail]}
        """);
    assertThat(problems).containsExactlyInAnyOrder(
        "line 2: faults[0]: unknown fault type 'boiler-explosion' (one of: " + FaultType.ids() + ")",
        "line 7: faults[1]: unknown site 'site-009'",
        "line 9: faults[1]: start: 'yesterday' is not an ISO-8601 time (e.g. 2025-01-15T08:00:00Z)",
        "line 12: faults[2]: vmc-stopped applies to ventilation, not to 'lift-a' of type lift",
        "line 18: faults[3]: duration must be positive",
        "line 19: faults[3]: parameter 'leak' must be a number, got 'lots'",
        "line 19: faults[3]: unknown parameter 'colour' of water-leak (known: leak)",
        "line 24: faults[4]: equipment 'ecs-1' has no point 'pressure'",
        "line 25: faults[4]: unknown field 'when' (known: duration, equipment, params, site, start, type)",
        "line 26: random: per-site-week must be above 0 and at most 100",
        "line 26: random: unknown fault type 'hail' (one of: " + FaultType.ids() + ")");
  }

  /** A file that is not YAML, or not a scenario, is refused with a line. */
  @Test
  void aFileThatIsNotAScenarioIsRefusedWithALine() {
    assertThat(problems("faults: [\n  {type: lift-stuck\n")).singleElement().asString().startsWith("line 2: not valid YAML");
    assertThat(problems("sites: []\n")).containsExactly(
        "line 1: the document must be a mapping with 'faults', 'random', 'hours' and/or 'sweep'");
    assertThat(problems("faults:\n  - type: lift-stuck\n    site: site-001\n")).containsExactlyInAnyOrder(
        "line 2: faults[0]: 'equipment' is required", "line 2: faults[0]: 'start' is required");
  }

  /** The random mode draws, per site, about per-site-week faults a week, apart from each other and after the warm-up. */
  @Test
  void theRandomModeDrawsSpacedFaultsAfterTheWarmUp() {
    Instant from = Instant.parse("2026-01-05T00:00:00Z");
    Instant to = from.plus(Duration.ofDays(28));
    Scenario.RandomSpec spec = new Scenario.RandomSpec(2, List.of(FaultType.values()), 3, Duration.ofDays(3));
    List<Fault> faults = RandomFaults.draw(spec, portfolio, from, to, (site, t) -> 5.0);
    assertThat(faults).hasSizeBetween(14, 16);
    assertThat(faults).allSatisfy(f -> {
      assertThat(f.start()).isAfterOrEqualTo(from.plus(Duration.ofDays(3)));
      assertThat(f.end()).isBeforeOrEqualTo(to);
      assertThat(f.type().equipmentTypes()).contains(f.equipmentType());
    });
    for (Fault a : faults) {
      for (Fault b : faults) {
        if (a != b && a.site().equals(b.site())) {
          assertThat(a.end().plus(RandomFaults.GAP).isAfter(b.start()) && b.end().plus(RandomFaults.GAP).isAfter(a.start()))
              .as("%s and %s overlap", a, b).isFalse();
        }
      }
    }
    assertThat(RandomFaults.draw(spec, portfolio, from, to, (site, t) -> 5.0)).isEqualTo(faults);
    // Faults that need heating demand are never drawn when it is warm outside.
    assertThat(RandomFaults.draw(spec, portfolio, from, to, (site, t) -> 20.0))
        .noneMatch(f -> f.type().needsHeatingDemand());
  }

  /** Starts may be times relative to the run's start: now, now-D, now+D; anything else is refused with its line. */
  @Test
  void startsMayBeRelativeToNow() throws Exception {
    Instant now = Instant.parse("2026-12-06T07:30:00Z");
    assertThat(ScenarioReader.start("now", now)).isEqualTo(now);
    assertThat(ScenarioReader.start("now-2d", now)).isEqualTo(Instant.parse("2026-12-04T07:30:00Z"));
    assertThat(ScenarioReader.start(" now+90s ", now)).isEqualTo(Instant.parse("2026-12-06T07:31:30Z"));
    assertThat(ScenarioReader.start("2026-01-01T00:00:00Z", now)).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    String site = portfolio.sites().get(0).id();
    assertThatThrownBy(() -> ScenarioReader.parse("s.yaml", "faults:\n  - {type: lift-stuck, site: " + site
        + ", equipment: lift-a, start: now*2}\n", portfolio, now))
        .isInstanceOf(ScenarioException.class).hasMessageContaining("line 2").hasMessageContaining("now-D");
  }

  /**
   * The demo's story, placed around its launch: faults of the history that ended days ago
   * (resolved), faults still going on at the launch (a leak through last night among them), and
   * live faults just before it whose alerts come in the first minutes: a lift stuck, a boiler
   * stopping, a hot-water tank cooling under 55 °C.
   */
  @Test
  void theDemoScenarioTellsTheStoryAroundTheLaunch() throws Exception {
    Portfolio demo = PortfolioReader.read(java.nio.file.Path.of("../docker/demo/portfolio.yaml"));
    Instant now = Instant.parse("2026-12-06T07:30:00Z");
    Scenario s = ScenarioReader.read(java.nio.file.Path.of("../docker/demo/faults.yaml"), demo, now);
    java.util.List<Fault> past = s.faults().stream().filter(f -> f.start().plus(f.duration()).isBefore(now.minus(Duration.ofDays(1)))).toList();
    java.util.List<Fault> ongoing = s.faults().stream()
        .filter(f -> f.start().isBefore(now.minus(Duration.ofHours(1))) && f.start().plus(f.duration()).isAfter(now)).toList();
    java.util.List<Fault> live = s.faults().stream()
        .filter(f -> !f.start().isBefore(now.minus(Duration.ofMinutes(30))) && !f.start().isAfter(now.plus(Duration.ofMinutes(5)))).toList();
    assertThat(past).hasSizeGreaterThanOrEqualTo(3).allMatch(f -> f.start().isAfter(now.minus(Duration.ofDays(14))), "within the 14 days backfilled");
    assertThat(ongoing).extracting(f -> f.type().id()).contains("water-leak");
    Fault leak = ongoing.stream().filter(f -> f.type().id().equals("water-leak")).findFirst().orElseThrow();
    java.time.ZonedDateTime lastNight = now.atZone(java.time.ZoneId.of("Europe/Paris")).toLocalDate().atTime(3, 0)
        .atZone(java.time.ZoneId.of("Europe/Paris"));
    assertThat(leak.start()).as("the leak runs through last night's 01:00-05:00").isBefore(lastNight.minusHours(2).toInstant());
    assertThat(live).extracting(f -> f.type().id()).containsExactlyInAnyOrder("lift-stuck", "hot-water-drop", "boiler-failure");
    assertThat(s.faults()).hasSize(past.size() + ongoing.size() + live.size());
  }

  static String heating(String site) {
    return portfolio.site(site).orElseThrow().equipment().get(0).id();
  }
}
