package fr.gardien.sim.fault;

import fr.gardien.sim.Options;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One fault to inject: its type, where (site, equipment and that equipment's type), when, for how
 * long, its parameters as written in the scenario (numbers, or durations such as {@code -2h}), and
 * the set it belongs to: {@code explicit} (written out in the scenario), {@code random},
 * {@code hours} (one started at each local hour) or {@code sweep} (sizes of a detection-boundary
 * sweep), which the evaluation reports apart.
 */
public record Fault(FaultType type, String site, String equipment, String equipmentType, Instant start,
    Duration duration, Map<String, String> params, String set) {

  /** The sets a fault may belong to. */
  public static final String EXPLICIT = "explicit";
  public static final String RANDOM = "random";
  public static final String HOURS = "hours";
  public static final String SWEEP = "sweep";

  public Fault {
    params = Map.copyOf(params);
  }

  /** A fault written out in a scenario. */
  public Fault(FaultType type, String site, String equipment, String equipmentType, Instant start, Duration duration,
      Map<String, String> params) {
    this(type, site, equipment, equipmentType, start, duration, params, EXPLICIT);
  }

  /** When the fault ends (exclusive). */
  public Instant end() {
    return start.plus(duration);
  }

  /** Whether the fault is under way at {@code t}. */
  public boolean activeAt(Instant t) {
    return !t.isBefore(start) && t.isBefore(end());
  }

  /** The points it changes: the {@code point} parameter, or the type's default points. */
  public List<String> points() {
    String p = params.get("point");
    return p != null ? List.of(p) : type.points(equipmentType);
  }

  /** A numeric parameter, or {@code otherwise}; scenario reading has checked that it parses. */
  public double number(String name, double otherwise) {
    String v = params.get(name);
    return v == null ? otherwise : Double.parseDouble(v);
  }

  /** A duration parameter ({@code 6m}, {@code -2h}), or {@code otherwise}. */
  public Duration duration(String name, Duration otherwise) {
    String v = params.get(name);
    if (v == null) {
      return otherwise;
    }
    String s = v.trim();
    boolean negative = s.startsWith("-");
    Duration d = Options.parseDuration(negative ? s.substring(1) : s);
    return negative ? d.negated() : d;
  }

  /** The parameters in name order, for the truth file. */
  public Map<String, String> sortedParams() {
    return new TreeMap<>(params);
  }
}
