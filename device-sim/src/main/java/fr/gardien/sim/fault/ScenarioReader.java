package fr.gardien.sim.fault;

import com.fasterxml.jackson.core.JsonProcessingException;
import fr.gardien.sim.Options;
import fr.gardien.sim.portfolio.Portfolio;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a fault scenario file and checks it against the portfolio: every problem is reported at
 * once, each with its line. The format is in the README ("Fault injection").
 */
public final class ScenarioReader {
  private static final Set<String> TOP = Set.of("faults", "random", "hours", "sweep");
  private static final Set<String> FAULT_FIELDS = Set.of("type", "site", "equipment", "start", "duration", "params");
  private static final Set<String> RANDOM_FIELDS = Set.of("per-site-week", "types", "seed", "warm-up");
  private static final Set<String> HOURS_FIELDS = Set.of("types", "params", "seed", "warm-up");
  private static final Set<String> SWEEP_FIELDS = Set.of("sizes", "per-size", "seed", "warm-up");
  private static final Set<String> DURATION_PARAMS = Set.of("period", "on", "skew");
  private static final Map<FaultType, Set<String>> PARAMS = Map.ofEntries(
      Map.entry(FaultType.BOILER_FAILURE, Set.of("to")),
      Map.entry(FaultType.NO_HEAT, Set.of("deficit")),
      Map.entry(FaultType.DELTA_T_COLLAPSE, Set.of("delta")),
      Map.entry(FaultType.SHORT_CYCLING, Set.of("period", "on")),
      Map.entry(FaultType.PRESSURE_LEAK, Set.of("rate", "floor")),
      Map.entry(FaultType.HOT_WATER_DROP, Set.of("to", "drop")),
      Map.entry(FaultType.LIFT_STUCK, Set.of("fault-code")),
      Map.entry(FaultType.DOOR_WEAR, Set.of("factor")),
      Map.entry(FaultType.VMC_STOPPED, Set.of()),
      Map.entry(FaultType.WATER_LEAK, Set.of("leak")),
      Map.entry(FaultType.LIGHTS_LEFT_ON, Set.of("extra")),
      Map.entry(FaultType.SENSOR_OFFLINE, Set.of("point")),
      Map.entry(FaultType.SENSOR_FLATLINE, Set.of("point")),
      Map.entry(FaultType.SENSOR_SPIKE, Set.of("point", "value")),
      Map.entry(FaultType.METER_RESET, Set.of("point", "to")),
      Map.entry(FaultType.CLOCK_SKEW, Set.of("skew")));

  private ScenarioReader() {}

  /** The parameters a fault type accepts. */
  public static Set<String> params(FaultType type) {
    return PARAMS.get(type);
  }

  /** Reads and checks a scenario file; relative starts ({@code now-2d}) count from the current time. */
  public static Scenario read(Path file, Portfolio portfolio) throws ScenarioException {
    return read(file, portfolio, Instant.now());
  }

