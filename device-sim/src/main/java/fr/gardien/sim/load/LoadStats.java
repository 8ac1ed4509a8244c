package fr.gardien.sim.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * What the load generator measures. Only acknowledgements that arrive inside the measurement
 * window count towards rates and latencies; failures count over the whole run. Thread-safe.
 */
final class LoadStats {
  private final long warmupEndNanos;
  private final long measureEndNanos;
  final ConcurrentHistogram latencyMicros = new ConcurrentHistogram(3);
  final LongAdder published = new LongAdder();
  final LongAdder ackedTotal = new LongAdder();
  final LongAdder ackedMeasured = new LongAdder();
  final LongAdder readingsMeasured = new LongAdder();
  final LongAdder failures = new LongAdder();
  final LongAdder lateSends = new LongAdder();
  private final Map<String, AtomicLong> failuresByReason = new ConcurrentHashMap<>();
  /** Readings acknowledged in each whole second of the measurement window. */
  private final AtomicLongArray readingsBySecond;

  LoadStats(long warmupEndNanos, long measureEndNanos) {
    this.warmupEndNanos = warmupEndNanos;
    this.measureEndNanos = measureEndNanos;
    this.readingsBySecond = new AtomicLongArray((int) Math.max(1, (measureEndNanos - warmupEndNanos) / 1_000_000_000L));
  }

  long warmupEndNanos() {
    return warmupEndNanos;
  }

  long measureEndNanos() {
    return measureEndNanos;
  }

  /** An acknowledgement of a pack of {@code readings} published at {@code publishNanos}. */
  void acked(long publishNanos, int readings) {
    long now = System.nanoTime();
    ackedTotal.increment();
    if (now >= warmupEndNanos && now <= measureEndNanos) {
      ackedMeasured.increment();
      readingsMeasured.add(readings);
      int second = (int) ((now - warmupEndNanos) / 1_000_000_000L);
      if (second < readingsBySecond.length()) {
        readingsBySecond.addAndGet(second, readings);
      }
      latencyMicros.recordValue(Math.max(0, (now - publishNanos) / 1000));
    }
  }

  /** Readings acknowledged in each whole second of the measurement window, in order. */
  long[] readingsBySecond() {
    long[] out = new long[readingsBySecond.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = readingsBySecond.get(i);
    }
    return out;
  }

  void failed(String reason) {
    failures.increment();
    failuresByReason.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
  }

  Map<String, Long> failuresByReason() {
    Map<String, Long> out = new TreeMap<>();
    failuresByReason.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }
}
