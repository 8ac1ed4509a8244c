package fr.gardien.sim.latency;

import fr.gardien.sim.Report;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The figures of one alert-latency run, as a table or one JSON object with the same figures.
 * Latencies in milliseconds; a percentile of an empty histogram is null in JSON and "-" in the table.
 */
record LatencyReport(
    String point, double value, int requested, int probes, long sent, long acknowledged, long alertsSeen,
    long matched, long failures, Map<String, Long> failuresByReason, long alertBeforePuback,
    long alertsBeforeProbe, long otherTransitionsOnProbed, long duplicateOpenings, long alertsOnOtherEquipment,
    double intervalMs, double timeoutSeconds, double elapsedSeconds,
    Percentiles alertLatency, Percentiles puback) implements Report {

  /** p50, p90, p99 and max in ms over {@code count} values (null when there are none). */
  record Percentiles(long count, Double p50, Double p90, Double p99, Double max) {
    static Percentiles of(Histogram h) {
      if (h.getTotalCount() == 0) {
        return new Percentiles(0, null, null, null, null);
      }
      return new Percentiles(h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
          ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()));
    }

    private static double ms(long micros) {
      return Math.round(micros / 100.0) / 10.0;
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("count", count);
      m.put("p50", p50);
      m.put("p90", p90);
      m.put("p99", p99);
      m.put("max", max);
      return m;
    }

    String line() {
      return String.format("p50 %s  p90 %s  p99 %s  max %s ms  (%d values)", f(p50), f(p90), f(p99), f(max), count);
    }

    private static String f(Double v) {
      return v == null ? "-" : String.format("%.1f", v);
    }
  }

  @Override
  public Map<String, Object> figures() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("point", point);
    m.put("value", value);
    m.put("probesRequested", requested);
    m.put("probes", probes);
    m.put("probesSent", sent);
    m.put("probesAcknowledged", acknowledged);
    m.put("alertsSeen", alertsSeen);
    m.put("alertsMatched", matched);
    m.put("failures", failures);
    m.put("failuresByReason", failuresByReason);
    m.put("alertLatencyMs", alertLatency.toMap());
    m.put("probePubackLatencyMs", puback.toMap());
    m.put("alertBeforePuback", alertBeforePuback);
    m.put("alertsBeforeProbe", alertsBeforeProbe);
    m.put("otherTransitionsOnProbedEquipment", otherTransitionsOnProbed);
    m.put("duplicateOpenings", duplicateOpenings);
    m.put("alertsOnOtherEquipment", alertsOnOtherEquipment);
    m.put("intervalMs", intervalMs);
    m.put("timeoutSeconds", timeoutSeconds);
    m.put("elapsedSeconds", Math.round(elapsedSeconds * 10) / 10.0);
    return m;
  }

  @Override
  public String toTable() {
    StringBuilder b = new StringBuilder();
    b.append(String.format("alert latency: %s = %s on each probed equipment, one probe every %.0f ms, timeout %.0f s%n",
        point, trim(value), intervalMs, timeoutSeconds));
    b.append(String.format("  probes              %d sent of %d (%d requested), %d acknowledged, in %.1f s%n",
        sent, probes, requested, acknowledged, elapsedSeconds));
    b.append(String.format("  alerts seen         %d on the stream, %d matched to a probe%n", alertsSeen, matched));
    b.append(String.format("  alert − PUBACK      %s%n", alertLatency.line()));
    b.append(String.format("  probe PUBACK        %s%n", puback.line()));
    b.append(String.format("  failures            %d%n", failures));
    failuresByReason.forEach((r, n) -> b.append(String.format("    %-30s %d%n", r, n)));
    if (alertBeforePuback > 0) {
      b.append(String.format("  alert before PUBACK %d (counted as 0 ms)%n", alertBeforePuback));
    }
    if (alertsBeforeProbe + otherTransitionsOnProbed + duplicateOpenings > 0) {
      b.append(String.format("  on probed equipment: %d openings before the probe, %d other transitions, "
          + "%d repeated openings (not counted)%n", alertsBeforeProbe, otherTransitionsOnProbed, duplicateOpenings));
    }
    if (alertsOnOtherEquipment > 0) {
      b.append(String.format("  alerts on equipment not probed: %d%n", alertsOnOtherEquipment));
    }
    return b.toString();
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
