package fr.gardien.sim.load;

import fr.gardien.sim.Report;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one load run, as a human table or one JSON object with the same figures.
 * Latencies in milliseconds; rates per second of the measurement window; heap in bytes;
 * absent figures (no metrics URL, no database) are null in JSON and omitted from the table.
 */
record LoadReport(
    int connections, int connected, int mqttVersion, int qos, int packSize, int maxInflight,
    double warmupSeconds, double durationSeconds, double targetReadingsPerSecond, Boolean rateReached,
    long lateSends, long published, long messagesAcked, long readingsAcked,
    double messagesPerSecond, double readingsPerSecond,
    double latencyP50Ms, double latencyP90Ms, double latencyP99Ms, double latencyMaxMs,
    long failures, Map<String, Long> failuresByReason, long windowFullWaits,
    Long gatewayMaxHeapBytes, Long copyRows, Double copySeconds, Double copyRowsPerSecond,
    Double gatewayToCopyRatio, long[] readingsBySecond, long[] writerSamples, Map<String, Long> writerWaitEvents,
    Double rollupsCurrentSeconds) implements Report {

  /** The second (from the start of the measurement) with the fewest readings acknowledged. */
  int slowestSecond() {
    int slowest = 0;
    for (int i = 1; i < readingsBySecond.length; i++) {
      if (readingsBySecond[i] < readingsBySecond[slowest]) {
        slowest = i;
      }
    }
    return slowest;
  }

  /**
   * How many 1 s windows acknowledged fewer than 80 % of the reference: the target rate when
   * paced, else the run's mean rate.
   */
  int windowsUnder80Percent() {
    double reference = targetReadingsPerSecond > 0 ? targetReadingsPerSecond : readingsPerSecond;
    int n = 0;
    for (long r : readingsBySecond) {
      if (r < 0.8 * reference) {
        n++;
      }
    }
    return n;
  }

  @Override
  public Map<String, Object> figures() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("connections", connections);
    m.put("connected", connected);
    m.put("mqttVersion", mqttVersion);
    m.put("qos", qos);
    m.put("packSize", packSize);
    m.put("maxInflight", maxInflight);
    m.put("warmupSeconds", warmupSeconds);
    m.put("durationSeconds", durationSeconds);
    m.put("targetReadingsPerSecond", targetReadingsPerSecond);
    m.put("rateReached", rateReached);
    m.put("lateSends", lateSends);
    m.put("published", published);
    m.put("messagesAcked", messagesAcked);
    m.put("readingsAcked", readingsAcked);
    m.put("messagesPerSecond", round(messagesPerSecond));
    m.put("readingsPerSecond", round(readingsPerSecond));
    Map<String, Object> latency = new LinkedHashMap<>();
    latency.put("p50", round(latencyP50Ms));
    latency.put("p90", round(latencyP90Ms));
    latency.put("p99", round(latencyP99Ms));
    latency.put("max", round(latencyMaxMs));
    m.put("latencyMs", latency);
    m.put("failures", failures);
    m.put("failuresByReason", failuresByReason);
    m.put("windowFullWaits", windowFullWaits);
    m.put("gatewayMaxHeapBytes", gatewayMaxHeapBytes);
    if (copyRows != null) {
      Map<String, Object> copy = new LinkedHashMap<>();
      copy.put("rows", copyRows);
      copy.put("seconds", round(copySeconds));
      copy.put("rowsPerSecond", round(copyRowsPerSecond));
      m.put("copy", copy);
    } else {
      m.put("copy", null);
    }
    m.put("gatewayToCopyRatio", gatewayToCopyRatio == null ? null : Math.round(gatewayToCopyRatio * 1000) / 1000.0);
    Map<String, Object> windows = new LinkedHashMap<>();
    windows.put("slowestReadingsPerSecond", readingsBySecond[slowestSecond()]);
    windows.put("slowestAtSecond", slowestSecond());
    windows.put("under80Percent", windowsUnder80Percent());
    windows.put("count", readingsBySecond.length);
    windows.put("readingsBySecond", readingsBySecond);
    m.put("windows1s", windows);
    if (writerSamples != null) {
      m.put("writerSamples", Map.of("taken", writerSamples[0], "busy", writerSamples[1], "waitingForLock", writerSamples[2],
          "waitEvents", writerWaitEvents));
    }
    m.put("rollupsCurrentSeconds", rollupsCurrentSeconds == null ? null
        : rollupsCurrentSeconds.isInfinite() ? "over 60" : round(rollupsCurrentSeconds));
    return m;
  }

  /** The report as an aligned two-column table. */
  @Override
  public String toTable() {
    StringBuilder sb = new StringBuilder();
    row(sb, "connections", connected + " connected of " + connections);
    row(sb, "protocol", "MQTT " + (mqttVersion == 5 ? "5" : "3.1.1") + ", QoS " + qos + ", max in-flight " + maxInflight);
    row(sb, "pack size", packSize + " readings");
    row(sb, "measured", String.format("%.1f s after %.1f s warm-up", durationSeconds, warmupSeconds));
    if (targetReadingsPerSecond > 0) {
      row(sb, "target rate", String.format("%.0f readings/s — %s (%d late sends)", targetReadingsPerSecond,
          Boolean.TRUE.equals(rateReached) ? "reached" : "NOT reached (mean under 95 % or a 1 s window under 80 %)", lateSends));
    } else {
      row(sb, "target rate", "none (as fast as acknowledgements allow)");
    }
    String acked = qos == 1 ? "acknowledged" : "written (QoS 0)";
    row(sb, "messages " + acked, String.format("%d (%.1f msg/s)", messagesAcked, messagesPerSecond));
    row(sb, "readings " + acked, String.format("%d (%.1f readings/s)", readingsAcked, readingsPerSecond));
    row(sb, "PUBACK latency ms", String.format("p50 %.2f  p90 %.2f  p99 %.2f  max %.2f",
        latencyP50Ms, latencyP90Ms, latencyP99Ms, latencyMaxMs));
    int slowest = slowestSecond();
    row(sb, "slowest 1 s window", String.format("%d readings/s (second %d of %d); %d of %d windows under 80 %% of %s",
        readingsBySecond[slowest], slowest + 1, readingsBySecond.length, windowsUnder80Percent(), readingsBySecond.length,
        targetReadingsPerSecond > 0 ? "the target" : "the mean"));
    row(sb, "failures", failures + (failuresByReason.isEmpty() ? "" : " " + failuresByReason));
    row(sb, "window-full waits", Long.toString(windowFullWaits));
    if (gatewayMaxHeapBytes != null) {
      row(sb, "gateway max heap", gatewayMaxHeapBytes < 0 ? "not observed (metrics unreachable)"
          : String.format("%.1f MiB", gatewayMaxHeapBytes / 1048576.0));
    }
    if (writerSamples != null) {
      row(sb, "writers waiting for a lock", writerSamples[0] == 0 ? "not observed (database unreachable)"
          : String.format("%d of %d samples (a writer transaction active in %d)%s", writerSamples[2], writerSamples[0],
              writerSamples[1], writerWaitEvents.isEmpty() ? "" : "; waited on " + writerWaitEvents));
    }
    if (rollupsCurrentSeconds != null) {
      row(sb, "rollups current after", rollupsCurrentSeconds.isInfinite() ? "more than 60 s (NOT current)"
          : String.format("%.1f s (from the last acknowledgement)", rollupsCurrentSeconds));
    }
    if (copyRows != null) {
      row(sb, "plain COPY", String.format("%d rows in %.2f s (%.1f rows/s)", copyRows, copySeconds, copyRowsPerSecond));
      row(sb, "gateway / COPY", gatewayToCopyRatio == null ? "n/a" : String.format("%.3f", gatewayToCopyRatio));
    }
    return sb.toString();
  }

  private static void row(StringBuilder sb, String name, String value) {
    sb.append(String.format("%-32s %s%n", name, value));
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
