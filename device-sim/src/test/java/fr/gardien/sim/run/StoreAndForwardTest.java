package fr.gardien.sim.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StoreAndForwardTest {
  private static final Instant T0 = Instant.parse("2025-11-21T08:00:00Z");

  private static StoreAndForward.Pack pack(long seq, Instant oldest, int readings) {
    return new StoreAndForward.Pack(seq, oldest, new byte[] {(byte) seq}, readings, 0, false);
  }

  /** Packs leave oldest first, and one given back after a failed attempt goes back to its place in the line. */
  @Test
  void packsLeaveOldestFirstEvenWhenOneComesBack() {
    RunCounters counters = new RunCounters();
    StoreAndForward buffer = new StoreAndForward(10, Duration.ofHours(1), counters);
    buffer.add(pack(0, T0, 5));
    buffer.add(pack(1, T0.plusSeconds(60), 5));
    buffer.add(pack(2, T0.plusSeconds(120), 5));

    StoreAndForward.Pack first = buffer.pollOldest(T0.plusSeconds(130));
    assertThat(first.seq()).isZero();
    buffer.add(first.retried());

    StoreAndForward.Pack again = buffer.pollOldest(T0.plusSeconds(130));
    assertThat(again.seq()).isZero();
    assertThat(again.attempts()).isEqualTo(1);
    assertThat(again.late()).isTrue();
    assertThat(buffer.pollOldest(T0.plusSeconds(130)).seq()).isEqualTo(1);
    assertThat(buffer.pollOldest(T0.plusSeconds(130)).seq()).isEqualTo(2);
    assertThat(buffer.pollOldest(T0.plusSeconds(130))).isNull();
    assertThat(counters.packsFailed.sum()).isZero();
  }

  /** A full buffer drops its oldest pack for the newest, and counts the pack and its readings. */
  @Test
  void aFullBufferDropsTheOldestAndCountsIt() {
    RunCounters counters = new RunCounters();
    StoreAndForward buffer = new StoreAndForward(2, Duration.ofHours(1), counters);
    buffer.add(pack(0, T0, 7));
    buffer.add(pack(1, T0.plusSeconds(60), 3));
    buffer.add(pack(2, T0.plusSeconds(120), 4));

    assertThat(buffer.size()).isEqualTo(2);
    assertThat(buffer.highWater()).isEqualTo(2);
    assertThat(counters.droppedFullPacks.sum()).isEqualTo(1);
    assertThat(counters.droppedFullReadings.sum()).isEqualTo(7);
    assertThat(counters.failuresByReason()).containsEntry("dropped: store-and-forward buffer full", 1L);
    assertThat(buffer.pollOldest(T0.plusSeconds(130)).seq()).isEqualTo(1);
  }

  /** Packs older than the age limit on the device's clock are dropped and counted instead of sent. */
  @Test
  void packsPastTheAgeLimitAreDroppedAndCounted() {
    RunCounters counters = new RunCounters();
    StoreAndForward buffer = new StoreAndForward(10, Duration.ofMinutes(30), counters);
    buffer.add(pack(0, T0, 6));
    buffer.add(pack(1, T0.plusSeconds(600), 6));
    buffer.add(pack(2, T0.plusSeconds(1800), 6));

    StoreAndForward.Pack next = buffer.pollOldest(T0.plus(Duration.ofMinutes(35)));

    assertThat(next.seq()).isEqualTo(1);
    assertThat(counters.droppedOldPacks.sum()).isEqualTo(1);
    assertThat(counters.droppedOldReadings.sum()).isEqualTo(6);
    assertThat(buffer.clear()).isEqualTo(1);
  }
}
