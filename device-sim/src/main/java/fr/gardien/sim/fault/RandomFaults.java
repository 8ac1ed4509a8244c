package fr.gardien.sim.fault;

import fr.gardien.sim.portfolio.Portfolio;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * Draws the faults of a scenario's random mode: for each site, on average {@code per-site-week}
 * faults per simulated week, each of a type drawn among those the site's equipment can have, on
 * an equipment of that type drawn at random, at a random minute of the run after the warm-up,
 * with parameters drawn in plausible ranges. Faults of one site do not overlap (they are kept
 * {@link #GAP} apart), so each alert can be put down to one cause. Faults that need heating
 * demand start only when it is cold outside ({@link FaultType#needsHeatingDemand()}). The draw
 * depends only on the spec's seed, the portfolio and the period.
 */
public final class RandomFaults {
  /** Least time between two faults of one site (end of one to start of the next). */
  static final Duration GAP = Duration.ofHours(12);
  /** Time left after a fault before the end of the run, for its detection to be seen. */
  static final Duration TAIL = Duration.ofHours(3);
  private static final int TRIES = 200;

  private RandomFaults() {}

  /**
   * @param outdoor the simulated outdoor temperature of a site at a time (the run's weather)
   * @return the faults, by start time
   */
  public static List<Fault> draw(Scenario.RandomSpec spec, Portfolio portfolio, Instant from, Instant to,
      BiFunction<String, Instant, Double> outdoor) {
    List<Fault> all = new ArrayList<>();
    Instant first = from.plus(spec.warmUp());
    double weeks = Duration.between(from, to).toSeconds() / (7 * 86400.0);
    for (Portfolio.Site site : portfolio.sites()) {
      SplittableRandom rnd = new SplittableRandom(spec.seed() * 0x9e3779b97f4a7c15L + site.id().hashCode());
      double expected = spec.perSiteWeek() * weeks;
      int n = (int) Math.floor(expected) + (rnd.nextDouble() < expected - Math.floor(expected) ? 1 : 0);
      Map<FaultType, List<Portfolio.Equipment>> candidates = new LinkedHashMap<>();
      for (FaultType type : spec.types()) {
        List<Portfolio.Equipment> fit = site.equipment().stream()
            .filter(e -> type.equipmentTypes().contains(e.type()))
            .filter(e -> e.points().stream().map(Portfolio.Point::name).toList().containsAll(type.points(e.type())))
            .toList();
        if (!fit.isEmpty()) {
          candidates.put(type, fit);
        }
      }
      if (candidates.isEmpty()) {
        continue;
      }
      List<FaultType> types = List.copyOf(candidates.keySet());
      List<Fault> ofSite = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        FaultType type = types.get(rnd.nextInt(types.size()));
        List<Portfolio.Equipment> fit = candidates.get(type);
        Portfolio.Equipment eq = fit.get(rnd.nextInt(fit.size()));
        Map<String, String> params = params(type, eq.type(), rnd);
        Duration duration = type.defaultDuration();
        long span = Duration.between(first, to.minus(duration).minus(TAIL)).toMinutes();
        if (span <= 0) {
          continue;
        }
        for (int attempt = 0; attempt < TRIES; attempt++) {
          Instant start = first.plus(rnd.nextLong(span), ChronoUnit.MINUTES);
          Fault f = new Fault(type, site.id(), eq.id(), eq.type(), start, duration, params, Fault.RANDOM);
          if (ofSite.stream().noneMatch(o -> overlaps(o, f)) && (!type.needsHeatingDemand() || cold(site.id(), start, outdoor))) {
            ofSite.add(f);
            break;
          }
        }
      }
      all.addAll(ofSite);
    }
    all.sort(Comparator.comparing(Fault::start).thenComparing(Fault::site));
    return all;
  }

  /**
   * The faults of a scenario's {@code hours} grid: for each type, one starting in each local hour
   * of the day (at a random minute), on a site and day drawn at random, after the warm-up, apart
   * from the faults already planned ({@code planned}) as random faults are from each other.
   */
  public static List<Fault> hours(Scenario.HoursSpec spec, Portfolio portfolio, Instant from, Instant to,
      BiFunction<String, Instant, Double> outdoor, List<Fault> planned) {
    List<Request> requests = new ArrayList<>();
    for (FaultType type : spec.types()) {
      for (int hour = 0; hour < 24; hour++) {
        requests.add(new Request(type, spec.params().getOrDefault(type, Map.of()), hour, Fault.HOURS));
      }
    }
    return place(requests, portfolio, from.plus(spec.warmUp()), to, outdoor, planned, new SplittableRandom(spec.seed() * 31 + 17));
  }

  /**
   * The faults of a scenario's detection-boundary {@code sweep}: for each type, {@code per-size}
   * faults of each size, placed at random after the warm-up, apart from {@code planned}, and for
   * the types judged against previous days on equipment free of other faults for
   * {@link FaultType#sweepCleanDays()} days around.
   */
  public static List<Fault> sweep(Scenario.SweepSpec spec, Portfolio portfolio, Instant from, Instant to,
      BiFunction<String, Instant, Double> outdoor, List<Fault> planned) {
    List<Request> requests = new ArrayList<>();
    for (var e : spec.sizes().entrySet()) {
      String param = e.getKey().sizeParam().orElseThrow();
      for (String size : e.getValue()) {
        for (int i = 0; i < spec.perSize(); i++) {
          requests.add(new Request(e.getKey(), Map.of(param, size), -1, Fault.SWEEP));
        }
      }
    }
    return place(requests, portfolio, from.plus(spec.warmUp()), to, outdoor, planned, new SplittableRandom(spec.seed() * 31 + 29));
  }

  /** A fault to place: its type, parameters, local hour of start (-1: any) and set. */
  private record Request(FaultType type, Map<String, String> params, int localHour, String set) {}

  private static List<Fault> place(List<Request> requests, Portfolio portfolio, Instant first, Instant to,
      BiFunction<String, Instant, Double> outdoor, List<Fault> planned, SplittableRandom rnd) {
    List<Fault> all = new ArrayList<>(planned);
    List<Fault> placed = new ArrayList<>();
    for (Request r : requests) {
      List<Portfolio.Site> sites = portfolio.sites().stream().filter(s -> s.equipment().stream().anyMatch(e -> fits(r.type(), e)))
          .toList();
      Duration duration = r.type().defaultDuration();
      long span = Duration.between(first, to.minus(duration).minus(TAIL)).toMinutes();
      if (sites.isEmpty() || span <= 0) {
        continue;
      }
      for (int attempt = 0; attempt < TRIES * 5; attempt++) {
        Portfolio.Site site = sites.get(rnd.nextInt(sites.size()));
        List<Portfolio.Equipment> fit = site.equipment().stream().filter(e -> fits(r.type(), e)).toList();
        Portfolio.Equipment eq = fit.get(rnd.nextInt(fit.size()));
        Instant start = first.plus(rnd.nextLong(span), ChronoUnit.MINUTES);
        if (r.localHour() >= 0) {
          java.time.ZonedDateTime local = start.atZone(site.timezone());
          start = local.withHour(r.localHour()).withMinute(rnd.nextInt(60)).withSecond(0).toInstant();
          if (start.isBefore(first) || start.plus(duration).plus(TAIL).isAfter(to)) {
            continue;
          }
        }
        Fault f = new Fault(r.type(), site.id(), eq.id(), eq.type(), start, duration, r.params(), r.set());
        Duration clean = r.set().equals(Fault.SWEEP) ? Duration.ofDays(r.type().sweepCleanDays()) : Duration.ZERO;
        if (all.stream().noneMatch(o -> o.site().equals(f.site()) && overlaps(o, f))
            && all.stream().noneMatch(o -> o.site().equals(f.site()) && o.equipment().equals(f.equipment())
                && o.start().isBefore(f.end().plus(clean)) && f.start().isBefore(o.end().plus(clean)))
            && (!r.type().needsHeatingDemand() || cold(site.id(), start, outdoor))) {
          all.add(f);
          placed.add(f);
          break;
        }
      }
    }
    placed.sort(Comparator.comparing(Fault::start).thenComparing(Fault::site));
    return placed;
  }

  private static boolean fits(FaultType type, Portfolio.Equipment e) {
    return type.equipmentTypes().contains(e.type())
        && e.points().stream().map(Portfolio.Point::name).toList().containsAll(type.points(e.type()));
  }

  private static boolean overlaps(Fault a, Fault b) {
    return a.start().isBefore(b.end().plus(GAP)) && b.start().isBefore(a.end().plus(GAP));
  }

  /** Heating is needed: below 12 °C outside for the first two hours of the fault. */
  private static boolean cold(String site, Instant start, BiFunction<String, Instant, Double> outdoor) {
    for (int m = 0; m <= 120; m += 15) {
      if (outdoor.apply(site, start.plus(Duration.ofMinutes(m))) >= 12) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, String> params(FaultType type, String equipmentType, SplittableRandom rnd) {
    Map<String, String> p = new LinkedHashMap<>();
    switch (type) {
      case SHORT_CYCLING -> {
        int period = 5 + rnd.nextInt(4);
        p.put("period", period + "m");
        p.put("on", (period / 2.0) + "m");
      }
      case PRESSURE_LEAK -> p.put("rate", fmt(0.08 + 0.22 * rnd.nextDouble()));
      case HOT_WATER_DROP -> p.put("to", fmt(45 + 6 * rnd.nextDouble()));
      case NO_HEAT -> p.put("deficit", fmt(15 + 20 * rnd.nextDouble()));
      case DOOR_WEAR -> p.put("factor", fmt(2 + rnd.nextDouble()));
      case WATER_LEAK -> p.put("leak", fmt(0.15 + 0.45 * rnd.nextDouble()));
      case LIGHTS_LEFT_ON -> p.put("extra", fmt(700 + 500 * rnd.nextDouble()));
      case SENSOR_SPIKE -> p.put("value", rnd.nextBoolean() ? fmt(130 + 70 * rnd.nextDouble()) : "-40");
      case CLOCK_SKEW -> p.put("skew", "-" + (1 + rnd.nextInt(3)) + "h");
      default -> {
        // The type's defaults.
      }
    }
    return p;
  }

  private static String fmt(double v) {
    return String.valueOf(Math.round(v * 100) / 100.0);
  }
}
