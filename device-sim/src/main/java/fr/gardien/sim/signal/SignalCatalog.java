package fr.gardien.sim.signal;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Random;

/**
 * Plausible signals by equipment type and point name, following the point vocabulary of the
 * contract. Rates and levels are pure functions of time (see {@link Noise}); counters and
 * indexes integrate them, so a water meter's volume is the integral of its flow.
 */
final class SignalCatalog {
  private SignalCatalog() {}

  /** A model: its canonical unit, display decimals, whether integral, and its generator. */
  record Model(String unit, int decimals, boolean integral, PointSignal signal) {}

  /** Everything a model may depend on: the site's weather, its building, the seeds of the equipment and point. */
  record Context(SiteWeather weather, BuildingProfile building, long equipmentSeed, long pointSeed, Random random) {
    ZoneId zone() {
      return weather.zone();
    }
  }

  /** The model of a known (type, name), or null when the vocabulary does not know it. */
  static Model known(String type, String name, Context c) {
    String t = type == null ? "" : type;
    if (name.equals("outdoor_temp") || (t.equals("weather") && name.equals("temperature"))) {
      return new Model("Cel", 1, false, (at, dt) ->
          c.weather().outdoorTemp(at) + 0.2 * Noise.smooth(c.pointSeed(), at.getEpochSecond() / 600.0));
    }
    return switch (t) {
      case "boiler", "substation" -> heating(name, c);
      case "hot-water" -> hotWater(name, c);
      case "lift" -> lift(name, c);
      case "ventilation" -> ventilation(name, c);
      case "water-meter" -> waterMeter(name, c);
      case "electricity-meter" -> electricityMeter(name, c);
      case "heat-meter" -> heatMeter(name, c);
      case "people-counter" -> name.equals("count")
          ? new Model(null, 0, true, (at, dt) ->
              poisson(c.random(), 2.0 / 60 * Rhythm.activity(at, c.zone()) * dt))
          : null;
      case "climate" -> climate(name, c);
      default -> null;
    };
  }

  /** A bounded random walk, a counter, or a constant state, guessed from the name and unit. */
  static Model fallback(String name, String unit, Context c) {
    if (name.endsWith("_on") || name.equals("in_service") || name.equals("running")) {
      return new Model(null, 0, true, (at, dt) -> 1);
    }
    if (name.contains("fault") || name.contains("alarm")) {
      return new Model(null, 0, true, (at, dt) -> 0);
    }
    if (name.endsWith("cycles") || name.endsWith("starts") || name.endsWith("trips")
        || name.endsWith("_total")) {
      return counter(c, 0.5 / 60);
    }
    double[] walk = Units.walkFor(unit);
    double lo = walk[0] - walk[1];
    double hi = walk[0] + walk[1];
    double[] v = {walk[0] + (c.random().nextDouble() - 0.5) * walk[1]};
    return new Model(unit, 2, false, (at, dt) -> {
      double x = v[0] + walk[2] * c.random().nextGaussian();
      x = x > hi ? 2 * hi - x : x < lo ? 2 * lo - x : x;
      v[0] = x;
      return x;
    });
  }

  private static Model heating(String name, Context c) {
    SiteWeather w = c.weather();
    BuildingProfile b = c.building();
    long es = c.equipmentSeed();
    return switch (name) {
      case "supply_temp" -> new Model("Cel", 1, false, (at, dt) -> supply(w, b, es, at));
      case "return_temp" -> new Model("Cel", 1, false, (at, dt) ->
          supply(w, b, es, at) - (b.deltaTBase() + b.deltaTLoad() * w.heatingLoad(at))
              + 0.5 * Noise.smooth(c.pointSeed(), at.getEpochSecond() / 900.0));
      case "burner_on" -> new Model(null, 0, true, (at, dt) -> burnerOn(w, es, at) ? 1 : 0);
      case "pressure" -> new Model("bar", 2, false, (at, dt) -> {
        double s = at.getEpochSecond();
        return b.pressureBase() + 0.08 * Noise.smooth(c.pointSeed(), s / 7200) + 0.02 * Noise.smooth(c.pointSeed() + 1, s / 600);
      });
      default -> null;
    };
  }

  /** Supply temperature of the usual building (see {@link #supply(SiteWeather, BuildingProfile, long, Instant)}). */
  static double supply(SiteWeather w, long seed, Instant at) {
    return supply(w, BuildingProfile.usual(), seed, at);
  }

