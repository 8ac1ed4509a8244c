package fr.gardien.rules.detect;

import static fr.gardien.rules.detect.Kinds.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThresholdDetectorTest {

    /** A value exactly at an upper threshold does not trigger; the first value beyond it does. */
    @Test
    void exactlyAtTheThresholdDoesNotTrigger() {
        Detector d = Kinds.configure(ThresholdDetector::configure, "{signal: t, above: 80}", "t").create();
        assertThat(d.onReading("t", 0, 80.0)).isEqualTo(Condition.FALSE);
        assertThat(d.onReading("t", MINUTE, 80.01)).isEqualTo(Condition.TRUE);
    }

    /** A lower threshold triggers strictly below and clears only strictly above threshold + hysteresis. */
    @Test
    void belowClearsOnlyBeyondTheHysteresisBand() {
        Detector d = Kinds.configure(ThresholdDetector::configure, "{signal: t, below: 55, hysteresis: 2}", "t")
                .create();
        assertThat(d.onReading("t", 0, 55.0)).isEqualTo(Condition.FALSE);
        assertThat(d.onReading("t", 1, 54.9)).isEqualTo(Condition.TRUE);
        assertThat(d.onReading("t", 2, 56.0)).as("inside the band").isEqualTo(Condition.TRUE);
        assertThat(d.onReading("t", 3, 57.0)).as("exactly at threshold + hysteresis").isEqualTo(Condition.TRUE);
        assertThat(d.onReading("t", 4, 57.1)).isEqualTo(Condition.FALSE);
        assertThat(d.onReading("t", 5, 56.0)).as("back in the band without crossing").isEqualTo(Condition.FALSE);
        assertThat(d.figures()).containsEntry("value", 56.0).containsEntry("threshold", 55.0);
    }

    /** An upper threshold with hysteresis holds TRUE down to threshold − hysteresis inclusive. */
    @Test
    void aboveClearsOnlyBelowThresholdMinusHysteresis() {
        Detector d = Kinds.configure(ThresholdDetector::configure, "{signal: t, above: 70, hysteresis: 5}", "t")
                .create();
        assertThat(d.onReading("t", 0, 71)).isEqualTo(Condition.TRUE);
        assertThat(d.onReading("t", 1, 65)).isEqualTo(Condition.TRUE);
        assertThat(d.onReading("t", 2, 64.9)).isEqualTo(Condition.FALSE);
    }

    /** A threshold on {@code {difference: [supply, return]}} compares supply − return once both are known. */
    @Test
    void aThresholdAppliesToTheDifferenceOfTwoInputs() {
        Detector d = Kinds.configure(ThresholdDetector::configure,
                "{signal: {difference: [supply, return]}, below: 3}", "supply", "return").create();
        assertThat(d.onReading("supply", 0, 60)).isEqualTo(Condition.UNKNOWN);
        assertThat(d.onReading("return", 0, 50)).isEqualTo(Condition.FALSE);
        assertThat(d.onReading("return", MINUTE, 58)).isEqualTo(Condition.TRUE);
        assertThat(d.figures()).containsEntry("value", 2.0).containsEntry("supply", 60.0)
                .containsEntry("return", 58.0);
    }

    /** A restored detector continues where the original was, inside the hysteresis band. */
    @Test
    void restoredStateContinuesInsideTheBand() {
        DetectorFactory f = Kinds.configure(ThresholdDetector::configure, "{signal: t, above: 70, hysteresis: 5}",
                "t");
        Detector d = f.create();
        d.onReading("t", 0, 75);
        Detector copy = f.restore(d.state());
        assertThat(copy.onReading("t", 1, 67)).isEqualTo(Condition.TRUE);
    }
}
