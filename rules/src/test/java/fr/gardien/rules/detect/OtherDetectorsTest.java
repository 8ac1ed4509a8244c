package fr.gardien.rules.detect;

import static fr.gardien.rules.detect.Kinds.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OtherDetectorsTest {

    /** A value outside the physical range is TRUE at once; the bounds themselves are possible. */
    @Test
    void impossibleValueIsTrueAtOnceAndBoundsArePossible() {
        Detector d = Kinds.configure(ImpossibleDetector::configure, "{signal: t, min: -40, max: 120}", "t").create();
        assertThat(d.onReading("t", 0, 120)).isEqualTo(Condition.FALSE);
        assertThat(d.onReading("t", 1, -40)).isEqualTo(Condition.FALSE);
        assertThat(d.onReading("t", 2, 850)).isEqualTo(Condition.TRUE);
        assertThat(d.onReading("t", 3, 20)).isEqualTo(Condition.FALSE);
    }

    /** Missing data turns TRUE from time alone, strictly after factor × interval without a reading. */
    @Test
    void missingDataFiresFromTimeAloneAfterFactorTimesInterval() {
        Detector d = Kinds.configure(MissingDataDetector::configure, "{input: t, interval: 5m, factor: 3}", "t")
                .create();
        assertThat(d.onTime(0)).as("no reading yet").isEqualTo(Condition.UNKNOWN);
        assertThat(d.onReading("t", 0, 20)).isEqualTo(Condition.FALSE);
        assertThat(d.onTime(15 * MINUTE)).as("exactly 3 × 5 min").isEqualTo(Condition.FALSE);
        assertThat(d.onTime(15 * MINUTE + 1)).isEqualTo(Condition.TRUE);
        assertThat(d.figures()).containsEntry("limit_minutes", 15.0);
        assertThat(d.onReading("t", 16 * MINUTE, 20)).isEqualTo(Condition.FALSE);
    }

    /** A flatline is TRUE once readings within epsilon span the duration, FALSE at the first real change. */
    @Test
    void flatlineNeedsUnchangedReadingsSpanningTheDuration() {
        Detector d = Kinds.configure(FlatlineDetector::configure, "{signal: t, duration: 2h, epsilon: 0.05}", "t")
                .create();
        for (int m = 0; m < 120; m += 10) {
            assertThat(d.onReading("t", m * MINUTE, 21.0 + (m % 20 == 0 ? 0.02 : 0))).isEqualTo(Condition.FALSE);
        }
        assertThat(d.onReading("t", 120 * MINUTE, 21.0)).isEqualTo(Condition.TRUE);
        assertThat(d.figures()).containsEntry("unchanged_minutes", 120.0);
        assertThat(d.onReading("t", 130 * MINUTE, 21.2)).isEqualTo(Condition.FALSE);
    }

    /** Rate of change is UNKNOWN until the window is covered, then compares the change per hour. */
    @Test
    void rateOfChangeComparesTheChangePerHourOverTheWindow() {
        DetectorFactory f = Kinds.configure(RateOfChangeDetector::configure,
                "{signal: p, window: 2h, below: -0.1}", "p");
        Detector d = f.create();
        assertThat(d.onReading("p", 0, 1.8)).isEqualTo(Condition.UNKNOWN);
        assertThat(d.onReading("p", 60 * MINUTE, 1.75)).isEqualTo(Condition.UNKNOWN);
        assertThat(d.onReading("p", 120 * MINUTE, 1.7)).as("-0.05 bar/h").isEqualTo(Condition.FALSE);
        assertThat(d.onReading("p", 180 * MINUTE, 1.45)).as("(1.45 - 1.75) / 2 h").isEqualTo(Condition.TRUE);
        assertThat(d.figures().get("rate_per_hour")).isCloseTo(-0.15, org.assertj.core.data.Offset.offset(1e-9));
        Detector restored = f.restore(d.state());
        assertThat(restored.onReading("p", 240 * MINUTE, 1.45)).as("(1.45 - 1.7) / 2 h").isEqualTo(Condition.TRUE);
        assertThat(d.onReading("p", 240 * MINUTE, 1.45)).isEqualTo(Condition.TRUE);
        assertThat(restored.figures()).isEqualTo(d.figures());
    }

    /**
     * A thousand readings a second over a one-hour window keep the ring near a thousand readings,
     * and the rate stays that of a steady fall within 0.1 %.
     */
    @Test
    void rateOfChangeKeepsABoundedRingWhateverTheRate() {
        DetectorFactory f = Kinds.configure(RateOfChangeDetector::configure, "{signal: p, window: 1h, below: -0.1}", "p");
        Detector d = f.create();
        long millis = 2 * 3_600_000L;
        for (long ms = 0; ms <= millis; ms++) {
            d.onReading("p", ms * 1000, 2.0 - 0.5 * ms / 3_600_000.0);
        }
        assertThat(((long[]) d.state().get("t")).length).isLessThanOrEqualTo(RateOfChangeDetector.THINNING + 2);
        assertThat(d.figures().get("rate_per_hour")).isCloseTo(-0.5, org.assertj.core.data.Offset.offset(0.0005));
    }
}
