package fr.gardien.sim.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SimClockTest {

  /** A fast clock started in the past catches up with the present and then keeps real time. */
  @Test
  void fastClockFromThePastCatchesUpThenRunsInRealTime() throws Exception {
    SimClock clock = new SimClock(Instant.now().minusSeconds(10), 1000);
    Thread.sleep(200);
    Instant now = Instant.now();
    assertThat(clock.now()).isBetween(now.minusSeconds(1), now.plusSeconds(1));
    assertThat(clock.realNanosUntil(now.plusSeconds(5))).isBetween(
        Duration.ofSeconds(4).toNanos(), Duration.ofSeconds(6).toNanos());
  }

  /** A fast clock started now never produces times from the future. */
  @Test
  void fastClockStartedNowNeverRunsAhead() throws Exception {
    SimClock clock = new SimClock(Instant.now(), 3600);
    Thread.sleep(100);
    assertThat(clock.now()).isBefore(Instant.now().plusSeconds(1));
  }

  /** Far behind the present, the clock runs at the requested speed. */
  @Test
  void clockFarInThePastRunsAtTheRequestedSpeed() throws Exception {
    Instant from = Instant.now().minus(Duration.ofDays(30));
    SimClock clock = new SimClock(from, 1000);
    Thread.sleep(100);
    assertThat(clock.now()).isAfter(from.plusSeconds(50)).isBefore(from.plus(Duration.ofDays(1)));
  }
}
