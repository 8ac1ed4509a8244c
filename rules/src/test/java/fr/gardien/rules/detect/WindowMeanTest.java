package fr.gardien.rules.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The mean over a sliding window with bounded memory (issue 11: at the ingest benchmark's rate a
 * lateness checkpoint copied every reading of the heating curve's 15-minute window, and the rules
 * thread fell behind the writers).
 */
class WindowMeanTest {

    private static final long SECOND = 1_000_000L;
    private static final long WINDOW = 15 * 60 * SECOND;

    /** At a reading a minute every reading is its own slice: the mean is the exact mean of the window. */
    @Test
    void atAReadingAMinuteTheMeanIsExact() {
        WindowMean w = new WindowMean(WINDOW);
        for (int i = 0; i < 30; i++) {
            w.add(i * 60 * SECOND, i);
        }
        long now = 29 * 60 * SECOND;
        // The window (now − 15 min, now] holds the readings of minutes 15..29.
        assertThat(w.mean(now)).isCloseTo((15 + 29) / 2.0, within(1e-9));
        assertThat(w.slices()).isEqualTo(15);
    }

    /** At 300 readings a second, the window holds about a thousand slices, and the mean is within a slice's width. */
    @Test
    void atAHighRateMemoryIsBoundedAndTheMeanStaysClose() {
        WindowMean w = new WindowMean(WINDOW);
        long step = SECOND / 300;
        long t = 0;
        double exactSum = 0;
        int exactCount = 0;
        long end = 20 * 60 * SECOND;
        // A ramp: the value is the time in seconds, so the window's exact mean is easy to state.
        for (t = 0; t <= end; t += step) {
            w.add(t, t / (double) SECOND);
            if (t > end - WINDOW) {
                exactSum += t / (double) SECOND;
                exactCount++;
            }
        }
        long now = t - step;
        double mean = w.mean(now);
        assertThat(w.slices()).isBetween(1000, WindowMean.SLICES + 2);
        // A slice is 0.88 s wide: the mean may count readings up to that much older, 0.44 s of the ramp at most.
        assertThat(mean).isCloseTo(exactSum / exactCount, within(0.5));
        WindowMean copy = w.copy();
        assertThat(copy.mean(now)).isEqualTo(mean);
        w.add(now + SECOND, 10_000);
        assertThat(copy.mean(now + SECOND)).as("a copy is independent").isLessThan(2000);
    }

    /** The state keeps slices with their counts; a state saved reading by reading (no counts) restores too. */
    @Test
    void savedSlicesRestoreWithTheirCounts() {
        WindowMean w = new WindowMean(WINDOW);
        for (int i = 0; i < 900; i++) {
            w.add(i * (SECOND / 1000), i % 2 == 0 ? 10 : 20);
        }
        WindowMean back = WindowMean.restore(WINDOW, w.times(), w.means(), w.counts());
        assertThat(back.mean(SECOND)).isCloseTo(w.mean(SECOND), within(1e-9));
        WindowMean old = WindowMean.restore(WINDOW, new long[] {0, 60 * SECOND}, new double[] {40, 50}, null);
        assertThat(old.mean(60 * SECOND)).isEqualTo(45.0);
    }

    /** The heating curve's copy and state stay a thousand slices long at 300 readings a second. */
    @Test
    void theHeatingCurvesStateIsBoundedWhateverTheRate() {
        Detector d = Kinds.configure(DetectorRegistry.standard().kind("heating-curve"),
                "{supply: supply, outdoor: outdoor, curve: {outdoor-a: 20, supply-a: 20, outdoor-b: -7, supply-b: 65},"
                        + " max-deviation: 4, average: 15m}", "supply", "outdoor").create(Snapshots.PARIS);
        long t = Snapshots.paris("2026-01-13T02:00");
        d.onReading("outdoor", t, 0);
        for (int i = 0; i < 300 * 60 * 20; i++) {
            d.onReading("supply", t + i * (SECOND / 300), 60);
        }
        Map<String, Object> state = d.copy().state();
        assertThat(((long[]) state.get("recent_t")).length).isLessThanOrEqualTo(WindowMean.SLICES + 2);
        assertThat(d.figures().get("value")).isEqualTo(60.0);
    }
}
