package fr.gardien.sim.run;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One device's store-and-forward buffer, as field gateways keep one: packs wait here while the
 * gateway is unreachable or overloaded and leave oldest first when it answers again. Bounded in
 * packs and in age (of a pack's oldest reading, on the device's clock); when full, the oldest
 * pack is dropped to make room for the newest, and every drop is counted. Thread-safe.
 */
final class StoreAndForward {

  /**
   * A pack waiting to be sent.
   *
   * @param seq its order of creation: the buffer sends the lowest first
   * @param oldest the time of its oldest reading, for the age limit
   * @param readings how many readings it carries, for the drop counts
   * @param attempts how many times it was handed to the transport already
   * @param late whether it was held back by an unreachable or overloaded gateway
   */
  record Pack(long seq, Instant oldest, byte[] bytes, int readings, int attempts, boolean late) {
    Pack retried() {
      return new Pack(seq, oldest, bytes, readings, attempts + 1, true);
    }
  }

  private final int maxPacks;
  private final Duration maxAge;
  private final RunCounters counters;
  private final TreeMap<Long, Pack> packs = new TreeMap<>();
  private int highWater;

  StoreAndForward(int maxPacks, Duration maxAge, RunCounters counters) {
    if (maxPacks < 1 || maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("the buffer needs room for a pack and a positive age limit");
    }
    this.maxPacks = maxPacks;
    this.maxAge = maxAge;
    this.counters = counters;
  }

  /** Adds a new pack, or one given back after a failed attempt; drops the oldest when full. */
  synchronized void add(Pack pack) {
    packs.put(pack.seq(), pack);
    while (packs.size() > maxPacks) {
      Pack dropped = packs.pollFirstEntry().getValue();
      counters.droppedFull(dropped.readings());
    }
    highWater = Math.max(highWater, packs.size());
  }

  /** The oldest pack young enough to send at {@code now}, removed from the buffer; null when none. */
  synchronized Pack pollOldest(Instant now) {
    Instant limit = now.minus(maxAge);
    Map.Entry<Long, Pack> first;
    while ((first = packs.pollFirstEntry()) != null) {
      Pack pack = first.getValue();
      if (!pack.oldest().isBefore(limit)) {
        return pack;
      }
      counters.droppedOld(pack.readings());
    }
    return null;
  }

  synchronized boolean isEmpty() {
    return packs.isEmpty();
  }

  synchronized int size() {
    return packs.size();
  }

  /** The most packs held at once. */
  synchronized int highWater() {
    return highWater;
  }

  /** Empties the buffer; returns how many packs it held. */
  synchronized int clear() {
    int n = packs.size();
    packs.clear();
    return n;
  }
}