  /**
   * Supply temperature on the building's heating curve of the outdoor temperature, with its night
   * setback. As in real controllers, the minimum and maximum supply limits bound the curve after
   * the setback. A boiler's supply swings with its burner; a substation's valve holds it steadier.
   */
  static double supply(SiteWeather w, BuildingProfile b, long seed, Instant at) {
    double outdoor = w.outdoorTemp(at);
    double curve = b.targetSupply(outdoor, Rhythm.localHour(at, w.zone()));
    double burner = b.burnerSwing() ? (burnerOn(w, seed, at) ? 1.5 : -1.0) : 0;
    return curve + burner + 0.8 * Noise.smooth(seed, at.getEpochSecond() / 1200.0);
  }

  /** Burner cycles on a period of 15–20 min with a duty that follows the heating demand. */
  static boolean burnerOn(SiteWeather w, long seed, Instant at) {
    double period = 900 + 300 * Noise.uniform(seed, 1);
    double phase = Noise.uniform(seed, 2);
    double duty = 0.15 + 0.7 * w.heatingLoad(at);
    double cycle = at.getEpochSecond() / period + phase;
    return cycle - Math.floor(cycle) < duty;
  }

  private static Model hotWater(String name, Context c) {
    BuildingProfile b = c.building();
    return switch (name) {
      case "storage_temp" -> {
        // The heater's thermostat: the tank cools by its standing and loop losses and is reheated
        // every 1.5-2.5 h (usual building), a sawtooth of about 1 K even when nobody draws water.
        double period = b.reheatPeriodSeconds() + b.reheatPeriodSpanSeconds() * Noise.uniform(c.pointSeed(), 7);
        yield new Model("Cel", 1, false, (at, dt) -> {
          double phase = at.getEpochSecond() / period;
          return b.storageSetpoint() + 1.2 * Noise.smooth(c.pointSeed(), at.getEpochSecond() / 10800.0)
              - b.storageSawtooth() * (phase - Math.floor(phase)) - b.storageDrawDip() * Rhythm.activity(at, c.zone());
        });
      }
      case "loop_return_temp" -> new Model("Cel", 1, false, (at, dt) ->
          b.loopBase() + 1.0 * Noise.smooth(c.pointSeed(), at.getEpochSecond() / 7200.0)
              - 1.5 * Rhythm.activity(at, c.zone()));
      default -> null;
    };
  }

  private static Model lift(String name, Context c) {
    return switch (name) {
      case "in_service" -> new Model(null, 0, true, (at, dt) -> 1);
      case "fault_code" -> new Model(null, 0, true, (at, dt) -> 0);
      case "door_cycles" -> counter(c, 3.0 / 60 * c.building().liftUse(), Rhythm::liftUse);
      case "trips" -> counter(c, 1.4 / 60 * c.building().liftUse(), Rhythm::liftUse);
      default -> null;
    };
  }

  private static Model ventilation(String name, Context c) {
    return switch (name) {
      case "fan_on" -> new Model(null, 0, true, (at, dt) -> 1);
      case "pressure_drop" -> {
        // Filters clog slowly (about 0.5 Pa a day) and are replaced every 120 days.
        double offset = Noise.uniform(c.pointSeed(), 0) * 120;
        yield new Model("Pa", 0, false, (at, dt) -> {
          double days = at.getEpochSecond() / 86400.0 + offset;
          double age = days / 120 - Math.floor(days / 120);
          return 100 + 60 * age + 2 * Noise.smooth(c.pointSeed(), at.getEpochSecond() / 1800.0);
        });
      }
      default -> null;
    };
  }

  private static Model waterMeter(String name, Context c) {
    long es = c.equipmentSeed();
    double scale = c.building().waterScale();
    return switch (name) {
      case "flow" -> new Model("m3/h", 3, false, (at, dt) -> scale * waterFlow(es, c.zone(), at));
      case "volume" -> {
        double[] index = {8000 + 4000 * Noise.uniform(c.pointSeed(), 0)};
        yield new Model("m3", 3, false, (at, dt) -> index[0] += scale * waterFlow(es, c.zone(), at) * dt / 3600);
      }
      default -> null;
    };
  }

  /** Building water flow in m3/h: daily peaks, zero at night apart from an occasional flush. */
  static double waterFlow(long seed, ZoneId zone, Instant at) {
    double a = Rhythm.activity(at, zone);
    if (a < 0.08) {
      return Noise.uniform(seed, at.getEpochSecond() / 300) < 0.15 ? 0.12 : 0;
    }
    return 2.2 * a * (1 + 0.2 * Noise.smooth(seed, at.getEpochSecond() / 900.0));
  }

