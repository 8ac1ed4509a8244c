package fr.gardien.sim.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Simulated time: starts at {@code from} and runs {@code speed} times faster than real time, but
 * never ahead of the wall clock. A gateway rejects readings from the future, so a fast run that
 * starts in the past backfills history until it catches up with the present, then goes on in
 * real time; a run started now goes at real time whatever the speed.
 */
final class SimClock {
  private final Instant from;
  private final double speed;
  private final long realStartNanos;
  /** Real nanoseconds after the start at which the simulated clock meets the wall clock. */
  private final long catchUpNanos;
  /** The simulated (and wall-clock) time at that moment. */
  private final Instant catchUpAt;

  SimClock(Instant from, double speed) {
    this(from, speed, Clock.systemUTC());
  }

  SimClock(Instant from, double speed, Clock wall) {
    if (!(speed > 0)) {
      throw new IllegalArgumentException("speed must be positive, got " + speed);
    }
    this.from = from;
    this.speed = speed;
    this.realStartNanos = System.nanoTime();
    Instant wallStart = wall.instant();
    long behindNanos = Duration.between(from, wallStart).toNanos();
    if (behindNanos <= 0) {
      // Starting in the future (asked for explicitly): keep the requested speed.
      catchUpNanos = Long.MAX_VALUE;
      catchUpAt = null;
    } else if (speed <= 1) {
      catchUpNanos = Long.MAX_VALUE; // never catches up
      catchUpAt = null;
    } else {
      catchUpNanos = (long) (behindNanos / (speed - 1));
      catchUpAt = wallStart.plusNanos(catchUpNanos);
    }
  }

  Instant from() {
    return from;
  }

  /** The simulated time now. */
  Instant now() {
    long elapsed = System.nanoTime() - realStartNanos;
    if (elapsed >= catchUpNanos) {
      return catchUpAt.plusNanos(elapsed - catchUpNanos);
    }
    return from.plusNanos((long) (elapsed * speed));
  }

  /** Real nanoseconds left until the simulated clock reaches {@code t} (≤ 0 when already past). */
  long realNanosUntil(Instant t) {
    long realOffset;
    if (catchUpAt != null && !t.isBefore(catchUpAt)) {
      realOffset = catchUpNanos + Duration.between(catchUpAt, t).toNanos();
    } else {
      realOffset = (long) (Duration.between(from, t).toNanos() / speed);
    }
    return realStartNanos + realOffset - System.nanoTime();
  }
}
