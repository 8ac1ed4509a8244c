package fr.gardien.sim.eval;

import fr.gardien.sim.fault.Fault;
import fr.gardien.sim.fault.Truth;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Prints the evaluation's tables: detection per fault type, times to detect, false alerts by rule. */
public final class EvaluationReport {
  private EvaluationReport() {}

  /** Per fault type: injected, detected, times to detect, the target. */
  record TypeLine(String type, int injected, int detected, Duration median, Duration p90, Duration minimum,
      Duration target, boolean watched) {}

  static List<TypeLine> lines(Matching.Result result) {
    Map<String, List<Matching.FaultResult>> byType = new TreeMap<>();
    for (Matching.FaultResult r : result.faults()) {
      if (!r.fault().main()) {
        continue;
      }
      byType.computeIfAbsent(r.fault().type(), k -> new ArrayList<>()).add(r);
    }
    List<TypeLine> lines = new ArrayList<>();
    byType.forEach((type, rs) -> {
      List<Duration> ttd = rs.stream().filter(Matching.FaultResult::detected).map(Matching.FaultResult::timeToDetect)
          .sorted().toList();
      List<Duration> minimums = rs.stream().filter(Matching.FaultResult::detected).map(Matching.FaultResult::minimum)
          .sorted().toList();
      List<Duration> targets = rs.stream().filter(Matching.FaultResult::detected).map(Matching.FaultResult::target)
          .sorted().toList();
      boolean watched = rs.stream().anyMatch(r -> !r.fault().expectedRules().isEmpty());
      lines.add(new TypeLine(type, rs.size(), ttd.size(), quantile(ttd, 0.5), quantile(ttd, 0.9),
          quantile(minimums, 0.5), quantile(targets, 0.5), watched));
    });
    return lines;
  }

  /** The nearest-rank quantile of sorted durations, null when empty. */
  static Duration quantile(List<Duration> sorted, double q) {
    if (sorted.isEmpty()) {
      return null;
    }
    int rank = (int) Math.ceil(q * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  /** Prints the report. */
  public static void print(PrintWriter out, Truth.Run run, Matching.Result result, Duration tolerance, int fetched) {
    double weeks = Duration.between(run.from(), run.to()).toSeconds() / (7 * 86400.0);
    double siteWeeks = weeks * run.sites().size();
    long main = run.faults().stream().filter(Truth.Entry::main).count();
    out.printf("Evaluation: %d sites, %s to %s (%.1f weeks, %.0f site-weeks); %d faults injected (%d in the table below,"
            + " %d in the hour grid, %d in the size sweep); %d alerts fetched, %d raised during the run; tolerance %s after"
            + " a fault's end%n%n",
        run.sites().size(), run.from(), run.to(), weeks, siteWeeks, run.faults().size(), main,
        run.faults().stream().filter(f -> f.set().equals(Fault.HOURS)).count(),
        run.faults().stream().filter(f -> f.set().equals(Fault.SWEEP)).count(), fetched, result.alertsInRun(),
        human(tolerance));
    out.printf("%-17s %8s %8s %8s %11s %11s %15s %15s %s%n", "fault type", "injected", "detected", "rate", "median TTD",
        "p90 TTD", "rule minimum", "target", "median within target");
    int injected = 0;
    int detected = 0;
    List<TypeLine> lines = lines(result);
    for (TypeLine l : lines) {
      if (!l.watched()) {
        continue;
      }
      injected += l.injected();
      detected += l.detected();
      out.printf("%-17s %8d %8d %7.1f%% %11s %11s %15s %15s %s%n", l.type(), l.injected(), l.detected(),
          100.0 * l.detected() / l.injected(), human(l.median()), human(l.p90()), human(l.minimum()), human(l.target()),
          l.median() == null ? "-" : l.median().compareTo(l.target()) <= 0 ? "yes" : "no");
    }
    out.printf("(rule minimum: the detecting rule's own minimum duration, its for plus its detector's span, median over"
        + " the detected faults; target: that + %s)%n", human(Matching.TARGET_MARGIN));
    out.printf("%-17s %8d %8d %7.1f%%%n", "all", injected, detected, injected == 0 ? 0 : 100.0 * detected / injected);
    for (TypeLine l : lines) {
      if (!l.watched()) {
        out.printf("%-17s %8d  no rule of the catalog watches for it (injected to check it raises nothing false)%n",
            l.type(), l.injected());
      }
    }
    out.println();
    out.printf("False alerts on healthy equipment: %d = %.3f per site-week (target <= 0.1)%n",
        result.falseOnHealthy().size(), siteWeeks == 0 ? 0 : result.falseOnHealthy().size() / siteWeeks);
    out.printf("Alerts on faulty equipment from a rule not expected for its fault: %d%n", result.falseOnFaulty().size());
    printByRule(out, "false alerts on healthy equipment by rule", result.falseOnHealthy());
    printByRule(out, "unexpected alerts on faulty equipment by rule", result.falseOnFaulty());
    printHours(out, result);
    printSweep(out, result);
    List<Matching.FaultResult> missed = result.faults().stream()
        .filter(r -> !r.detected() && !r.fault().expectedRules().isEmpty() && r.fault().main()).toList();
    if (!missed.isEmpty()) {
      out.println();
      out.println("missed faults:");
      for (Matching.FaultResult r : missed) {
        Truth.Entry f = r.fault();
        out.printf("  %-16s %s/%s %s to %s %s%n", f.type(), f.site(), f.equipment(), f.start(), f.end(), f.params());
      }
    }
    out.flush();
  }

  /** The most a fault of the hour grid may take to be detected (issue 16: "100 % within an hour"). */
  static final Duration WITHIN = Duration.ofHours(1);

  /** One fault type of the hour grid: per local hour of the start, how many and how many detected within the hour. */
  record HourLine(String type, int[] injected, int[] withinHour, List<String> late) {
    int total() {
      return java.util.Arrays.stream(injected).sum();
    }

    int within() {
      return java.util.Arrays.stream(withinHour).sum();
    }

    /** Hours with a fault that was not detected within the hour. */
    List<Integer> failedHours() {
      List<Integer> h = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        if (injected[i] > withinHour[i]) {
          h.add(i);
        }
      }
      return h;
    }

    /** Hours with no fault of the grid (placement found no room). */
    List<Integer> emptyHours() {
      List<Integer> h = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        if (injected[i] == 0) {
          h.add(i);
        }
      }
      return h;
    }
  }

