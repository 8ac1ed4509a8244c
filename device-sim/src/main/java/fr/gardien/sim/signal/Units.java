package fr.gardien.sim.signal;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * Conversions between the SenML units (RFC 8428 §12.1, RFC 8798) a portfolio may declare for
 * one quantity. Each model computes in one canonical unit; the declared unit decides what is sent.
 */
final class Units {
  private Units() {}

  private record Scale(String dimension, double factor, double offset) {}

  // value in unit = canonical value * factor + offset; canonical unit has factor 1, offset 0.
  private static final Map<String, Scale> SCALES = Map.ofEntries(
      Map.entry("Cel", new Scale("temperature", 1, 0)),
      Map.entry("K", new Scale("temperature", 1, 273.15)),
      Map.entry("degF", new Scale("temperature", 1.8, 32)),
      Map.entry("bar", new Scale("pressure-bar", 1, 0)),
      Map.entry("mbar", new Scale("pressure-bar", 1000, 0)),
      Map.entry("Pa", new Scale("pressure-Pa", 1, 0)),
      Map.entry("hPa", new Scale("pressure-Pa", 0.01, 0)),
      Map.entry("kPa", new Scale("pressure-Pa", 0.001, 0)),
      Map.entry("Wh", new Scale("energy", 1, 0)),
      Map.entry("kWh", new Scale("energy", 0.001, 0)),
      Map.entry("MWh", new Scale("energy", 1e-6, 0)),
      Map.entry("J", new Scale("energy", 3600, 0)),
      Map.entry("W", new Scale("power", 1, 0)),
      Map.entry("kW", new Scale("power", 0.001, 0)),
      Map.entry("m3", new Scale("volume", 1, 0)),
      Map.entry("l", new Scale("volume", 1000, 0)),
      Map.entry("L", new Scale("volume", 1000, 0)),
      Map.entry("m3/h", new Scale("flow", 1, 0)),
      Map.entry("m3/s", new Scale("flow", 1 / 3600.0, 0)),
      Map.entry("l/h", new Scale("flow", 1000, 0)),
      Map.entry("l/min", new Scale("flow", 1000 / 60.0, 0)),
      Map.entry("l/s", new Scale("flow", 1000 / 3600.0, 0)),
      Map.entry("%RH", new Scale("humidity", 1, 0)),
      Map.entry("ppm", new Scale("co2", 1, 0)));

  /** {@code value} in {@code canonical} expressed in {@code declared}, if both are one quantity. */
  static OptionalDouble convert(double value, String canonical, String declared) {
    if (declared == null || declared.equals(canonical)) {
      return OptionalDouble.of(value);
    }
    Scale from = SCALES.get(canonical);
    Scale to = SCALES.get(declared);
    if (from == null || to == null || !from.dimension().equals(to.dimension())) {
      return OptionalDouble.empty();
    }
    double base = (value - from.offset()) / from.factor();
    return OptionalDouble.of(base * to.factor() + to.offset());
  }

  /** Centre, half-range and step of a sensible bounded random walk for a unit. */
  static double[] walkFor(String unit) {
    if (unit == null) {
      return new double[] {50, 50, 1};
    }
    return switch (unit) {
      case "Cel" -> new double[] {20, 10, 0.2};
      case "K" -> new double[] {293.15, 10, 0.2};
      case "%RH" -> new double[] {50, 15, 0.5};
      case "%", "/" -> new double[] {50, 40, 1};
      case "ppm" -> new double[] {600, 250, 10};
      case "Pa" -> new double[] {100, 60, 1};
      case "hPa" -> new double[] {1013, 20, 0.3};
      case "bar" -> new double[] {1.5, 0.3, 0.01};
      case "W" -> new double[] {1000, 800, 20};
      case "kW" -> new double[] {1, 0.8, 0.02};
      case "V" -> new double[] {230, 6, 0.3};
      case "A" -> new double[] {5, 4, 0.1};
      case "Hz" -> new double[] {50, 0.2, 0.01};
      case "lx" -> new double[] {300, 250, 10};
      case "dB", "dBA" -> new double[] {45, 15, 0.5};
      case "m3/h" -> new double[] {1, 1, 0.05};
      case "m/s" -> new double[] {3, 3, 0.2};
      case "rpm" -> new double[] {1400, 200, 10};
      default -> new double[] {50, 50, 1};
    };
  }
}
