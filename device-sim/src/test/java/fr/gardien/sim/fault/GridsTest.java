package fr.gardien.sim.fault;

import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.sim.portfolio.Portfolio;
import fr.gardien.sim.portfolio.PortfolioCommand;
import fr.gardien.sim.portfolio.PortfolioReader;
import fr.gardien.sim.signal.SiteWeather;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scenario's grids (issue 16): {@code hours}, one fault of each type started in each local
 * hour of the day, and {@code sweep}, faults of each size of a type's size parameter; both placed
 * on the portfolio apart from the faults already planned, and tagged with their set.
 */
class GridsTest {
  private static final Instant FROM = Instant.parse("2026-10-11T00:00:00Z");
  private static final Instant TO = FROM.plus(Duration.ofDays(56));
  static Portfolio portfolio;

  @BeforeAll
  static void portfolio() throws Exception {
    portfolio = PortfolioReader.parse("generated", PortfolioCommand.generate(20, 1, "test-admin-token"));
  }

  private static final String GRIDS = """
      random: {per-site-week: 1, seed: 3}
      hours:
        types: [no-heat, hot-water-drop]
        params: {no-heat: {deficit: 20}}
        seed: 5
      sweep:
        per-size: 3
        seed: 5
        sizes:
          no-heat: [5, 20, 40]
          water-leak: [0.02, 0.5]
      """;

  /** Each type of the hour grid starts once in each local hour; heating ones only in cold weather; all apart from the others. */
  @Test
  void theHourGridStartsOneFaultOfEachTypeInEachLocalHour() throws Exception {
    Scenario s = ScenarioReader.parse("grids.yaml", GRIDS, portfolio);
    Map<String, SiteWeather> weather = new HashMap<>();
    BiFunction<String, Instant, Double> outdoor = (site, t) ->
        weather.computeIfAbsent(site, id -> new SiteWeather(1, id, portfolio.site(id).orElseThrow().timezone())).outdoorTemp(t);
    List<Fault> planned = new ArrayList<>(RandomFaults.draw(s.random().orElseThrow(), portfolio, FROM, TO, outdoor));
    List<Fault> hours = RandomFaults.hours(s.hours().orElseThrow(), portfolio, FROM, TO, outdoor, planned);
    assertThat(hours).hasSize(48).allSatisfy(f -> assertThat(f.set()).isEqualTo(Fault.HOURS));
    for (FaultType type : List.of(FaultType.NO_HEAT, FaultType.HOT_WATER_DROP)) {
      TreeSet<Integer> starts = new TreeSet<>();
      for (Fault f : hours.stream().filter(f -> f.type() == type).toList()) {
        starts.add(f.start().atZone(portfolio.site(f.site()).orElseThrow().timezone()).getHour());
        assertThat(f.start()).isAfterOrEqualTo(FROM.plus(Duration.ofDays(3)));
        assertThat(f.end().plus(RandomFaults.TAIL)).isBeforeOrEqualTo(TO);
        if (type.needsHeatingDemand()) {
          assertThat(outdoor.apply(f.site(), f.start())).isLessThan(12);
          assertThat(f.number("deficit", 0)).isEqualTo(20);
        }
      }
      assertThat(starts).hasSize(24);
    }
    List<Fault> all = new ArrayList<>(planned);
    all.addAll(hours);
    for (Fault a : all) {
      for (Fault b : all) {
        if (a != b && a.site().equals(b.site())) {
          assertThat(a.end().plus(RandomFaults.GAP).isAfter(b.start()) && b.end().plus(RandomFaults.GAP).isAfter(a.start()))
              .as("%s and %s overlap", a, b).isFalse();
        }
      }
    }
  }