  /** Reads and checks a scenario file; relative starts ({@code now-2d}, {@code now+5m}) count from {@code now}. */
  public static Scenario read(Path file, Portfolio portfolio, Instant now) throws ScenarioException {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ScenarioException(file.toString(), List.of("file not found"));
    } catch (IOException e) {
      throw new ScenarioException(file.toString(), List.of("cannot be read: " + e.getMessage()));
    }
    return parse(file.toString(), text, portfolio, now);
  }

  /** Parses scenario text; {@code origin} names it in the error message. */
  public static Scenario parse(String origin, String yaml, Portfolio portfolio) throws ScenarioException {
    return parse(origin, yaml, portfolio, Instant.now());
  }

  /** Parses scenario text, relative starts counted from {@code now}; {@code origin} names it in the error message. */
  public static Scenario parse(String origin, String yaml, Portfolio portfolio, Instant now) throws ScenarioException {
    YamlNode root;
    try {
      root = YamlNode.parse(yaml);
    } catch (JsonProcessingException e) {
      throw new ScenarioException(origin, List.of("line " + (e.getLocation() != null ? e.getLocation().getLineNr() : 1)
          + ": not valid YAML: " + e.getOriginalMessage()));
    } catch (IOException e) {
      throw new ScenarioException(origin, List.of("cannot be read: " + e.getMessage()));
    }
    List<String> problems = new ArrayList<>();
    if (!root.isMap() || TOP.stream().allMatch(k -> root.get(k) == null)) {
      throw new ScenarioException(origin, List.of("line " + root.line()
          + ": the document must be a mapping with 'faults', 'random', 'hours' and/or 'sweep'"));
    }
    unknown(root, TOP, "", problems);
    List<Fault> faults = new ArrayList<>();
    YamlNode list = root.get("faults");
    if (list != null) {
      if (!list.isList()) {
        problems.add(at(list) + "'faults' must be a list");
      } else {
        for (int i = 0; i < list.items().size(); i++) {
          Fault f = fault(list.items().get(i), i, portfolio, now, problems);
          if (f != null) {
            faults.add(f);
          }
        }
      }
    }
    Optional<Scenario.RandomSpec> random = Optional.empty();
    if (root.get("random") != null) {
      random = Optional.ofNullable(random(root.get("random"), problems));
    }
    Optional<Scenario.HoursSpec> hours = Optional.empty();
    if (root.get("hours") != null) {
      hours = Optional.ofNullable(hours(root.get("hours"), problems));
    }
    Optional<Scenario.SweepSpec> sweep = Optional.empty();
    if (root.get("sweep") != null) {
      sweep = Optional.ofNullable(sweep(root.get("sweep"), problems));
    }
    if (!problems.isEmpty()) {
      throw new ScenarioException(origin, problems);
    }
    return new Scenario(faults, random, hours, sweep);
  }

  private static Scenario.HoursSpec hours(YamlNode n, List<String> problems) {
    if (!n.isMap()) {
      problems.add(at(n) + "'hours' must be a mapping with types");
      return null;
    }
    int before = problems.size();
    unknown(n, HOURS_FIELDS, "hours: ", problems);
    List<FaultType> types = new ArrayList<>();
    YamlNode t = n.get("types");
    if (t == null || !t.isList() || t.items().isEmpty()) {
      problems.add(at(t == null ? n : t) + "hours: types must be a non-empty list of fault types");
    } else {
      for (YamlNode item : t.items()) {
        FaultType ft = type(item, "hours: ", problems);
        if (ft != null && !types.contains(ft)) {
          types.add(ft);
        }
      }
    }
    Map<FaultType, Map<String, String>> params = new LinkedHashMap<>();
    YamlNode p = n.get("params");
    if (p != null) {
      if (!p.isMap()) {
        problems.add(at(p) + "hours: params must map a fault type to its parameters");
      } else {
        for (var e : p.fields().entrySet()) {
          FaultType ft = FaultType.byId(e.getKey()).orElse(null);
          if (ft == null || !types.contains(ft)) {
            problems.add(at(e.getValue()) + "hours: params of '" + e.getKey() + "', which is not one of the types");
            continue;
          }
          Map<String, String> values = new LinkedHashMap<>();
          if (!e.getValue().isMap()) {
            problems.add(at(e.getValue()) + "hours: params of " + ft.id() + " must be a mapping");
            continue;
          }
          for (var v : e.getValue().fields().entrySet()) {
            String value = number(v.getValue(), "hours: " + ft.id() + " parameter '" + v.getKey() + "'", problems);
            if (!PARAMS.get(ft).contains(v.getKey())) {
              problems.add(at(v.getValue()) + "hours: unknown parameter '" + v.getKey() + "' of " + ft.id());
            } else if (value != null) {
              values.put(v.getKey(), value);
            }
          }
          params.put(ft, values);
        }
      }
    }
    long seed = seed(n, "hours: ", problems);
    Duration warmUp = warmUp(n, "hours: ", Duration.ofDays(3), problems);
    return problems.size() > before ? null : new Scenario.HoursSpec(types, params, seed, warmUp);
  }

  private static Scenario.SweepSpec sweep(YamlNode n, List<String> problems) {
    if (!n.isMap()) {
      problems.add(at(n) + "'sweep' must be a mapping with sizes");
      return null;
    }
    int before = problems.size();
    unknown(n, SWEEP_FIELDS, "sweep: ", problems);
    Map<FaultType, List<String>> sizes = new LinkedHashMap<>();
    YamlNode z = n.get("sizes");
    if (z == null || !z.isMap() || z.fields().isEmpty()) {
      problems.add(at(z == null ? n : z) + "sweep: sizes must map fault types to lists of sizes");
    } else {
      for (var e : z.fields().entrySet()) {
        FaultType ft = FaultType.byId(e.getKey()).orElse(null);
        if (ft == null) {
          problems.add(at(e.getValue()) + "sweep: unknown fault type '" + e.getKey() + "' (one of: " + FaultType.ids() + ")");
          continue;
        }
        if (ft.sizeParam().isEmpty()) {
          problems.add(at(e.getValue()) + "sweep: " + ft.id() + " has no size to sweep");
          continue;
        }
        if (!e.getValue().isList() || e.getValue().items().isEmpty()) {
          problems.add(at(e.getValue()) + "sweep: sizes of " + ft.id() + " must be a non-empty list of numbers");
          continue;
        }
        List<String> values = new ArrayList<>();
        for (YamlNode item : e.getValue().items()) {
          String v = number(item, "sweep: a size of " + ft.id(), problems);
          if (v != null) {
            values.add(v);
          }
        }
        sizes.put(ft, values);
      }
    }
    int perSize = 5;
    YamlNode ps = n.get("per-size");
    if (ps != null) {
      String v = number(ps, "sweep: per-size", problems);
      if (v != null) {
        double d = Double.parseDouble(v);
        if (d != Math.rint(d) || d < 1 || d > 100) {
          problems.add(at(ps) + "sweep: per-size must be a whole number from 1 to 100");
        } else {
          perSize = (int) d;
        }
      }
    }
    long seed = seed(n, "sweep: ", problems);
    Duration warmUp = warmUp(n, "sweep: ", Duration.ofDays(7), problems);
    return problems.size() > before ? null : new Scenario.SweepSpec(sizes, perSize, seed, warmUp);
  }

  private static FaultType type(YamlNode item, String where, List<String> problems) {
    Optional<FaultType> ft = Optional.ofNullable(item.text()).flatMap(FaultType::byId);
    if (ft.isEmpty()) {
      problems.add(at(item) + where + "unknown fault type '" + item.text() + "' (one of: " + FaultType.ids() + ")");
      return null;
    }
    return ft.get();
  }

  /** A finite number as written, or null after reporting it. */
  private static String number(YamlNode v, String what, List<String> problems) {
    try {
      double x = Double.parseDouble(String.valueOf(v.text()));
      if (!Double.isFinite(x)) {
        throw new NumberFormatException();
      }
      return v.text();
    } catch (NumberFormatException e) {
      problems.add(at(v) + what + " must be a number, got '" + v.text() + "'");
      return null;
    }
  }

  private static long seed(YamlNode n, String where, List<String> problems) {
    YamlNode s = n.get("seed");
    if (s == null) {
      return 1;
    }
    try {
      return Long.parseLong(String.valueOf(s.text()));
    } catch (NumberFormatException e) {
      problems.add(at(s) + where + "seed must be an integer, got '" + s.text() + "'");
      return 1;
    }
  }

  private static Duration warmUp(YamlNode n, String where, Duration fallback, List<String> problems) {
    return n.get("warm-up") == null ? fallback : duration(n.get("warm-up"), where + "warm-up", problems);
  }

  private static Fault fault(YamlNode n, int index, Portfolio portfolio, Instant now, List<String> problems) {
    String where = "faults[" + index + "]: ";
    if (!n.isMap()) {
      problems.add(at(n) + where + "must be a mapping with type, site, equipment, start");
      return null;
    }
    int before = problems.size();
    unknown(n, FAULT_FIELDS, where, problems);
    FaultType type = null;
    String typeId = required(n, "type", where, problems);
    if (typeId != null) {
      type = FaultType.byId(typeId).orElse(null);
      if (type == null) {
        problems.add(at(n.get("type")) + where + "unknown fault type '" + typeId + "' (one of: " + FaultType.ids() + ")");
      }
    }
    String siteId = required(n, "site", where, problems);
    String equipmentId = required(n, "equipment", where, problems);
    Portfolio.Equipment equipment = null;
    if (siteId != null) {
      Optional<Portfolio.Site> site = portfolio.site(siteId);
      if (site.isEmpty()) {
        problems.add(at(n.get("site")) + where + "unknown site '" + siteId + "'");
      } else if (equipmentId != null) {
        equipment = site.get().equipment().stream().filter(e -> e.id().equals(equipmentId)).findFirst().orElse(null);
        if (equipment == null) {
          problems.add(at(n.get("equipment")) + where + "site '" + siteId + "' has no equipment '" + equipmentId + "'");
        } else if (type != null && !type.equipmentTypes().contains(equipment.type())) {
          problems.add(at(n.get("equipment")) + where + type.id() + " applies to " + String.join(", ", type.equipmentTypes().stream().sorted().toList())
              + ", not to '" + equipmentId + "' of type " + equipment.type());
        }
      }
    }
    Instant start = null;
    String startText = required(n, "start", where, problems);
    if (startText != null) {
      try {
        start = start(startText, now);
      } catch (TypeConversionException e) {
        problems.add(at(n.get("start")) + where + "start: " + e.getMessage());
      }
    }
    Duration duration = type == null ? null : type.defaultDuration();
    YamlNode d = n.get("duration");
    if (d != null) {
      duration = duration(d, where + "duration", problems);
      if (duration != null && (duration.isNegative() || duration.isZero())) {
        problems.add(at(d) + where + "duration must be positive");
      }
    }
    Map<String, String> params = new LinkedHashMap<>();
    YamlNode p = n.get("params");
    if (p != null && type != null) {
      if (!p.isMap()) {
        problems.add(at(p) + where + "'params' must be a mapping");
      } else {
        for (var e : p.fields().entrySet()) {
          String name = e.getKey();
          YamlNode v = e.getValue();
          if (!PARAMS.get(type).contains(name)) {
            problems.add(at(v) + where + "unknown parameter '" + name + "' of " + type.id()
                + (PARAMS.get(type).isEmpty() ? " (it takes none)" : " (known: " + String.join(", ", PARAMS.get(type).stream().sorted().toList()) + ")"));
          } else if (v.text() == null) {
            problems.add(at(v) + where + "parameter '" + name + "' must be a value");
          } else if (name.equals("point")) {
            if (equipment != null && equipment.points().stream().noneMatch(pt -> pt.name().equals(v.text()))) {
              problems.add(at(v) + where + "equipment '" + equipmentId + "' has no point '" + v.text() + "'");
            }
            params.put(name, v.text());
          } else if (DURATION_PARAMS.contains(name)) {
            String s = v.text().trim();
            if (duration(v, where + "parameter '" + name + "'", problems, s.startsWith("-") ? s.substring(1) : s) != null) {
              params.put(name, s);
            }
          } else {
            try {
              double x = Double.parseDouble(v.text());
              if (!Double.isFinite(x)) {
                throw new NumberFormatException();
              }
              params.put(name, v.text());
            } catch (NumberFormatException ex) {
              problems.add(at(v) + where + "parameter '" + name + "' must be a number, got '" + v.text() + "'");
            }
          }
        }
      }
    }
    if (problems.size() > before || type == null || equipment == null || start == null || duration == null) {
      return null;
    }
    return new Fault(type, siteId, equipmentId, equipment.type(), start, duration, params);
  }

  /**
   * An ISO-8601 time, or one relative to {@code now}: {@code now}, {@code now-2d}, {@code now+90s}
   * (the demo's faults are placed around its launch).
   */
  static Instant start(String text, Instant now) {
    String s = text.trim();
    if (!s.startsWith("now")) {
      return new Options.InstantConverter().convert(s);
    }
    String rest = s.substring(3).trim();
    if (rest.isEmpty()) {
      return now;
    }
    if (rest.length() < 2 || (rest.charAt(0) != '-' && rest.charAt(0) != '+')) {
      throw new TypeConversionException("'" + text + "' is neither an ISO-8601 time nor now, now-D or now+D (e.g. now-2d)");
    }
    Duration offset = Options.parseDuration(rest.substring(1));
    return rest.charAt(0) == '-' ? now.minus(offset) : now.plus(offset);
  }

  private static Scenario.RandomSpec random(YamlNode n, List<String> problems) {
    if (!n.isMap()) {
      problems.add(at(n) + "'random' must be a mapping with per-site-week, types, seed");
      return null;
    }
    int before = problems.size();
    unknown(n, RANDOM_FIELDS, "random: ", problems);
    double perSiteWeek = 0;
    String rate = required(n, "per-site-week", "random: ", problems);
    if (rate != null) {
      try {
        perSiteWeek = Double.parseDouble(rate);
        if (!(perSiteWeek > 0) || perSiteWeek > 100) {
          problems.add(at(n.get("per-site-week")) + "random: per-site-week must be above 0 and at most 100");
        }
      } catch (NumberFormatException e) {
        problems.add(at(n.get("per-site-week")) + "random: per-site-week must be a number, got '" + rate + "'");
      }
    }
    List<FaultType> types = new ArrayList<>(Arrays.asList(FaultType.values()));
    YamlNode t = n.get("types");
    if (t != null) {
      if (!t.isList() || t.items().isEmpty()) {
        problems.add(at(t) + "random: types must be a non-empty list of fault types");
      } else {
        types.clear();
        for (YamlNode item : t.items()) {
          Optional<FaultType> ft = Optional.ofNullable(item.text()).flatMap(FaultType::byId);
          if (ft.isEmpty()) {
            problems.add(at(item) + "random: unknown fault type '" + item.text() + "' (one of: " + FaultType.ids() + ")");
          } else if (!types.contains(ft.get())) {
            types.add(ft.get());
          }
        }
      }
    }
    long seed = 1;
    YamlNode s = n.get("seed");
    if (s != null) {
      try {
        seed = Long.parseLong(String.valueOf(s.text()));
      } catch (NumberFormatException e) {
        problems.add(at(s) + "random: seed must be an integer, got '" + s.text() + "'");
      }
    }
    Duration warmUp = Duration.ofDays(3);
    if (n.get("warm-up") != null) {
      warmUp = duration(n.get("warm-up"), "random: warm-up", problems);
    }
    return problems.size() > before ? null : new Scenario.RandomSpec(perSiteWeek, types, seed, warmUp);
  }

  private static Duration duration(YamlNode n, String what, List<String> problems) {
    return duration(n, what, problems, n.text());
  }

  private static Duration duration(YamlNode n, String what, List<String> problems, String text) {
    if (text == null) {
      problems.add(at(n) + what + " must be a duration (e.g. 30m, 6h, 2d)");
      return null;
    }
    try {
      return Options.parseDuration(text);
    } catch (TypeConversionException e) {
      problems.add(at(n) + what + ": " + e.getMessage());
      return null;
    }
  }

  private static String required(YamlNode n, String field, String where, List<String> problems) {
    YamlNode v = n.get(field);
    if (v == null || v.text() == null || v.text().isBlank()) {
      problems.add(at(v == null ? n : v) + where + "'" + field + "' is required");
      return null;
    }
    return v.text();
  }

  private static void unknown(YamlNode n, Set<String> known, String where, List<String> problems) {
    for (var e : n.fields().entrySet()) {
      if (!known.contains(e.getKey())) {
        problems.add(at(e.getValue()) + where + "unknown field '" + e.getKey() + "' (known: "
            + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    }
  }

  private static String at(YamlNode n) {
    return "line " + n.line() + ": ";
  }
}
