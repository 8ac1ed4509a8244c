package fr.gardien.sim.fault;

import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.sim.portfolio.Portfolio;
import fr.gardien.sim.portfolio.PortfolioCommand;
import fr.gardien.sim.portfolio.PortfolioReader;
import fr.gardien.sim.senml.Reading;
import fr.gardien.sim.signal.EquipmentSignals;
import fr.gardien.sim.signal.SiteWeather;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FaultInjectorTest {
  private static final long SEED = 11;
  private static final Duration STEP = Duration.ofMinutes(2);
  /** A January day: the heating runs. */
  private static final Instant T0 = Instant.parse("2026-01-14T06:00:00Z");
  private static final Instant START = T0.plus(Duration.ofHours(2));
  static Portfolio portfolio;

  @BeforeAll
  static void portfolio() throws Exception {
    // Seed 2 gives site-001 a boiler (with a burner) rather than a substation.
    portfolio = PortfolioReader.parse("generated", PortfolioCommand.generate(1, 2, "test-admin-token"));
    assertThat(portfolio.sites().get(0).equipment().get(0).type()).isEqualTo("boiler");
  }

  /** The samples of one equipment, healthy and with the fault, over 8 h (fault from 2 h, for its default duration). */
  record Run(Fault fault, List<Reading> healthy, List<Reading> faulty) {
    /** Values of a point by time, in one of the two runs. */
    Map<Instant, Double> series(List<Reading> from, String point) {
      Map<Instant, Double> m = new HashMap<>();
      from.stream().filter(r -> r.key().endsWith("/" + point)).forEach(r -> m.put(r.time(), r.value()));
      return m;
    }

    double at(List<Reading> from, String point, Instant t) {
      return series(from, point).get(t);
    }
  }

  static Run run(FaultType type, Map<String, String> params) {
    Portfolio.Site site = portfolio.sites().get(0);
    Portfolio.Equipment eq = site.equipment().stream().filter(e -> type.equipmentTypes().contains(e.type()))
        .findFirst().orElseThrow();
    Fault fault = new Fault(type, site.id(), eq.id(), eq.type(), START, type.defaultDuration(), params);
    EquipmentSignals healthy = new EquipmentSignals(site, eq, new SiteWeather(SEED, site.id(), site.timezone()), SEED, STEP);
    EquipmentSignals faulty = new EquipmentSignals(site, eq, new SiteWeather(SEED, site.id(), site.timezone()), SEED, STEP)
        .injecting(new FaultInjector(List.of(fault)));
    List<Reading> h = new ArrayList<>();
    List<Reading> f = new ArrayList<>();
    for (Instant t = T0; t.isBefore(T0.plus(Duration.ofHours(8))); t = t.plus(STEP)) {
      h.addAll(healthy.sample(t));
      f.addAll(faulty.sample(t));
    }
    return new Run(fault, h, f);
  }

  /** Each fault leaves everything before it and every point it does not change exactly as the healthy run. */
  @ParameterizedTest
  @EnumSource(FaultType.class)
  void aFaultChangesOnlyItsOwnPointsAndOnlyFromItsStart(FaultType type) {
    Run r = run(type, Map.of());
    int before = (int) r.healthy().stream().filter(x -> x.time().isBefore(START)).count();
    assertThat(r.faulty().subList(0, before)).isEqualTo(r.healthy().subList(0, before));
    // A clock skew moves every reading of its equipment: the equipment's clock is wrong.
    List<String> points = type == FaultType.CLOCK_SKEW
        ? r.healthy().stream().map(FaultInjectorTest::name).distinct().toList() : r.fault().points();
    assertThat(r.faulty().stream().filter(x -> !points.contains(name(x))).toList())
        .isEqualTo(r.healthy().stream().filter(x -> !points.contains(name(x))).toList());
    assertThat(r.faulty()).isNotEqualTo(r.healthy());
  }

  /** Each fault changes its signals the way the failure does in a building. */
  @ParameterizedTest
  @EnumSource(FaultType.class)
  void eachFaultChangesTheRightSignalRealistically(FaultType type) {
    Run r = run(type, Map.of());
    Instant hour = START.plus(Duration.ofHours(1));
    Instant in = START.plus(STEP);
    List<Reading> f = r.faulty();
    List<Reading> h = r.healthy();
    switch (type) {
      case BOILER_FAILURE -> {
        assertThat(r.at(h, "supply_temp", hour)).isGreaterThan(40);
        assertThat(r.at(f, "supply_temp", hour)).isBetween(20.0, 28.0);
        assertThat(r.at(f, "supply_temp", hour) - r.at(f, "return_temp", hour)).isLessThan(2);
        assertThat(r.series(f, "burner_on").entrySet().stream().filter(e -> r.fault().activeAt(e.getKey()))
            .map(Map.Entry::getValue)).containsOnly(0.0);
      }
      case NO_HEAT -> {
        // 25 K short after three 20-min time constants, less the 5 % still to go; the water gives
        // the building less heat: the supply-return difference shrinks too.
        double shortBy = r.at(h, "supply_temp", hour) - r.at(f, "supply_temp", hour);
        assertThat(shortBy).isCloseTo(25 * (1 - Math.exp(-3)), within(0.2));
        assertThat(r.at(f, "supply_temp", hour) - r.at(f, "return_temp", hour))
            .isLessThan(r.at(h, "supply_temp", hour) - r.at(h, "return_temp", hour)).isPositive();
      }
      case DELTA_T_COLLAPSE -> assertThat(r.at(f, "supply_temp", hour) - r.at(f, "return_temp", hour)).isBetween(1.0, 2.0);
      case SHORT_CYCLING -> assertThat(starts(r.series(f, "burner_on"), START, hour)).isGreaterThan(6);
      case PRESSURE_LEAK -> assertThat(r.at(h, "pressure", hour) - r.at(f, "pressure", hour)).isCloseTo(0.15, within(0.011));
      case HOT_WATER_DROP -> {
        assertThat(r.at(f, "storage_temp", hour)).isLessThan(55);
        assertThat(r.at(f, "loop_return_temp", hour)).isLessThan(50);
      }
      case LIFT_STUCK -> {
        assertThat(r.at(f, "in_service", in)).isZero();
        assertThat(r.at(f, "fault_code", in)).isEqualTo(12);
        assertThat(r.at(f, "trips", hour)).isEqualTo(r.at(f, "trips", START.minus(STEP)));
        // After the repair the counter resumes from where it stopped.
        Instant after = r.fault().end().plus(Duration.ofMinutes(30));
        assertThat(r.at(f, "trips", after)).isLessThan(r.at(h, "trips", after));
      }
      case DOOR_WEAR -> {
        double healthy = r.at(h, "door_cycles", hour) - r.at(h, "door_cycles", START.minus(STEP));
        double worn = r.at(f, "door_cycles", hour) - r.at(f, "door_cycles", START.minus(STEP));
        assertThat(worn).isCloseTo(2.5 * healthy, within(0.2 * healthy + 3));
      }
      case VMC_STOPPED -> {
        assertThat(r.at(f, "fan_on", in)).isZero();
        assertThat(r.at(f, "pressure_drop", in)).isLessThan(10);
      }
      case WATER_LEAK -> {
        assertThat(r.at(f, "flow", hour) - r.at(h, "flow", hour)).isCloseTo(0.3, within(0.002));
        assertThat(r.at(f, "volume", hour) - r.at(h, "volume", hour)).isCloseTo(0.3, within(0.01));
      }
      case LIGHTS_LEFT_ON -> {
        assertThat(r.at(f, "power", hour) - r.at(h, "power", hour)).isCloseTo(900, within(1.0));
        assertThat(r.at(f, "energy", hour) - r.at(h, "energy", hour)).isCloseTo(900, within(2.0));
      }
      case SENSOR_OFFLINE -> assertThat(r.series(f, "supply_temp").keySet()).noneMatch(r.fault()::activeAt);
      case SENSOR_FLATLINE -> assertThat(r.series(f, "storage_temp").entrySet().stream()
          .filter(e -> r.fault().activeAt(e.getKey())).map(Map.Entry::getValue).collect(Collectors.toSet())).hasSize(1);
      case SENSOR_SPIKE -> assertThat(r.at(f, "supply_temp", START)).isEqualTo(150);
      case METER_RESET -> {
        assertThat(r.at(f, "volume", START)).isZero();
        assertThat(r.at(f, "volume", hour)).isPositive().isLessThan(r.at(h, "volume", hour) / 100);
      }
      case CLOCK_SKEW -> {
        assertThat(r.series(f, "supply_temp").keySet()).contains(START.minus(Duration.ofHours(2)));
        assertThat(r.faulty().stream().filter(x -> name(x).equals("supply_temp"))
            .filter(x -> !x.time().isBefore(START.minus(Duration.ofHours(2))) && x.time().isBefore(START))).hasSize(120);
      }
      default -> throw new AssertionError("no check for " + type);
    }
  }

  /**
   * A hot-water drop given as {@code drop} K cools the tank toward that much under its temperature
   * when the heater stopped; a building's own time constants (a large tank, a large circuit) slow
   * the fall as they say.
   */
  @org.junit.jupiter.api.Test
  void aDropInKelvinAndTheBuildingsTimeConstantsShapeTheFall() {
    Run r = run(FaultType.HOT_WATER_DROP, Map.of("drop", "6"));
    double atStart = r.at(r.healthy(), "storage_temp", START);
    Instant late = START.plus(Duration.ofHours(3));
    assertThat(r.at(r.healthy(), "storage_temp", late) - r.at(r.faulty(), "storage_temp", late))
        .isCloseTo(r.at(r.healthy(), "storage_temp", late) - (atStart - 6), within(0.2));

    Portfolio.Site site = portfolio.sites().get(0);
    Portfolio.Equipment boiler = site.equipment().get(0);
    Fault failure = new Fault(FaultType.BOILER_FAILURE, site.id(), boiler.id(), boiler.type(), START,
        Duration.ofHours(6), Map.of());
    SiteWeather w = new SiteWeather(SEED, site.id(), site.timezone());
    EquipmentSignals quick = new EquipmentSignals(site, boiler, w, SEED, STEP).injecting(new FaultInjector(List.of(failure)));
    EquipmentSignals slow = new EquipmentSignals(site, boiler, w, SEED, STEP)
        .injecting(new FaultInjector(List.of(failure), 40, 20));
    double quickSupply = 0;
    double slowSupply = 0;
    for (Instant t = T0; !t.isAfter(START.plus(Duration.ofMinutes(20))); t = t.plus(STEP)) {
      quickSupply = quick.sample(t).stream().filter(x -> name(x).equals("supply_temp")).findFirst().orElseThrow().value();
      slowSupply = slow.sample(t).stream().filter(x -> name(x).equals("supply_temp")).findFirst().orElseThrow().value();
    }
    // From the supply at the failure toward 20 °C: e^-1 of the way left after 20 min, e^-0.5 with 40 min.
    assertThat(slowSupply - 20).isCloseTo((quickSupply - 20) * Math.exp(0.5), within(0.5));
  }

  private static int starts(Map<Instant, Double> burner, Instant from, Instant to) {
    int starts = 0;
    double previous = 1;
    for (Instant t = from; t.isBefore(to); t = t.plus(STEP)) {
      double v = burner.get(t);
      if (previous == 0 && v == 1) {
        starts++;
      }
      previous = v;
    }
    return starts;
  }

  private static org.assertj.core.data.Offset<Double> within(double d) {
    return org.assertj.core.data.Offset.offset(d);
  }

  private static String name(Reading r) {
    return r.key().substring(r.key().lastIndexOf('/') + 1);
  }
}
