package fr.gardien.sim.signal;

import fr.gardien.sim.fault.FaultInjector;
import fr.gardien.sim.portfolio.Portfolio.Equipment;
import fr.gardien.sim.portfolio.Portfolio.Point;
import fr.gardien.sim.portfolio.Portfolio.Site;
import fr.gardien.sim.senml.Reading;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;

/**
 * The readings of one piece of equipment over simulated time. Deterministic: the same seed and
 * the same sequence of times give the same values. Not thread-safe: one owner samples it, with
 * non-decreasing times. Every reading carries its point's declared unit.
 */
public final class EquipmentSignals {
  private static final Map<String, Integer> DECIMALS = Map.ofEntries(
      Map.entry("K", 2), Map.entry("degF", 1), Map.entry("mbar", 0), Map.entry("hPa", 1),
      Map.entry("kPa", 2), Map.entry("Wh", 0), Map.entry("kWh", 3), Map.entry("MWh", 6),
      Map.entry("J", 0), Map.entry("kW", 3), Map.entry("l", 0), Map.entry("L", 0),
      Map.entry("l/h", 0), Map.entry("l/min", 1), Map.entry("l/s", 3), Map.entry("m3/s", 6));

  private record Channel(String key, Point point, SignalCatalog.Model model, boolean converted) {}

  private final List<Channel> channels = new ArrayList<>();
  private final double intervalSeconds;
  private final BuildingProfile building;
  private final SensorEffects effects;
  private Instant last;
  private FaultInjector faults;

  /** The equipment of a usual building (see below). */
  public EquipmentSignals(Site site, Equipment equipment, SiteWeather weather, long seed, Duration interval) {
    this(site, equipment, weather, BuildingProfile.usual(), seed, interval);
  }

  /**
   * @param building the building the equipment is part of: its curve, tank, sensors, data losses
   * @param seed the run seed; each point derives its own stream from it and its key
   * @param interval the nominal sampling interval (rates per interval, first integration step)
   */
  public EquipmentSignals(Site site, Equipment equipment, SiteWeather weather, BuildingProfile building, long seed,
      Duration interval) {
    this.intervalSeconds = interval.toMillis() / 1000.0;
    this.building = building;
    long equipmentSeed = Noise.derive(seed, site.id() + "/" + equipment.id());
    this.effects = new SensorEffects(building, Noise.derive(seed, "gaps/" + site.id() + "/" + equipment.id()),
        SensorEffects.clockSeed(seed, site.id()));
    for (Point p : equipment.points()) {
      String key = site.id() + "/" + equipment.id() + "/" + p.name();
      long pointSeed = Noise.derive(seed, key);
      SignalCatalog.Context ctx = new SignalCatalog.Context(weather, building, equipmentSeed, pointSeed, new Random(pointSeed));
      SignalCatalog.Model model = SignalCatalog.known(equipment.type(), p.name(), ctx);
      boolean usable = model != null && (model.unit() == null
          || Units.convert(0, model.unit(), p.unit()).isPresent());
      if (!usable) {
        model = SignalCatalog.fallback(p.name(), p.unit(), ctx);
      }
      boolean converted = model.unit() != null && p.unit() != null && !model.unit().equals(p.unit());
      channels.add(new Channel(key, p, model, converted));
    }
  }

  /** From now on, the samples go through {@code injector}, which applies this equipment's faults. */
  public EquipmentSignals injecting(FaultInjector injector) {
    this.faults = injector;
    return this;
  }

  /** The building this equipment is part of. */
  public BuildingProfile building() {
    return building;
  }

  /** Number of points this equipment reports. */
  public int size() {
    return channels.size();
  }

  /**
   * One reading per point at {@code t}, which must not be before the previous call's; with an
   * injector, the faults under way change, drop or re-time some of them; then the building's
   * sensors and field gateway (resolution, pulse meter, bursts of missing data, clock drift).
   */
  public List<Reading> sample(Instant t) {
    double dt = last == null ? intervalSeconds : Math.max(0, Duration.between(last, t).toMillis() / 1000.0);
    last = t;
    List<Reading> out = new ArrayList<>(channels.size());
    for (Channel c : channels) {
      double v = c.model().signal().next(t, dt);
      String declared = c.point().unit();
      int decimals = c.model().decimals();
      if (c.converted()) {
        OptionalDouble conv = Units.convert(v, c.model().unit(), declared);
        v = conv.orElse(v);
        decimals = DECIMALS.getOrDefault(declared, decimals);
      }
      out.add(new Reading(c.key(), declared, round(v, decimals), c.model().integral(), t));
    }
    List<Reading> sent = faults == null ? out : faults.apply(out, t);
    return effects.active() ? effects.apply(sent, t) : sent;
  }

  private static double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }
}