  static List<HourLine> hourLines(Matching.Result result) {
    Map<String, HourLine> byType = new TreeMap<>();
    for (Matching.FaultResult r : result.faults()) {
      Truth.Entry f = r.fault();
      if (!f.set().equals(Fault.HOURS) || f.localHour() < 0) {
        continue;
      }
      HourLine l = byType.computeIfAbsent(f.type(), t -> new HourLine(t, new int[24], new int[24], new ArrayList<>()));
      l.injected()[f.localHour()]++;
      if (r.detected() && r.timeToDetect().compareTo(WITHIN) <= 0) {
        l.withinHour()[f.localHour()]++;
      } else {
        l.late().add(String.format("%02d h %s %s/%s: %s", f.localHour(), f.start(), f.site(), f.equipment(),
            r.detected() ? human(r.timeToDetect()) + " by " + r.detectedBy().rule() : "not detected"));
      }
    }
    return List.copyOf(byType.values());
  }

  private static void printHours(PrintWriter out, Matching.Result result) {
    List<HourLine> lines = hourLines(result);
    if (lines.isEmpty()) {
      return;
    }
    out.println();
    out.printf("Hour grid: one fault started in each local hour of the day; detected within %s?%n", human(WITHIN));
    out.printf("%-17s %8s %12s  %s%n", "fault type", "injected", "within 1 h", "hours not all within 1 h");
    for (HourLine l : lines) {
      List<Integer> failed = l.failedHours();
      List<Integer> empty = l.emptyHours();
      out.printf("%-17s %8d %12s  %s%s%n", l.type(), l.total(), l.within() + " (" + pct(l.within(), l.total()) + ")",
          failed.isEmpty() ? "none: every hour 00-23 within 1 h" : hours(failed),
          empty.isEmpty() ? "" : "; no fault placed at " + hours(empty));
      for (String late : l.late()) {
        out.println("    " + late);
      }
    }
  }

  /**
   * One size of a swept fault type: injected, detected, detected within its target, the median
   * time to detect and the median target of the detected ones.
   */
  record SizeLine(String type, String param, double size, int injected, int detected, int withinTarget,
      Duration median, Duration target) {

    /** As the main table judges a type: at least 95 % detected, and the median within the median target. */
    boolean meetsTargets() {
      return injected > 0 && detected >= 0.95 * injected && median != null && median.compareTo(target) <= 0;
    }
  }

