package fr.gardien.rules.detect;

import static fr.gardien.rules.detect.Snapshots.DAY;
import static fr.gardien.rules.detect.Snapshots.HOUR;
import static fr.gardien.rules.detect.Snapshots.MINUTE;
import static fr.gardien.rules.detect.Snapshots.utc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShortCyclingDetectorTest {

    private static final long T0 = utc("2025-01-06T00:00:00");

    /** Starts one burner cycle ({@code off} at {@code t}, {@code on} one minute later) and returns the condition. */
    private static Condition cycle(ShortCyclingDetector d, long t) {
        d.onReading("burner", t, 0);
        return d.onReading("burner", t + MINUTE, 1);
    }

    /** Six starts in an hour with a limit of six are healthy; the seventh within the hour is short cycling. */
    @Test
    void exactlyTheLimitIsHealthyAndOneMoreStartIsShortCycling() {
        ShortCyclingDetector d = new ShortCyclingDetector("burner", 6);
        d.onReading("burner", T0, 0);
        for (int i = 0; i < 6; i++) {
            assertThat(cycle(d, T0 + i * 8 * MINUTE)).isEqualTo(Condition.FALSE);
        }
        assertThat(cycle(d, T0 + 48 * MINUTE)).isEqualTo(Condition.TRUE);
        assertThat(d.figures()).containsEntry("starts_per_hour", 7.0).containsEntry("limit", 6.0);
        assertThat(d.figures().get("minutes_between_starts")).isCloseTo(8.0, within(1e-9));
    }

    /** Starts leave the rolling hour as event time advances, even without readings; exactly one hour old is out. */
    @Test
    void startsLeaveTheWindowAfterExactlyOneHour() {
        ShortCyclingDetector d = new ShortCyclingDetector("burner", 2);
        d.onReading("burner", T0, 0);
        d.onReading("burner", T0 + MINUTE, 1);
        cycle(d, T0 + 10 * MINUTE);
        assertThat(cycle(d, T0 + 20 * MINUTE)).isEqualTo(Condition.TRUE);

        assertThat(d.onTime(T0 + 61 * MINUTE - 1)).isEqualTo(Condition.TRUE);
        assertThat(d.onTime(T0 + 61 * MINUTE)).isEqualTo(Condition.FALSE);
        assertThat(d.figures()).containsEntry("starts_per_hour", 2.0);
    }

    /** A detector whose first reading is "on" has seen no start, and repeated "on" readings are not starts. */
    @Test
    void onlyAnOffToOnTransitionIsAStart() {
        ShortCyclingDetector d = new ShortCyclingDetector("burner", 0);
        assertThat(d.onTime(T0)).isEqualTo(Condition.UNKNOWN);
        assertThat(d.onReading("burner", T0, 1)).isEqualTo(Condition.FALSE);
        assertThat(d.onReading("burner", T0 + MINUTE, 1)).isEqualTo(Condition.FALSE);
        assertThat(d.onReading("burner", T0 + 2 * MINUTE, 0)).isEqualTo(Condition.FALSE);
        assertThat(d.onReading("burner", T0 + 3 * MINUTE, 1)).isEqualTo(Condition.TRUE);
    }

    /** Off before a three-hour gap and on after it is one start, and the old starts have left the window. */
    @Test
    void aGapInTheDataCountsOneStartAcrossIt() {
        ShortCyclingDetector d = new ShortCyclingDetector("burner", 1);
        d.onReading("burner", T0, 0);
        cycle(d, T0);
        assertThat(cycle(d, T0 + 10 * MINUTE)).isEqualTo(Condition.TRUE);
        d.onReading("burner", T0 + 20 * MINUTE, 0);

        assertThat(d.onReading("burner", T0 + 3 * HOUR, 1)).isEqualTo(Condition.FALSE);
        assertThat(d.figures()).containsEntry("starts_per_hour", 1.0);
    }

    /** Memory stays at limit + 1 start times however many starts arrive. */
    @Test
    void onlyLimitPlusOneStartTimesAreKept() {
        ShortCyclingDetector d = new ShortCyclingDetector("burner", 3);
        d.onReading("burner", T0, 0);
        for (int i = 0; i < 1000; i++) {
            cycle(d, T0 + i * 2 * MINUTE);
        }
        assertThat((List<?>) d.state().get("starts")).hasSize(4);
        assertThat(d.onTime(T0 + 2000 * MINUTE)).isEqualTo(Condition.TRUE);
        assertThat(d.figures().get("minutes_between_starts")).isCloseTo(2.0, within(1e-9));
    }

    /** A detector restored from a snapshot keeps the starts of the last hour and the burner's state. */
    @Test
    void aRestoredDetectorKeepsTheRecentStarts() {
        ShortCyclingDetector d = new ShortCyclingDetector("burner", 3);
        d.onReading("burner", T0, 0);
        for (int i = 0; i < 3; i++) {
            cycle(d, T0 + i * 10 * MINUTE);
        }
        ShortCyclingDetector restored = ShortCyclingDetector.restore("burner", 3, Snapshots.jsonRoundTrip(d.state()));

        assertThat(restored.onTime(T0 + 25 * MINUTE)).isEqualTo(Condition.FALSE);
        assertThat(restored.onReading("burner", T0 + 30 * MINUTE, 1)).as("still on: not a start").isEqualTo(Condition.FALSE);
        assertThat(cycle(restored, T0 + 35 * MINUTE)).isEqualTo(Condition.TRUE);
        assertThat(restored.onTime(T0 + 61 * MINUTE)).isEqualTo(Condition.FALSE);
    }

    /** A burner modulating normally for a week never short-cycles; one cycling every five minutes does. */
    @Test
    void aHealthyWeekStaysFalseAndAFaultyBurnerBecomesTrue() {
        Random random = new Random(7);
        ShortCyclingDetector d = new ShortCyclingDetector("burner", 6);
        long t = T0;
        boolean on = false;
        while (t < T0 + 7 * DAY) {
            // Healthy: runs of 10 to 40 minutes on and off, read once a minute.
            long run = (10 + random.nextInt(31)) * MINUTE;
            for (long end = t + run; t < end; t += MINUTE) {
                assertThat(d.onReading("burner", t, on ? 1 : 0)).isEqualTo(Condition.FALSE);
            }
            on = !on;
        }
        Condition last = Condition.FALSE;
        for (long end = t + HOUR; t < end; t += MINUTE) {
            // Faulty: three minutes on, two off.
            last = d.onReading("burner", t, (t - T0) / MINUTE % 5 < 3 ? 1 : 0);
        }
        assertThat(last).isEqualTo(Condition.TRUE);
        assertThat(d.figures().get("minutes_between_starts")).isCloseTo(5.0, within(1e-9));
    }
}
