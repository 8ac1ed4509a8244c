package fr.gardien.sim.eval;

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
    out.printf("Evaluation: %d sites, %s to %s (%.1f weeks, %.0f site-weeks); %d faults injected; %d alerts fetched, "
            + "%d raised during the run; tolerance %s after a fault's end%n%n",
        run.sites().size(), run.from(), run.to(), weeks, siteWeeks, run.faults().size(), fetched, result.alertsInRun(),
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
    List<Matching.FaultResult> missed = result.faults().stream()
        .filter(r -> !r.detected() && !r.fault().expectedRules().isEmpty()).toList();
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
