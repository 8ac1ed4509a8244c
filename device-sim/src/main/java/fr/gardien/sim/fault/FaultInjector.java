package fr.gardien.sim.fault;

import fr.gardien.sim.senml.Reading;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Changes the healthy readings of one piece of equipment as its faults require, sample by sample.
 * Indexes and counters ({@code volume}, {@code energy}, {@code trips}, {@code door_cycles}) are
 * changed through their increments, so a leak's extra volume stays counted after it is repaired
 * and a stuck lift's counters resume from where they stopped. Not thread-safe: one owner, with
 * non-decreasing times.
 */
public final class FaultInjector {
  private static final Set<String> CUMULATIVE = Set.of("volume", "energy", "trips", "door_cycles");

  private final List<Fault> faults;
  private final double circuitTauMinutes;
  private final double tankTauMinutes;
  private final Map<String, Double> lastRaw = new HashMap<>();
  private final Map<String, Double> lastOut = new HashMap<>();
  /** Per fault, the values captured at its first faulty sample (a frozen value, the supply at failure). */
  private final Map<Fault, Map<String, Double>> captured = new IdentityHashMap<>();
  private Instant lastTime;

  /** @param faults the faults of this equipment (others are ignored by the caller), in the usual building */
  public FaultInjector(List<Fault> faults) {
    this(faults, 20, 20);
  }

  /**
   * @param faults the faults of this equipment (others are ignored by the caller)
   * @param circuitTauMinutes how fast the heating circuit's water cools when production stops or
   *     falls short (time constant, minutes: 20 in the usual building)
   * @param tankTauMinutes how fast the hot-water tank cools when its heater stops (20 in the usual building)
   */
  public FaultInjector(List<Fault> faults, double circuitTauMinutes, double tankTauMinutes) {
    this.faults = List.copyOf(faults);
    this.circuitTauMinutes = circuitTauMinutes;
    this.tankTauMinutes = tankTauMinutes;
  }

  /** The readings of one sample at {@code t}, with the faults under way applied. */
  public List<Reading> apply(List<Reading> healthy, Instant t) {
    double dt = lastTime == null ? 0 : Duration.between(lastTime, t).toMillis() / 1000.0;
    lastTime = t;
    List<Fault> active = new ArrayList<>(2);
    for (Fault f : faults) {
      if (f.activeAt(t)) {
        active.add(f);
      }
    }
    Map<String, Double> raw = new HashMap<>();
    for (Reading r : healthy) {
      raw.put(name(r), r.value());
    }
    List<Reading> out = new ArrayList<>(healthy.size());
    for (Reading r : healthy) {
      String n = name(r);
      double value = r.value();
      Instant time = r.time();
      boolean dropped = false;
      if (CUMULATIVE.contains(n)) {
        Double prevRaw = lastRaw.put(n, value);
        Double prevOut = lastOut.get(n);
        double delta = prevRaw == null ? 0 : value - prevRaw;
        for (Fault f : active) {
          // The increment covers (t - dt, t]: only the part of it after the fault's start counts.
          delta = increment(f, n, r.unit(), delta, Math.min(dt, Duration.between(f.start(), t).toMillis() / 1000.0));
        }
        value = prevOut == null ? value : prevOut + delta;
        for (Fault f : active) {
          if (f.type() == FaultType.METER_RESET && f.points().contains(n) && captured.put(f, Map.of()) == null) {
            value = f.number("to", 0);
          }
        }
        lastOut.put(n, value);
      } else {
        for (Fault f : active) {
          value = level(f, n, r.unit(), value, raw, t);
        }
      }
      for (Fault f : active) {
        if (f.type() == FaultType.SENSOR_OFFLINE && f.points().contains(n)) {
          dropped = true;
        } else if (f.type() == FaultType.CLOCK_SKEW) {
          // The equipment's own clock: every reading it sends carries the skewed time.
          time = time.plus(f.duration("skew", Duration.ofHours(-2)));
        }
      }
      if (!dropped) {
        out.add(new Reading(r.key(), r.unit(), round(value, r), r.integral(), time));
      }
    }
    return out;
  }

  /** A counter or index increment under a fault. */
  private double increment(Fault f, String n, String unit, double delta, double dt) {
    return switch (f.type()) {
      case LIFT_STUCK -> n.equals("trips") || n.equals("door_cycles") ? 0 : delta;
      case DOOR_WEAR -> n.equals("door_cycles") ? Math.round(delta * f.number("factor", 2.5)) : delta;
      case WATER_LEAK -> n.equals("volume") ? delta + f.number("leak", 0.3) * scale(unit, "l") * dt / 3600 : delta;
      case LIGHTS_LEFT_ON -> n.equals("energy") ? delta + f.number("extra", 900) / scale(unit, "kWh") * dt / 3600 : delta;
      default -> delta;
    };
  }

