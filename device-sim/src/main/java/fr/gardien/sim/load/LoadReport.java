package fr.gardien.sim.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    Double gatewayToCopyRatio) {

  /** The report as one JSON object (single line). */
  String toJson() {
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
    try {
      return new ObjectMapper().writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The report as an aligned two-column table. */
  String toTable() {
    StringBuilder sb = new StringBuilder();
    row(sb, "connections", connected + " connected of " + connections);
    row(sb, "protocol", "MQTT " + (mqttVersion == 5 ? "5" : "3.1.1") + ", QoS " + qos + ", max in-flight " + maxInflight);
    row(sb, "pack size", packSize + " readings");
    row(sb, "measured", String.format("%.1f s after %.1f s warm-up", durationSeconds, warmupSeconds));
    if (targetReadingsPerSecond > 0) {
      row(sb, "target rate", String.format("%.0f readings/s — %s (%d late sends)", targetReadingsPerSecond,
          Boolean.TRUE.equals(rateReached) ? "reached" : "NOT reached", lateSends));
    } else {
      row(sb, "target rate", "none (as fast as acknowledgements allow)");
    }
    String acked = qos == 1 ? "acknowledged" : "written (QoS 0)";
    row(sb, "messages " + acked, String.format("%d (%.1f msg/s)", messagesAcked, messagesPerSecond));
    row(sb, "readings " + acked, String.format("%d (%.1f readings/s)", readingsAcked, readingsPerSecond));
    row(sb, "PUBACK latency ms", String.format("p50 %.2f  p90 %.2f  p99 %.2f  max %.2f",
        latencyP50Ms, latencyP90Ms, latencyP99Ms, latencyMaxMs));
    row(sb, "failures", failures + (failuresByReason.isEmpty() ? "" : " " + failuresByReason));
    row(sb, "window-full waits", Long.toString(windowFullWaits));
    if (gatewayMaxHeapBytes != null) {
      row(sb, "gateway max heap", gatewayMaxHeapBytes < 0 ? "not observed (metrics unreachable)"
          : String.format("%.1f MiB", gatewayMaxHeapBytes / 1048576.0));
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
