package fr.gardien.sim.eval;

import fr.gardien.sim.fault.Truth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Matches the alerts a gateway raised with the faults a run injected.
 *
 * <p>A fault is detected by an alert on its site and equipment, of one of its expected rules,
 * first seen between the fault's start and its end plus the tolerance; the earliest such alert
 * gives the time to detect, and every such alert is explained by the fault. The start is the one
 * the site's readings carry ({@link Truth.Entry#stampedStart()}): a field gateway whose clock runs
 * behind stamps the fault's first readings, and the alert on them, before the true start. An alert explained by
 * no fault is a false alert: <em>on healthy equipment</em> when no fault of that equipment was under
 * way (start to end plus tolerance) when it was first seen, otherwise <em>on faulty equipment</em>
 * (a rule the fault was not expected to trip). Alerts first seen outside the run are left out: they
 * are not the run's.
 */
public final class Matching {

  /** One fault and what the evaluation found for it. */
  public record FaultResult(Truth.Entry fault, Alert detectedBy, Duration timeToDetect, Duration minimum,
      Duration target) {
    public boolean detected() {
      return detectedBy != null;
    }
  }

  /** The outcome: one result per fault (truth order), the false alerts, and what was matched. */
  public record Result(List<FaultResult> faults, List<Alert> falseOnHealthy, List<Alert> falseOnFaulty,
      int alertsInRun) {}

  /** Added to a rule's own minimum duration ({@link RuleInfo#minimumDuration()}) to make the time-to-detect target (issue 6). */
  public static final Duration TARGET_MARGIN = Duration.ofMinutes(10);

  private Matching() {}

  /**
   * @param rules the gateway's rules by id (for the targets: the detecting rule's own minimum
   *     duration plus {@link #TARGET_MARGIN}); a rule missing there has a target of the margin alone
   */
  public static Result match(Truth.Run run, List<Alert> alerts, Map<String, RuleInfo> rules, Duration tolerance) {
    List<Alert> inRun = alerts.stream()
        .filter(a -> !a.firstSeen().isBefore(run.from()) && a.firstSeen().isBefore(run.to()))
        .sorted(Comparator.comparing(Alert::firstSeen).thenComparing(Alert::id))
        .toList();
    Set<Long> explained = new HashSet<>();
    List<FaultResult> results = new ArrayList<>();
    for (Truth.Entry f : run.faults()) {
      Instant until = f.end().plus(tolerance);
      Alert first = null;
      for (Alert a : inRun) {
        if (a.site().equals(f.site()) && a.equipment().equals(f.equipment()) && f.expectedRules().contains(a.rule())
            && !a.firstSeen().isBefore(f.stampedStart()) && !a.firstSeen().isAfter(until)) {
          explained.add(a.id());
          if (first == null) {
            first = a;
          }
        }
      }
      if (first == null) {
        results.add(new FaultResult(f, null, null, null, null));
      } else {
        RuleInfo rule = rules.get(first.rule());
        Duration minimum = rule == null ? Duration.ZERO : rule.minimumDuration();
        results.add(new FaultResult(f, first, Duration.between(f.stampedStart(), first.firstSeen()), minimum,
            minimum.plus(TARGET_MARGIN)));
      }
    }
    List<Alert> onHealthy = new ArrayList<>();
    List<Alert> onFaulty = new ArrayList<>();
    for (Alert a : inRun) {
      if (explained.contains(a.id())) {
        continue;
      }
      boolean faulty = run.faults().stream().anyMatch(f -> f.site().equals(a.site()) && f.equipment().equals(a.equipment())
          && !a.firstSeen().isBefore(f.stampedStart()) && !a.firstSeen().isAfter(f.end().plus(tolerance)));
      (faulty ? onFaulty : onHealthy).add(a);
    }
    return new Result(results, onHealthy, onFaulty, inRun.size());
  }
}
