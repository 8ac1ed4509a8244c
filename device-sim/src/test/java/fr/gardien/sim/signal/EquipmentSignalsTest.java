package fr.gardien.sim.signal;

import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.sim.portfolio.Portfolio;
import fr.gardien.sim.portfolio.Portfolio.Equipment;
import fr.gardien.sim.portfolio.Portfolio.Point;
import fr.gardien.sim.portfolio.Portfolio.Site;
import fr.gardien.sim.portfolio.PortfolioReader;
import fr.gardien.sim.senml.Reading;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EquipmentSignalsTest {
  private static final Instant JANUARY = Instant.parse("2025-01-13T00:00:00Z");
  private static final Instant JULY = Instant.parse("2025-07-14T00:00:00Z");
  private static final Duration STEP = Duration.ofMinutes(5);
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static Portfolio portfolio;

  @BeforeAll
  static void readPortfolio() throws Exception {
    portfolio = PortfolioReader.read(Path.of("src/test/resources/portfolio-two-sites.yaml"));
  }

  /** Samples every point of the portfolio each STEP from {@code from} for {@code span}. */
  private static Map<String, List<Reading>> simulate(long seed, Instant from, Duration span) {
    Map<String, List<Reading>> byKey = new HashMap<>();
    List<EquipmentSignals> all = new ArrayList<>();
    for (Site site : portfolio.sites()) {
      SiteWeather w = new SiteWeather(seed, site.id(), site.timezone());
      for (Equipment e : site.equipment()) {
        all.add(new EquipmentSignals(site, e, w, seed, STEP));
      }
    }
    for (Instant t = from; t.isBefore(from.plus(span)); t = t.plus(STEP)) {
      for (EquipmentSignals s : all) {
        for (Reading r : s.sample(t)) {
          byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
        }
      }
    }
    return byKey;
  }

  private static double[] values(Map<String, List<Reading>> sim, String key) {
    return sim.get(key).stream().mapToDouble(Reading::value).toArray();
  }

  private static double meanAtLocalHour(Map<String, List<Reading>> sim, String key, int hour, boolean increments) {
    List<Reading> rs = sim.get(key);
    double sum = 0;
    int n = 0;
    for (int i = 1; i < rs.size(); i++) {
      if (rs.get(i).time().atZone(PARIS).getHour() == hour) {
        sum += increments ? rs.get(i).value() - rs.get(i - 1).value() : rs.get(i).value();
        n++;
      }
    }
    return sum / n;
  }

  private static List<Double> list(double[] v) {
    return java.util.Arrays.stream(v).boxed().toList();
  }

  private static double mean(double[] v) {
    return java.util.Arrays.stream(v).average().orElseThrow();
  }

  /** Lifts travel less on Saturdays and Sundays than on weekdays (issue 6: fewer trips at night and weekends). */
  @Test
  void liftsTravelLessAtWeekends() {
    // 2025-01-13 is a Monday: five weekdays, then the weekend.
    List<Reading> trips = simulate(11, JANUARY, Duration.ofDays(7)).get("tilleuls/lift-a/trips");
    double weekdays = 0;
    double weekend = 0;
    for (int i = 1; i < trips.size(); i++) {
      double step = trips.get(i).value() - trips.get(i - 1).value();
      java.time.DayOfWeek day = trips.get(i).time().atZone(PARIS).getDayOfWeek();
      if (day == java.time.DayOfWeek.SATURDAY || day == java.time.DayOfWeek.SUNDAY) {
        weekend += step;
      } else {
        weekdays += step;
      }
    }
    double perWeekday = weekdays / 5;
    double perWeekendDay = weekend / 2;
    assertThat(perWeekendDay).isBetween(0.5 * perWeekday, 0.8 * perWeekday);
  }

  /** The same seed gives exactly the same values; another seed gives other values. */
  @Test
  void theSameSeedGivesTheSameValues() {
    var a = simulate(42, JANUARY, Duration.ofDays(1));
    var b = simulate(42, JANUARY, Duration.ofDays(1));
    var c = simulate(43, JANUARY, Duration.ofDays(1));

    assertThat(a).isEqualTo(b);
    assertThat(values(a, "tilleuls/boiler-1/supply_temp")).isNotEqualTo(values(c, "tilleuls/boiler-1/supply_temp"));
    assertThat(values(a, "tilleuls/lift-a/door_cycles")).isNotEqualTo(values(c, "tilleuls/lift-a/door_cycles"));
  }

  /** Counters and indexes never decrease, and actually grow, over a simulated week. */
  @Test
  void countersAndIndexesNeverDecrease() {
    var sim = simulate(7, JANUARY, Duration.ofDays(7));
    for (String key : List.of("tilleuls/lift-a/door_cycles", "tilleuls/lift-a/trips",
        "acacias/water-1/volume", "acacias/elec-sg/energy")) {
      double[] v = values(sim, key);
      for (int i = 1; i < v.length; i++) {
        assertThat(v[i]).as("%s at step %d", key, i).isGreaterThanOrEqualTo(v[i - 1]);
      }
      assertThat(v[v.length - 1]).as(key).isGreaterThan(v[0]);
    }
  }

  /** People counts per interval are integers, never negative, and not all zero. */
  @Test
  void peopleCountsAreNonNegativeIntegers() {
    List<Reading> counts = simulate(7, JANUARY, Duration.ofDays(7)).get("acacias/hall/count");

    assertThat(counts).allSatisfy(r -> {
      assertThat(r.integral()).isTrue();
      assertThat(r.value()).isGreaterThanOrEqualTo(0).isEqualTo(Math.rint(r.value()));
    });
    assertThat(counts).anySatisfy(r -> assertThat(r.value()).isGreaterThan(0));
  }

  /** Over a winter week and a summer week every value stays in its plausible range. */
  @Test
  void valuesStayWithinPlausibleRangesOverASimulatedWeek() {
    Map<String, double[]> ranges = Map.ofEntries(
        Map.entry("tilleuls/boiler-1/supply_temp", new double[] {24, 90}),
        Map.entry("tilleuls/boiler-1/return_temp", new double[] {5, 75}),
        Map.entry("tilleuls/boiler-1/outdoor_temp", new double[] {-20, 42}),
        Map.entry("tilleuls/boiler-1/burner_on", new double[] {0, 1}),
        Map.entry("tilleuls/boiler-1/pressure", new double[] {1.3, 1.7}),
        Map.entry("tilleuls/ecs-1/storage_temp", new double[] {55, 65}),
        Map.entry("tilleuls/ecs-1/loop_return_temp", new double[] {50, 60}),
        Map.entry("tilleuls/lift-a/in_service", new double[] {1, 1}),
        Map.entry("tilleuls/vmc-1/fan_on", new double[] {1, 1}),
        Map.entry("tilleuls/vmc-1/pressure_drop", new double[] {90, 170}),
        Map.entry("acacias/water-1/flow", new double[] {0, 4}),
        Map.entry("acacias/elec-sg/power", new double[] {500, 4000}),
        Map.entry("acacias/laundry/temperature", new double[] {19, 22}),
        Map.entry("acacias/laundry/humidity", new double[] {40, 60}),
        Map.entry("acacias/laundry/co2", new double[] {400, 1000}),
        Map.entry("acacias/laundry/illuminance", new double[] {50, 550}));
    for (Instant from : List.of(JANUARY, JULY)) {
      var sim = simulate(11, from, Duration.ofDays(7));
      ranges.forEach((key, range) -> assertThat(list(values(sim, key)))
          .as("%s in the week from %s", key, from)
          .allSatisfy(v -> assertThat(v).isBetween(range[0], range[1])));
      double[] supply = values(sim, "tilleuls/boiler-1/supply_temp");
      double[] ret = values(sim, "tilleuls/boiler-1/return_temp");
      for (int i = 0; i < supply.length; i++) {
        assertThat(supply[i] - ret[i]).as("ΔT at step %d", i).isBetween(8.0, 23.0);
      }
    }
  }

  /** Every reading carries its point's declared unit, converted when it differs from the model's. */
  @Test
  void everyReadingCarriesItsDeclaredUnit() {
    var sim = simulate(3, JANUARY, Duration.ofDays(1));
    Map<String, String> declared = new HashMap<>();
    for (Site s : portfolio.sites()) {
      for (Equipment e : s.equipment()) {
        for (Point p : e.points()) {
          declared.put(s.id() + "/" + e.id() + "/" + p.name(), p.unit());
        }
      }
    }
    assertThat(sim.keySet()).isEqualTo(declared.keySet());
    sim.forEach((key, readings) -> assertThat(readings).extracting(Reading::unit)
        .as(key).containsOnly(declared.get(key)));
    // energy is declared in kWh: a common-area index of ~10–15 MWh, not 10–15 million.
    assertThat(list(values(sim, "acacias/elec-sg/energy"))).allSatisfy(v -> assertThat(v).isBetween(5_000.0, 20_000.0));

    Site kelvin = new Site("k", null, PARIS, List.of(new Equipment("b", "boiler",
        List.of(new Point("supply_temp", "K", "heat"), new Point("energy_used", "Wh", "energy")))));
    List<Reading> r = new EquipmentSignals(kelvin, kelvin.equipment().get(0),
        new SiteWeather(3, "k", PARIS), 3, STEP).sample(JANUARY);
    assertThat(r.get(0).unit()).isEqualTo("K");
    assertThat(r.get(0).value()).isBetween(297.0, 363.0);
    assertThat(r.get(1).unit()).isEqualTo("Wh");
  }

  /** Outdoor temperature is colder in January than in July, and colder at 04:00 than at 15:00. */
  @Test
  void seasonalAndDailyCyclesAreVisibleInTheOutdoorTemperature() {
    var winter = simulate(5, JANUARY, Duration.ofDays(14));
    var summer = simulate(5, JULY, Duration.ofDays(14));
    String key = "tilleuls/boiler-1/outdoor_temp";

    assertThat(mean(values(winter, key)) + 8).isLessThan(mean(values(summer, key)));
    assertThat(meanAtLocalHour(winter, key, 4, false) + 3).isLessThan(meanAtLocalHour(winter, key, 15, false));
    // The heating curve: supply is hotter in winter.
    assertThat(mean(values(winter, "tilleuls/boiler-1/supply_temp")))
        .isGreaterThan(mean(values(summer, "tilleuls/boiler-1/supply_temp")) + 10);
  }

  /** Lift door cycles grow much less at 03:00 than at 08:00; water flow is near zero at night. */
  @Test
  void dailyRhythmsAreVisibleInLiftAndWaterActivity() {
    var sim = simulate(9, JANUARY, Duration.ofDays(14));

    double night = meanAtLocalHour(sim, "tilleuls/lift-a/door_cycles", 3, true);
    double morning = meanAtLocalHour(sim, "tilleuls/lift-a/door_cycles", 8, true);
    assertThat(night * 5).isLessThan(morning);
    assertThat(meanAtLocalHour(sim, "acacias/water-1/flow", 3, false))
        .isLessThan(0.1 * meanAtLocalHour(sim, "acacias/water-1/flow", 8, false));
    assertThat(meanAtLocalHour(sim, "acacias/hall/count", 3, false))
        .isLessThan(meanAtLocalHour(sim, "acacias/hall/count", 18, false));
  }

  /** Burners cycle on and off a few times an hour. */
  @Test
  void burnersCycleAFewTimesAnHour() {
    Site site = new Site("s", null, PARIS, List.of(new Equipment("b", "boiler",
        List.of(new Point("burner_on", null, "heat")))));
    EquipmentSignals s = new EquipmentSignals(site, site.equipment().get(0), new SiteWeather(1, "s", PARIS), 1,
        Duration.ofMinutes(1));
    int starts = 0;
    double previous = 0;
    for (int minute = 0; minute < 24 * 60; minute++) {
      double v = s.sample(JANUARY.plusSeconds(60L * minute)).get(0).value();
      if (v == 1 && previous == 0) {
        starts++;
      }
      previous = v;
    }
    assertThat(starts / 24.0).isBetween(2.0, 5.0);
  }

  /** The demo's heat meter counts up, in kWh, several times faster on a winter day than a summer one (space heating). */
  @Test
  void aHeatMeterCountsMoreInWinterThanInSummer() throws Exception {
    Portfolio demo = PortfolioReader.read(Path.of("../docker/demo/portfolio.yaml"));
    Site site = demo.site("tilleuls").orElseThrow();
    Equipment meter = site.equipment().stream().filter(e -> e.type().equals("heat-meter")).findFirst().orElseThrow();
    double winter = heatOverADay(site, meter, JANUARY);
    double summer = heatOverADay(site, meter, JULY);
    assertThat(summer).isPositive();
    assertThat(winter).isGreaterThan(3 * summer).isLessThan(10_000);
  }

  private static double heatOverADay(Site site, Equipment meter, Instant from) {
    EquipmentSignals s = new EquipmentSignals(site, meter, new SiteWeather(1, site.id(), site.timezone()), 1, STEP);
    double first = Double.NaN;
    double last = Double.NaN;
    for (Instant t = from; t.isBefore(from.plus(Duration.ofDays(1))); t = t.plus(STEP)) {
      for (Reading r : s.sample(t)) {
        if (r.key().endsWith("/energy")) {
          assertThat(r.unit()).isEqualTo("kWh");
          first = Double.isNaN(first) ? r.value() : first;
          assertThat(r.value()).isGreaterThanOrEqualTo(Double.isNaN(last) ? r.value() : last);
          last = r.value();
        }
      }
    }
    return last - first;
  }
}
