package fr.gardien.sim.latency;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The probes of one run and the alert events seen, matched by (site, equipment): a probe's alert
 * is the first {@code opened} transition on its equipment that arrives after the probe was sent.
 * Monotonic instants ({@link System#nanoTime()}). Thread-safe (the MQTT callback, the stream
 * reader and the driver all write here).
 */
final class ProbeBook {

  /** One probe: where it goes and what happened to it. */
  static final class Probe {
    final String site;
    final String equipment;
    final String deviceId;
    long sentNanos;
    long ackNanos;
    long alertNanos;
    String failure;

    Probe(String site, String equipment, String deviceId) {
      this.site = site;
      this.equipment = equipment;
      this.deviceId = deviceId;
    }

    String key() {
      return site + "/" + equipment;
    }
  }

  static final String NO_ALERT = "no alert within the timeout";

  private final Map<String, Probe> byKey = new LinkedHashMap<>();
  private long alertsSeen;
  private long unmatched;
  private long alertsBeforeProbe;
  private long otherKinds;
  private long duplicates;

  ProbeBook(List<Probe> probes) {
    probes.forEach(p -> byKey.put(p.key(), p));
  }

  synchronized List<Probe> probes() {
    return List.copyOf(byKey.values());
  }

  synchronized void sent(Probe p, long nanos) {
    p.sentNanos = nanos;
  }

  synchronized void acknowledged(Probe p, long nanos) {
    p.ackNanos = nanos;
  }

  synchronized void failed(Probe p, String reason) {
    if (p.failure == null && p.alertNanos == 0) {
      p.failure = reason;
    }
  }

  /** One alert event of the stream. */
  synchronized void alert(long arrivedNanos, JsonNode alert) {
    alertsSeen++;
    String key = alert.path("site").asText() + "/" + alert.path("equipment").asText();
    Probe p = byKey.get(key);
    if (p == null) {
      unmatched++;
      return;
    }
    if (!"opened".equals(alert.path("transition").path("kind").asText())) {
      otherKinds++;
      return;
    }
    if (p.sentNanos == 0) {
      alertsBeforeProbe++;
      return;
    }
    if (p.alertNanos != 0) {
      duplicates++;
      return;
    }
    p.alertNanos = arrivedNanos;
  }

  /**
   * Whether every sent probe is settled at {@code now}: its alert came, it failed, or its alert
   * is overdue ({@code timeoutNanos} after its PUBACK, or after sending if no PUBACK came); the
   * overdue ones are marked as failures.
   */
  synchronized boolean settle(long now, long timeoutNanos) {
    boolean all = true;
    for (Probe p : byKey.values()) {
      if (p.sentNanos == 0 || p.failure != null || p.alertNanos != 0) {
        continue;
      }
      long from = p.ackNanos != 0 ? p.ackNanos : p.sentNanos;
      if (now - from > timeoutNanos) {
        p.failure = p.ackNanos != 0 ? NO_ALERT : "no acknowledgement in time";
      } else {
        all = false;
      }
    }
    return all;
  }

  /** The figures: latency = alert event − PUBACK, of the probes that have both. */
  synchronized LatencyReport report(int planned, String point, double value, double intervalMs, double timeoutSeconds,
      double elapsedSeconds) {
    Histogram latency = new Histogram(3_600_000_000L, 3);
    Histogram puback = new Histogram(3_600_000_000L, 3);
    long sent = 0;
    long acked = 0;
    long matched = 0;
    long alertBeforeAck = 0;
    Map<String, Long> failures = new TreeMap<>();
    for (Probe p : byKey.values()) {
      if (p.sentNanos != 0) {
        sent++;
      }
      if (p.ackNanos != 0) {
        acked++;
        puback.recordValue(Math.max(0, (p.ackNanos - p.sentNanos) / 1000));
      }
      if (p.failure != null) {
        failures.merge(p.failure, 1L, Long::sum);
      } else if (p.sentNanos == 0) {
        failures.merge("not sent", 1L, Long::sum);
      } else if (p.alertNanos != 0 && p.ackNanos == 0) {
        failures.merge("alert but no acknowledgement", 1L, Long::sum);
      } else if (p.alertNanos != 0) {
        matched++;
        long micros = (p.alertNanos - p.ackNanos) / 1000;
        if (micros < 0) {
          alertBeforeAck++;
        }
        latency.recordValue(Math.max(0, micros));
      }
    }
    long failed = failures.values().stream().mapToLong(Long::longValue).sum();
    return new LatencyReport(point, value, planned, byKey.size(), sent, acked, alertsSeen, matched, failed, failures,
        alertBeforeAck, alertsBeforeProbe, otherKinds, duplicates, unmatched, intervalMs, timeoutSeconds,
        elapsedSeconds, LatencyReport.Percentiles.of(latency), LatencyReport.Percentiles.of(puback));
  }
}
