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
  /** Packs acknowledged after the gateway had been unreachable or overloaded (store-and-forward). */
  final LongAdder packsLate = new LongAdder();
  final LongAdder droppedFullPacks = new LongAdder();
  final LongAdder droppedFullReadings = new LongAdder();
  final LongAdder droppedOldPacks = new LongAdder();
  final LongAdder droppedOldReadings = new LongAdder();
  private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();

  void failed(String reason) {
    packsFailed.increment();
    failures.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
  }

  /** A pack dropped from a full store-and-forward buffer: a failure, and counted apart. */
  void droppedFull(int readings) {
    droppedFullPacks.increment();
    droppedFullReadings.add(readings);
    failed("dropped: store-and-forward buffer full");
  }

  /** A pack dropped from a store-and-forward buffer for its age: a failure, and counted apart. */
  void droppedOld(int readings) {
    droppedOldPacks.increment();
    droppedOldReadings.add(readings);
    failed("dropped: older than the store-and-forward age limit");
  }

  /** Failures by reason, sorted by reason. */
  Map<String, Long> failuresByReason() {
    Map<String, Long> out = new TreeMap<>();
    failures.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }
}
