package fr.gardien.rules.detect;

import static fr.gardien.rules.detect.Snapshots.DAY;
import static fr.gardien.rules.detect.Snapshots.HOUR;
import static fr.gardien.rules.detect.Snapshots.MINUTE;
import static fr.gardien.rules.detect.Snapshots.utc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HeatingCurveDetectorTest {

    private static final long T0 = utc("2025-01-06T00:00:00");

    /** The curve of a typical collective boiler: 75 °C at −10 °C outdoors, 35 °C at 15 °C; 10 K tolerance. */
    private static HeatingCurveDetector boiler() {
        return new HeatingCurveDetector("supply", "outdoor", -10, 75, 15, 35, 10, 15);
    }

    /** The expected supply follows the line between the two points and is clamped beyond them. */
    @Test
    void theExpectedSupplyFollowsTheLineAndIsClampedToItsEnds() {
        HeatingCurveDetector d = boiler();
        assertThat(d.expectedSupply(0)).isCloseTo(59, within(1e-9));
        assertThat(d.expectedSupply(-10)).isCloseTo(75, within(1e-9));
        assertThat(d.expectedSupply(-20)).isCloseTo(75, within(1e-9));
        assertThat(d.expectedSupply(25)).isCloseTo(35, within(1e-9));
    }

    /** Exactly maxDeviation below the curve is tolerated; any further below is no heat. */
    @Test
    void exactlyTheToleranceBelowTheCurveIsFalseAndMoreIsTrue() {
        HeatingCurveDetector d = boiler();
        d.onReading("outdoor", T0, 0);
        assertThat(d.onReading("supply", T0 + MINUTE, 49)).isEqualTo(Condition.FALSE);
        assertThat(d.onReading("supply", T0 + 2 * MINUTE, 48.9)).isEqualTo(Condition.TRUE);
        assertThat(d.figures()).containsEntry("value", 48.9).containsEntry("outdoor", 0.0);
        assertThat(d.figures().get("expected")).isCloseTo(59, within(1e-9));
        assertThat(d.figures().get("deviation")).isCloseTo(10.1, within(1e-9));
    }

    /** A cold supply in mild weather is not a fault: no heating is expected at or above outdoorBelow. */
    @Test
    void aColdSupplyInMildWeatherIsFalse() {
        HeatingCurveDetector d = boiler();
        d.onReading("supply", T0, 20);
        assertThat(d.onReading("outdoor", T0 + MINUTE, 15)).isEqualTo(Condition.FALSE);
        assertThat(d.onReading("outdoor", T0 + 2 * MINUTE, 14.9)).isEqualTo(Condition.TRUE);
    }

    /** Without an outdoor reading, or with one more than an hour old, the detector does not judge. */
    @Test
    void aMissingOrStaleOutdoorReadingIsUnknown() {
        HeatingCurveDetector d = boiler();
        assertThat(d.onReading("supply", T0, 20)).isEqualTo(Condition.UNKNOWN);
        d.onReading("outdoor", T0, -5);
        assertThat(d.onReading("supply", T0 + HOUR, 20)).as("exactly one hour old").isEqualTo(Condition.TRUE);
        assertThat(d.onReading("supply", T0 + HOUR + 1, 20)).isEqualTo(Condition.UNKNOWN);
        assertThat(d.onReading("outdoor", T0 + 2 * HOUR, -5)).isEqualTo(Condition.TRUE);
        assertThat(d.onTime(T0 + 2 * HOUR + 1)).isEqualTo(Condition.TRUE);
        assertThat(d.onTime(T0 + 2 * HOUR + 2)).as("a stale supply too").isEqualTo(Condition.UNKNOWN);
    }

    /** A restored detector judges with the latest readings it had before the restart. */
    @Test
    void aRestoredDetectorKeepsTheLatestReadings() {
        HeatingCurveDetector d = boiler();
        d.onReading("outdoor", T0, 0);
        d.onReading("supply", T0 + MINUTE, 40);
        HeatingCurveDetector restored = HeatingCurveDetector.restore("supply", "outdoor", -10, 75, 15, 35, 10, 15,
                Snapshots.jsonRoundTrip(d.state()));

        assertThat(restored.onTime(T0 + 30 * MINUTE)).isEqualTo(Condition.TRUE);
        assertThat(restored.onReading("supply", T0 + 31 * MINUTE, 58)).isEqualTo(Condition.FALSE);
        assertThat(HeatingCurveDetector.restore("supply", "outdoor", -10, 75, 15, 35, 10, 15, java.util.Map.of())
                .onTime(T0)).isEqualTo(Condition.UNKNOWN);
    }

    /** A week of a boiler following its curve with sensor noise stays FALSE; a failed burner becomes TRUE. */
    @Test
    void aHealthyWeekStaysFalseAndNoHeatBecomesTrue() {
        Random random = new Random(11);
        HeatingCurveDetector d = boiler();
        double supply = 60;
        for (long t = T0; t < T0 + 7 * DAY; t += MINUTE) {
            double outdoor = 3 + 6 * Math.sin(2 * Math.PI * (t - T0) / DAY) + random.nextGaussian() * 0.3;
            if ((t - T0) % (5 * MINUTE) == 0) {
                assertThat(d.onReading("outdoor", t, outdoor)).isNotEqualTo(Condition.TRUE);
            }
            // The supply lags its set-point and wobbles by ±3 K as the burner cycles.
            supply += 0.2 * (d.expectedSupply(outdoor) - supply);
            assertThat(d.onReading("supply", t, supply + 3 * Math.sin(t / (7.0 * MINUTE)) + random.nextGaussian() * 0.5))
                    .isEqualTo(Condition.FALSE);
        }
        Condition last = Condition.FALSE;
        for (long t = T0 + 7 * DAY; t < T0 + 7 * DAY + 3 * HOUR; t += MINUTE) {
            supply += 0.05 * (20 - supply);
            last = d.onReading("supply", t, supply);
            if ((t - T0) % (5 * MINUTE) == 0) {
                d.onReading("outdoor", t, 2);
            }
        }
        assertThat(last).isEqualTo(Condition.TRUE);
    }

    /** Two points at the same outdoor temperature define no curve and are refused. */
    @Test
    void aDegenerateCurveIsRejected() {
        assertThatThrownBy(() -> new HeatingCurveDetector("supply", "outdoor", 0, 70, 0, 40, 10, 15))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> boiler().onReading("return", T0, 40)).isInstanceOf(IllegalArgumentException.class);
    }
}
