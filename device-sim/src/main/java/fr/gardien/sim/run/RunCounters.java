package fr.gardien.sim.run;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters of a simulation run, shared by every device; thread-safe. */
final class RunCounters {
  final LongAdder packsSent = new LongAdder();
  final LongAdder readingsSent = new LongAdder();
  final LongAdder packsAcked = new LongAdder();
  final LongAdder packsFailed = new LongAdder();
  final LongAdder packsRetried = new LongAdder();
  private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();

  void failed(String reason) {
    packsFailed.increment();
    failures.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
  }

  /** Failures by reason, sorted by reason. */
  Map<String, Long> failuresByReason() {
    Map<String, Long> out = new TreeMap<>();
    failures.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }
}