  /** A level (temperature, state, pressure, power, flow) under a fault. */
  private double level(Fault f, String n, String unit, double v, Map<String, Double> raw, Instant t) {
    double minutes = Duration.between(f.start(), t).toSeconds() / 60.0;
    return switch (f.type()) {
      case BOILER_FAILURE -> switch (n) {
        case "supply_temp" -> failedSupply(f, raw, minutes);
        case "return_temp" -> failedSupply(f, raw, minutes) - 0.8 + 0.3 * wobble(t, 7);
        case "burner_on" -> 0;
        default -> v;
      };
      case NO_HEAT -> switch (n) {
        case "supply_temp" -> shortSupply(f, raw, minutes);
        case "return_temp" -> {
          // The water gives the building less heat as it is cooler: the supply-return difference
          // shrinks with the supply's excess over the rooms' temperature.
          double healthy = raw.getOrDefault("supply_temp", v + 10);
          double supply = shortSupply(f, raw, minutes);
          yield supply - (healthy - v) * Math.max(0.1, (supply - 20) / Math.max(1, healthy - 20));
        }
        default -> v;
      };
      case DELTA_T_COLLAPSE -> n.equals("return_temp") && raw.containsKey("supply_temp")
          ? raw.get("supply_temp") - f.number("delta", 1.5) + 0.3 * wobble(t, 11) : v;
      case SHORT_CYCLING -> {
        if (!n.equals("burner_on")) {
          yield v;
        }
        long period = f.duration("period", Duration.ofMinutes(6)).toMillis();
        long on = f.duration("on", Duration.ofMinutes(3)).toMillis();
        yield Math.floorMod(Duration.between(f.start(), t).toMillis(), period) < on ? 1 : 0;
      }
      case PRESSURE_LEAK -> n.equals("pressure")
          ? Math.max(f.number("floor", 0.3), v - f.number("rate", 0.15) * minutes / 60) : v;
      case HOT_WATER_DROP -> {
        double cooled = (1 - Math.exp(-minutes / tankTauMinutes));
        double storage = raw.getOrDefault("storage_temp", v);
        // The tank cools toward `to`, or toward `drop` K under its temperature when the heater stopped.
        double to = f.params().containsKey("drop")
            ? captured.computeIfAbsent(f, k -> new HashMap<>()).computeIfAbsent("to", k -> storage - f.number("drop", 10))
            : f.number("to", 48);
        double drop = (storage - to) * cooled;
        yield n.equals("storage_temp") || n.equals("loop_return_temp") ? v - drop - (n.equals("loop_return_temp") ? cooled : 0) : v;
      }
      case LIFT_STUCK -> n.equals("in_service") ? 0 : n.equals("fault_code") ? f.number("fault-code", 12) : v;
      case VMC_STOPPED -> n.equals("fan_on") ? 0 : n.equals("pressure_drop") ? 3 + wobble(t, 3) : v;
      case WATER_LEAK -> n.equals("flow") ? v + f.number("leak", 0.3) * scale(unit, "l/h") : v;
      case LIGHTS_LEFT_ON -> n.equals("power") ? v + f.number("extra", 900) / scale(unit, "kW") : v;
      case SENSOR_FLATLINE -> f.points().contains(n)
          ? captured.computeIfAbsent(f, k -> new HashMap<>()).computeIfAbsent(n, k -> v) : v;
      case SENSOR_SPIKE -> f.points().contains(n) ? f.number("value", 150) : v;
      default -> v;
    };
  }

  /**
   * The supply of a failed boiler: with the pump still running, the circuit's water gives its heat
   * to the radiators and cools from its last value toward the building's temperature (20 min time
   * constant in the usual building).
   */
  private double failedSupply(Fault f, Map<String, Double> raw, double minutes) {
    double at = captured.computeIfAbsent(f, k -> new HashMap<>())
        .computeIfAbsent("supply_temp", k -> raw.getOrDefault("supply_temp", 60.0));
    double to = f.number("to", 20);
    return to + (at - to) * Math.exp(-minutes / circuitTauMinutes);
  }

  /**
   * The supply of an installation that falls short (a burner stuck at low fire, a district-heat
   * valve that no longer opens, an exchanger fouled): it sinks, with the circuit's time constant,
   * to {@code deficit} K under what the controller asks, never under the rooms' 21 °C.
   */
  private double shortSupply(Fault f, Map<String, Double> raw, double minutes) {
    double healthy = raw.getOrDefault("supply_temp", 60.0);
    double deficit = f.number("deficit", 25) * (1 - Math.exp(-minutes / circuitTauMinutes));
    return Math.max(Math.min(21, healthy), healthy - deficit);
  }

  /** Deterministic small variation in [-1, 1] so faulty values are not perfectly flat. */
  private static double wobble(Instant t, int period) {
    return Math.sin(t.getEpochSecond() / 60.0 / period);
  }

  /** 1000 when the point is declared in the litre or kilo unit named, else 1 (m3, m3/h, Wh, W). */
  private static double scale(String unit, String big) {
    return big.equals(unit) ? 1000 : 1;
  }

  private static String name(Reading r) {
    return r.key().substring(r.key().lastIndexOf('/') + 1);
  }

  private static double round(double v, Reading r) {
    if (r.integral()) {
      return Math.round(v);
    }
    return Math.round(v * 1000) / 1000.0;
  }
}
