package fr.gardien.sim.run;

import java.time.Duration;
import java.time.Instant;

/** Simulated time: starts at {@code from} and runs {@code speed} times faster than real time. */
final class SimClock {
  private final Instant from;
  private final double speed;
  private final long realStartNanos;

  SimClock(Instant from, double speed) {
    if (!(speed > 0)) {
      throw new IllegalArgumentException("speed must be positive, got " + speed);
    }
    this.from = from;
    this.speed = speed;
    this.realStartNanos = System.nanoTime();
  }

  Instant from() {
    return from;
  }

  /** The simulated time now. */
  Instant now() {
    double simNanos = (System.nanoTime() - realStartNanos) * speed;
    return from.plusNanos((long) simNanos);
  }

  /** Real nanoseconds left until the simulated clock reaches {@code t} (≤ 0 when already past). */
  long realNanosUntil(Instant t) {
    double simNanos = Duration.between(from, t).toNanos();
    return realStartNanos + (long) (simNanos / speed) - System.nanoTime();
  }
}