  /**
   * A heat meter on the building's heating and hot-water circuit: {@code energy} (a kWh index)
   * integrates {@link #heatPower}, {@code power} is that power in kW.
   */
  private static Model heatMeter(String name, Context c) {
    long es = c.equipmentSeed();
    double scale = c.building().powerScale();
    return switch (name) {
      case "power" -> new Model("kW", 1, false, (at, dt) -> scale * heatPower(c.weather(), es, at));
      case "energy" -> {
        double[] index = {2.0e5 + 1.0e5 * Noise.uniform(c.pointSeed(), 0)};
        yield new Model("kWh", 1, false, (at, dt) -> index[0] += scale * heatPower(c.weather(), es, at) * dt / 3600);
      }
      default -> null;
    };
  }

  /**
   * Heat delivered to a building of about fifty dwellings, in kW: space heating in proportion to
   * the degrees under 18 °C outside (so that consumption follows the degree-days), and hot water
   * by the household rhythm.
   */
  static double heatPower(SiteWeather w, long seed, Instant at) {
    double heating = 9 * Math.max(0, 18 - w.outdoorTemp(at));
    double hotWater = 25 * Rhythm.activity(at, w.zone());
    return (heating + hotWater) * (1 + 0.05 * Noise.smooth(seed, at.getEpochSecond() / 600.0));
  }

  private static Model electricityMeter(String name, Context c) {
    long es = c.equipmentSeed();
    double scale = c.building().powerScale();
    return switch (name) {
      case "power" -> new Model("W", 0, false, (at, dt) -> scale * power(es, c.zone(), at));
      case "energy" -> {
        double[] index = {1.0e7 + 5.0e6 * Noise.uniform(c.pointSeed(), 0)};
        yield new Model("Wh", 0, false, (at, dt) -> index[0] += scale * power(es, c.zone(), at) * dt / 3600);
      }
      default -> null;
    };
  }

  /**
   * Common-area power in W: base load, lighting, lifts and pumps by activity. Common-area lighting
   * is on presence detectors and timers (minuteries): in the dark hours it draws its 900 W in
   * proportion to the passages, over 150 W of safety and night lighting that never goes off.
   */
  static double power(long seed, ZoneId zone, Instant at) {
    double h = Rhythm.localHour(at, zone);
    double activity = Rhythm.activity(at, zone);
    double lighting = 150 + ((h < 7 || h >= 19) ? 900 * Math.min(1, 1.5 * activity) : 0);
    return (600 + lighting + 1500 * activity)
        * (1 + 0.05 * Noise.smooth(seed, at.getEpochSecond() / 300.0));
  }

  private static Model climate(String name, Context c) {
    return switch (name) {
      case "temperature" -> new Model("Cel", 1, false, (at, dt) -> clamp(19, 22,
          20.5 - 0.8 * Math.cos(2 * Math.PI * (Rhythm.localHour(at, c.zone()) - 5) / 24)
              + 0.5 * Noise.smooth(c.pointSeed(), at.getEpochSecond() / 3600.0)));
      case "humidity" -> new Model("%RH", 1, false, (at, dt) -> clamp(40, 60,
          50 + 6 * Noise.smooth(c.pointSeed(), at.getEpochSecond() / 21600.0)
              + 3 * Noise.smooth(c.pointSeed() + 1, at.getEpochSecond() / 3600.0)));
      case "co2" -> new Model("ppm", 0, false, (at, dt) -> clamp(400, 1000,
          430 + 450 * Rhythm.activity(at, c.zone())
              + 60 * Noise.smooth(c.pointSeed(), at.getEpochSecond() / 1800.0)));
      default -> null;
    };
  }

  /** A monotonic counter from a plausible index, growing by Poisson events at a daily rhythm. */
  private static Model counter(Context c, double eventsPerSecondAtPeak) {
    return counter(c, eventsPerSecondAtPeak, Rhythm::activity);
  }

  /** The same at the given rhythm of use (a fraction of the peak rate, by time and zone). */
  private static Model counter(Context c, double eventsPerSecondAtPeak,
      java.util.function.ToDoubleBiFunction<Instant, ZoneId> rhythm) {
    double[] count = {Math.floor(20000 + 80000 * c.random().nextDouble())};
    return new Model(null, 0, true, (at, dt) ->
        count[0] += poisson(c.random(), eventsPerSecondAtPeak * rhythm.applyAsDouble(at, c.zone()) * dt));
  }

  static double clamp(double lo, double hi, double v) {
    return Math.max(lo, Math.min(hi, v));
  }

  /** A Poisson draw (Knuth below 30, rounded normal above), never negative. */
  static long poisson(Random random, double mean) {
    if (mean <= 0) {
      return 0;
    }
    if (mean > 30) {
      return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
    }
    double limit = Math.exp(-mean);
    double p = random.nextDouble();
    long k = 0;
    while (p > limit) {
      p *= random.nextDouble();
      k++;
    }
    return k;
  }
}