  /**
   * The sweep places per-size faults of every size, with the size in the type's size parameter; a
   * leak (judged against the previous days' floors) on a meter with no other fault for 8 days around.
   */
  @Test
  void theSweepPlacesEachSizeOfEachType() throws Exception {
    Scenario s = ScenarioReader.parse("grids.yaml", GRIDS, portfolio);
    List<Fault> planned = RandomFaults.draw(s.random().orElseThrow(), portfolio, FROM, TO, (site, t) -> 0.0);
    List<Fault> sweep = RandomFaults.sweep(s.sweep().orElseThrow(), portfolio, FROM, TO, (site, t) -> 0.0, planned);
    List<Fault> all = new ArrayList<>(planned);
    all.addAll(sweep);
    for (Fault leak : sweep.stream().filter(f -> f.type() == FaultType.WATER_LEAK).toList()) {
      assertThat(all).filteredOn(o -> o != leak && o.site().equals(leak.site()) && o.equipment().equals(leak.equipment()))
          .allSatisfy(o -> assertThat(o.end().plus(Duration.ofDays(8)).isAfter(leak.start())
              && leak.end().plus(Duration.ofDays(8)).isAfter(o.start())).as("%s near %s", o, leak).isFalse());
    }
    assertThat(sweep).hasSize(15).allSatisfy(f -> {
      assertThat(f.set()).isEqualTo(Fault.SWEEP);
      assertThat(f.start()).isAfterOrEqualTo(FROM.plus(Duration.ofDays(7)));
    });
    Map<String, Integer> bySize = new HashMap<>();
    sweep.forEach(f -> bySize.merge(f.type().id() + " " + f.params().get(f.type().sizeParam().orElseThrow()), 1, Integer::sum));
    assertThat(bySize).containsOnly(Map.entry("no-heat 5", 3), Map.entry("no-heat 20", 3), Map.entry("no-heat 40", 3),
        Map.entry("water-leak 0.02", 3), Map.entry("water-leak 0.5", 3));
  }

  /** A truth entry keeps the set and the local hour of its fault through the file. */
  @Test
  void theTruthKeepsTheSetAndLocalHour(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    Fault f = new Fault(FaultType.NO_HEAT, "site-001", "boiler-1", "boiler", Instant.parse("2026-11-03T22:40:00Z"),
        Duration.ofHours(3), Map.of("deficit", "20"), Fault.HOURS);
    java.nio.file.Path file = dir.resolve("truth.jsonl");
    Truth.write(file, new Truth.Run(FROM, TO, List.of("site-001"), 1,
        List.of(Truth.of(f, java.time.ZoneId.of("Europe/Paris"), -42), Truth.of(f))));
    Truth.Run run = Truth.read(file);
    assertThat(run.faults().get(0).clockShiftSeconds()).isEqualTo(-42);
    assertThat(run.faults().get(0).stampedStart()).isEqualTo(f.start().minusSeconds(42));
    assertThat(run.faults().get(1).clockShiftSeconds()).isZero();
    assertThat(run.faults().get(0).set()).isEqualTo(Fault.HOURS);
    assertThat(run.faults().get(0).localHour()).isEqualTo(23);
    assertThat(run.faults().get(0).main()).isFalse();
    assertThat(run.faults().get(1).localHour()).isEqualTo(-1);
  }

  /** Mistakes in the grids are reported with their lines. */
  @Test
  void mistakesInTheGridsAreReported() {
    List<String> problems = problems("""
        hours: {types: [no-heat, nothing], params: {water-leak: {leak: 1}}}
        sweep: {per-size: 0, sizes: {lift-stuck: [1], no-heat: [a]}}
        """);
    assertThat(problems).anyMatch(p -> p.startsWith("line 1: hours: unknown fault type 'nothing'"))
        .anyMatch(p -> p.contains("params of 'water-leak', which is not one of the types"))
        .anyMatch(p -> p.contains("lift-stuck has no size to sweep"))
        .anyMatch(p -> p.contains("a size of no-heat must be a number"))
        .anyMatch(p -> p.contains("per-size must be a whole number"));
  }

  private static List<String> problems(String yaml) {
    return ScenarioProblems.of(yaml, portfolio);
  }
}
