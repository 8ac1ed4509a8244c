package fr.gardien.sim.fault;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The faults the simulator can inject (issues 6 and 16): which equipment types each applies to, the
 * points it changes, how long it lasts by default, and the rules of the built-in catalog that
 * should raise on it ({@link #expectedRules}: any of them raised on the faulty equipment while the
 * fault lasts counts as a detection, and none of them counts as a false alert there).
 * A clock skew moves every reading of its equipment (its clock); its points are those the
 * expected rules watch. An empty list of rules means that no rule of the catalog watches for this fault: it is injected to check
 * that it raises nothing it should not, and the evaluation reports it apart.
 */
public enum FaultType {
  BOILER_FAILURE("boiler-failure", Set.of("boiler", "substation"), Duration.ofHours(6), true,
      Map.of("*", List.of("supply_temp", "return_temp", "burner_on")),
      List.of("heating-production-stopped", "heating-no-heat", "heating-delta-t-collapse")),
  NO_HEAT("no-heat", Set.of("boiler", "substation"), Duration.ofHours(3), true,
      Map.of("*", List.of("supply_temp", "return_temp")),
      List.of("heating-no-heat", "heating-production-stopped", "heating-curve-drift", "heating-delta-t-collapse")),
  DELTA_T_COLLAPSE("delta-t-collapse", Set.of("boiler", "substation"), Duration.ofHours(6), true,
      Map.of("*", List.of("return_temp")), List.of("heating-delta-t-collapse")),
  SHORT_CYCLING("short-cycling", Set.of("boiler"), Duration.ofHours(4), false,
      Map.of("*", List.of("burner_on")), List.of("heating-short-cycling")),
  PRESSURE_LEAK("pressure-leak", Set.of("boiler", "substation"), Duration.ofHours(8), false,
      Map.of("*", List.of("pressure")), List.of("heating-pressure-falling", "heating-pressure-low")),
  HOT_WATER_DROP("hot-water-drop", Set.of("hot-water"), Duration.ofHours(4), false,
      Map.of("*", List.of("storage_temp", "loop_return_temp")), List.of("hot-water-storage-falling", "hot-water-storage-not-recovering", "hot-water-storage-cold",
          "hot-water-loop-cold")),
  LIFT_STUCK("lift-stuck", Set.of("lift"), Duration.ofHours(2), false,
      Map.of("*", List.of("in_service", "trips", "door_cycles", "fault_code")), List.of("lift-out-of-service")),
  DOOR_WEAR("door-wear", Set.of("lift"), Duration.ofDays(4), false,
      Map.of("*", List.of("door_cycles")), List.of("lift-doors-reopening", "lift-door-maintenance-due")),
  VMC_STOPPED("vmc-stopped", Set.of("ventilation"), Duration.ofHours(12), false,
      Map.of("*", List.of("fan_on", "pressure_drop")), List.of("ventilation-fan-stopped")),
  WATER_LEAK("water-leak", Set.of("water-meter"), Duration.ofDays(2), false,
      Map.of("*", List.of("flow", "volume")),
      List.of("water-flow-floor-raised", "water-night-flow", "water-consumption-abnormal")),
  LIGHTS_LEFT_ON("lights-left-on", Set.of("electricity-meter"), Duration.ofDays(2), false,
      Map.of("*", List.of("power", "energy")), List.of("lighting-left-on", "lighting-on-empty")),
  SENSOR_OFFLINE("sensor-offline", Set.of("boiler", "substation", "hot-water"), Duration.ofHours(6), false,
      Map.of("hot-water", List.of("storage_temp"), "*", List.of("supply_temp")),
      List.of("sensor-offline-heating", "sensor-offline-hot-water")),
  SENSOR_FLATLINE("sensor-flatline", Set.of("hot-water"), Duration.ofHours(12), false,
      Map.of("*", List.of("storage_temp")), List.of("sensor-flatline-hot-water")),
  SENSOR_SPIKE("sensor-spike", Set.of("boiler", "substation", "hot-water"), Duration.ofMinutes(10), false,
      Map.of("hot-water", List.of("loop_return_temp"), "*", List.of("supply_temp")),
      List.of("sensor-impossible-heating", "sensor-impossible-hot-water")),
  METER_RESET("meter-reset", Set.of("water-meter", "electricity-meter"), Duration.ofHours(1), false,
      Map.of("water-meter", List.of("volume"), "*", List.of("energy")), List.of()),
  CLOCK_SKEW("clock-skew", Set.of("boiler", "substation", "hot-water"), Duration.ofHours(6), false,
      Map.of("hot-water", List.of("storage_temp"), "*", List.of("supply_temp")),
      List.of("sensor-offline-heating", "sensor-offline-hot-water"));

  private final String id;
  private final Set<String> equipmentTypes;
  private final Duration defaultDuration;
  private final boolean needsHeatingDemand;
  private final Map<String, List<String>> points;
  private final List<String> expectedRules;

  FaultType(String id, Set<String> equipmentTypes, Duration defaultDuration, boolean needsHeatingDemand,
      Map<String, List<String>> points, List<String> expectedRules) {
    this.id = id;
    this.equipmentTypes = equipmentTypes;
    this.defaultDuration = defaultDuration;
    this.needsHeatingDemand = needsHeatingDemand;
    this.points = points;
    this.expectedRules = expectedRules;
  }

  /** The name used in scenario and truth files, e.g. {@code boiler-failure}. */
  public String id() {
    return id;
  }

  /** The equipment types this fault can happen to. */
  public Set<String> equipmentTypes() {
    return equipmentTypes;
  }

  public Duration defaultDuration() {
    return defaultDuration;
  }

  /**
   * Whether the fault only shows while the building needs heat: the catalog's heating rules are
   * guarded by an outdoor temperature below 15 °C, and a boiler that fails on a warm afternoon
   * harms nobody until the evening. Random scenarios start such faults when it is cold outside.
   */
  public boolean needsHeatingDemand() {
    return needsHeatingDemand;
  }

  /** The points of an equipment of {@code type} this fault changes. */
  public List<String> points(String type) {
    return points.getOrDefault(type, points.get("*"));
  }

  /** The catalog rules that should raise on the faulty equipment (empty: no rule watches it). */
  public List<String> expectedRules() {
    return expectedRules;
  }

  /**
   * The parameter that says how large a fault of this type is, larger being easier to see, for
   * the detection-boundary sweep (issue 16); empty for a type that has no size.
   */
  public Optional<String> sizeParam() {
    return Optional.ofNullable(switch (this) {
      case NO_HEAT -> "deficit";
      case HOT_WATER_DROP -> "drop";
      case WATER_LEAK -> "leak";
      case PRESSURE_LEAK -> "rate";
      case DOOR_WEAR -> "factor";
      case LIGHTS_LEFT_ON -> "extra";
      default -> null;
    });
  }

  /**
   * How many days before and after a sweep fault of this type its equipment must be free of any
   * other fault: the rules that find it compare with the previous days (7 for the floors), and a
   * fault in that history would measure the history, not the fault's size.
   */
  public int sweepCleanDays() {
    return this == WATER_LEAK || this == LIGHTS_LEFT_ON ? 8 : 0;
  }

  /** The fault type named {@code id} in a scenario file. */
  public static Optional<FaultType> byId(String id) {
    return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst();
  }

  /** Every id, for error messages. */
  public static String ids() {
    return String.join(", ", Arrays.stream(values()).map(FaultType::id).toList());
  }
}
