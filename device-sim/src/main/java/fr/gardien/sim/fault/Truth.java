package fr.gardien.sim.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ground truth of a run, one JSON object per line: first the run ({@code "record":"run"}: the
 * simulated period, the sites, the seed), then one {@code "record":"fault"} per injected fault
 * with its type, site, equipment, points, start, end and the rules expected to raise on it.
 */
public final class Truth {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The run's part: what was simulated, when, and the faults in it. */
  public record Run(Instant from, Instant to, List<String> sites, long seed, List<Entry> faults) {
    public Run {
      sites = List.copyOf(sites);
      faults = List.copyOf(faults);
    }
  }

  /**
   * One injected fault as the evaluation sees it: with its set ({@link Fault#set()}; a truth file
   * written before sets existed reads as {@code explicit}), the local hour of its start (-1 when
   * not written), and the shift, in seconds, that the site's field gateway clock gave the time
   * stamps of its readings at the fault's start (0 without clock drift; issue 16's held-out
   * buildings drift by up to a minute a day).
   */
  public record Entry(String type, String site, String equipment, String equipmentType, List<String> points,
      Instant start, Instant end, List<String> expectedRules, Map<String, String> params, int line, String set,
      int localHour, long clockShiftSeconds) {
    public Entry {
      points = List.copyOf(points);
      expectedRules = List.copyOf(expectedRules);
      params = Map.copyOf(params);
    }

    /** An entry whose site's clock does not drift. */
    public Entry(String type, String site, String equipment, String equipmentType, List<String> points,
        Instant start, Instant end, List<String> expectedRules, Map<String, String> params, int line, String set,
        int localHour) {
      this(type, site, equipment, equipmentType, points, start, end, expectedRules, params, line, set, localHour, 0);
    }

    /**
     * The fault's start as the site's readings stamp it: the readings of the fault's first instant
     * carry this time, so an alert on them is never before it.
     */
    public Instant stampedStart() {
      return start.plusSeconds(clockShiftSeconds);
    }

    /** An entry of an explicit fault, without a local hour. */
    public Entry(String type, String site, String equipment, String equipmentType, List<String> points,
        Instant start, Instant end, List<String> expectedRules, Map<String, String> params, int line) {
      this(type, site, equipment, equipmentType, points, start, end, expectedRules, params, line, Fault.EXPLICIT, -1);
    }

    /** Whether the fault counts in the evaluation's main table: written out or drawn at random, not a grid. */
    public boolean main() {
      return set.equals(Fault.EXPLICIT) || set.equals(Fault.RANDOM);
    }
  }

  private Truth() {}

  /** The truth entry of an injected fault (without its local hour). */
  public static Entry of(Fault f) {
    return of(f, null);
  }

  /** The truth entry of an injected fault on a site in {@code zone} (null: no local hour). */
  public static Entry of(Fault f, java.time.ZoneId zone) {
    return of(f, zone, 0);
  }

  /**
   * The truth entry of an injected fault on a site in {@code zone} whose field gateway shifted its
   * readings' time stamps by {@code clockShiftSeconds} at the fault's start.
   */
  public static Entry of(Fault f, java.time.ZoneId zone, long clockShiftSeconds) {
    return new Entry(f.type().id(), f.site(), f.equipment(), f.equipmentType(), f.points(), f.start(), f.end(),
        f.type().expectedRules(), f.sortedParams(), 0, f.set(), zone == null ? -1 : f.start().atZone(zone).getHour(),
        clockShiftSeconds);
  }

  /** Writes the truth file (replacing it). */
  public static void write(Path file, Run run) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file)) {
      ObjectNode head = JSON.createObjectNode().put("record", "run").put("from", run.from().toString())
          .put("to", run.to().toString()).put("seed", run.seed());
      ArrayNode sites = head.putArray("sites");
      run.sites().forEach(sites::add);
      w.write(JSON.writeValueAsString(head));
      w.newLine();
      for (Entry e : run.faults()) {
        ObjectNode o = JSON.createObjectNode().put("record", "fault").put("type", e.type()).put("site", e.site())
            .put("equipment", e.equipment()).put("equipmentType", e.equipmentType());
        ArrayNode points = o.putArray("points");
        e.points().forEach(points::add);
        o.put("start", e.start().toString()).put("end", e.end().toString());
        ArrayNode rules = o.putArray("expectedRules");
        e.expectedRules().forEach(rules::add);
        ObjectNode params = o.putObject("params");
        e.params().forEach(params::put);
        o.put("set", e.set());
        if (e.localHour() >= 0) {
          o.put("localHour", e.localHour());
        }
        if (e.clockShiftSeconds() != 0) {
          o.put("clockShiftSeconds", e.clockShiftSeconds());
        }
        w.write(JSON.writeValueAsString(o));
        w.newLine();
      }
    }
  }

  /** Reads a truth file; fails with the line of the first record it cannot use. */
  public static Run read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    Run head = null;
    List<Entry> faults = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.isEmpty()) {
        continue;
      }
      int n = i + 1;
      try {
        JsonNode o = JSON.readTree(line);
        String record = o.path("record").asText();
        if (record.equals("run")) {
          List<String> sites = new ArrayList<>();
          o.path("sites").forEach(s -> sites.add(s.asText()));
          head = new Run(Instant.parse(need(o, "from")), Instant.parse(need(o, "to")), sites, o.path("seed").asLong(), List.of());
        } else if (record.equals("fault")) {
          List<String> points = new ArrayList<>();
          o.path("points").forEach(s -> points.add(s.asText()));
          List<String> rules = new ArrayList<>();
          o.path("expectedRules").forEach(s -> rules.add(s.asText()));
          Map<String, String> params = new LinkedHashMap<>();
          o.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
          faults.add(new Entry(need(o, "type"), need(o, "site"), need(o, "equipment"), o.path("equipmentType").asText(""),
              points, Instant.parse(need(o, "start")), Instant.parse(need(o, "end")), rules, params, n,
              o.path("set").asText(Fault.EXPLICIT), o.path("localHour").asInt(-1), o.path("clockShiftSeconds").asLong(0)));
        } else {
          throw new IOException("unknown record '" + record + "'");
        }
      } catch (IOException | DateTimeParseException | IllegalArgumentException e) {
        throw new IOException(file + " line " + n + ": " + e.getMessage(), e);
      }
    }
    if (head == null) {
      throw new IOException(file + ": no \"record\":\"run\" line");
    }
    return new Run(head.from(), head.to(), head.sites(), head.seed(), faults);
  }

  private static String need(JsonNode o, String field) throws IOException {
    JsonNode v = o.get(field);
    if (v == null || !v.isTextual()) {
      throw new IOException("missing '" + field + "'");
    }
    return v.asText();
  }
}