  static List<SizeLine> sizeLines(Matching.Result result) {
    Map<String, Map<Double, List<Matching.FaultResult>>> bySize = new TreeMap<>();
    Map<String, String> params = new TreeMap<>();
    for (Matching.FaultResult r : result.faults()) {
      Truth.Entry f = r.fault();
      if (!f.set().equals(Fault.SWEEP)) {
        continue;
      }
      String param = fr.gardien.sim.fault.FaultType.byId(f.type()).flatMap(fr.gardien.sim.fault.FaultType::sizeParam)
          .orElse(null);
      if (param == null || !f.params().containsKey(param)) {
        continue;
      }
      params.put(f.type(), param);
      bySize.computeIfAbsent(f.type(), t -> new TreeMap<>())
          .computeIfAbsent(Double.parseDouble(f.params().get(param)), x -> new ArrayList<>()).add(r);
    }
    List<SizeLine> lines = new ArrayList<>();
    bySize.forEach((type, sizes) -> sizes.forEach((size, rs) -> {
      List<Matching.FaultResult> found = rs.stream().filter(Matching.FaultResult::detected).toList();
      int within = (int) found.stream().filter(r -> r.timeToDetect().compareTo(r.target()) <= 0).count();
      lines.add(new SizeLine(type, params.get(type), size, rs.size(), found.size(), within,
          quantile(found.stream().map(Matching.FaultResult::timeToDetect).sorted().toList(), 0.5),
          quantile(found.stream().map(Matching.FaultResult::target).sorted().toList(), 0.5)));
    }));
    return lines;
  }

  /**
   * The smallest size of {@code type} from which that size and every larger one met the targets
   * ({@link SizeLine#meetsTargets()}); NaN when even the largest did not.
   */
  static double smallestWithinTarget(List<SizeLine> lines, String type) {
    double smallest = Double.NaN;
    List<SizeLine> own = lines.stream().filter(l -> l.type().equals(type))
        .sorted(Comparator.comparingDouble(SizeLine::size).reversed()).toList();
    for (SizeLine l : own) {
      if (!l.meetsTargets()) {
        break;
      }
      smallest = l.size();
    }
    return smallest;
  }

  private static void printSweep(PrintWriter out, Matching.Result result) {
    List<SizeLine> lines = sizeLines(result);
    if (lines.isEmpty()) {
      return;
    }
    out.println();
    out.println("Detection boundary: per size, faults detected / injected and the median time to detect against"
        + " the median target (the detecting rule's minimum + 10 min); the smallest size from which every size met"
        + " the targets (at least 95 % detected, median within target)");
    Map<String, List<SizeLine>> byType = new TreeMap<>();
    lines.forEach(l -> byType.computeIfAbsent(l.type(), t -> new ArrayList<>()).add(l));
    out.printf("%-15s %-8s %-12s %s%n", "fault type", "size", "smallest", "per size: detected/injected median (target)");
    byType.forEach((type, own) -> {
      double smallest = smallestWithinTarget(lines, type);
      StringBuilder sizes = new StringBuilder();
      for (SizeLine l : own) {
        sizes.append(number(l.size())).append(": ").append(l.detected()).append('/').append(l.injected())
            .append(l.median() == null ? "" : " " + human(l.median()) + " (" + human(l.target()) + ")")
            .append(l.meetsTargets() ? "" : " x").append("   ");
      }
      out.printf("%-15s %-8s %-12s %s%n", type, own.get(0).param(),
          Double.isNaN(smallest) ? "none" : number(smallest), sizes.toString().trim());
    });
    out.println("(x: that size missed the targets)");
  }

  private static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private static String pct(int a, int b) {
    return b == 0 ? "-" : String.format("%.0f %%", 100.0 * a / b);
  }

  private static String hours(List<Integer> hours) {
    return String.join(" ", hours.stream().map(h -> String.format("%02d", h)).toList()) + " h";
  }

  private static void printByRule(PrintWriter out, String title, List<Alert> alerts) {
    if (alerts.isEmpty()) {
      return;
    }
    Map<String, Integer> byRule = new LinkedHashMap<>();
    alerts.stream().map(Alert::rule).sorted().forEach(r -> byRule.merge(r, 1, Integer::sum));
    out.println(title + ":");
    byRule.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
        .forEach(e -> out.printf("  %-30s %d%n", e.getKey(), e.getValue()));
  }

  /** 45 s, 12 min, 1 h 05 min, 2 d 3 h. */
  static String human(Duration d) {
    if (d == null) {
      return "-";
    }
    long s = d.toSeconds();
    if (s < 60) {
      return s + " s";
    }
    long m = s / 60;
    if (m < 60) {
      return m + " min";
    }
    long h = m / 60;
    if (h < 48) {
      return h + " h " + String.format("%02d", m % 60) + " min";
    }
    return h / 24 + " d " + h % 24 + " h";
  }
}
