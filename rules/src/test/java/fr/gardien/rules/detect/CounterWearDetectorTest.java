package fr.gardien.rules.detect;

import static fr.gardien.rules.detect.Snapshots.HOUR;
import static fr.gardien.rules.detect.Snapshots.MINUTE;
import static fr.gardien.rules.detect.Snapshots.DAY;
import static fr.gardien.rules.detect.Snapshots.utc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CounterWearDetectorTest {

    private static final long T0 = utc("2025-01-06T00:00:00");

    /** Before any reading nothing is known, and the first reading only sets the baseline. */
    @Test
    void firstReadingSetsTheBaselineWithoutCountingIt() {
        CounterWearDetector d = new CounterWearDetector("counter", 1000);

        assertThat(d.onTime(T0)).isEqualTo(Condition.UNKNOWN);
        assertThat(d.onReading("counter", T0, 250_000)).isEqualTo(Condition.FALSE);
        assertThat(d.figures()).containsEntry("since_maintenance", 0.0).containsEntry("limit", 1000.0);
    }

    /** One cycle below the limit is healthy; reaching the limit exactly makes maintenance due. */
    @Test
    void maintenanceIsDueExactlyWhenTheIncreaseReachesTheLimit() {
        CounterWearDetector d = new CounterWearDetector("counter", 1000);
        d.onReading("counter", T0, 5000);

        assertThat(d.onReading("counter", T0 + HOUR, 5999)).isEqualTo(Condition.FALSE);
        assertThat(d.onReading("counter", T0 + 2 * HOUR, 6000)).isEqualTo(Condition.TRUE);
        assertThat(d.onTime(T0 + 3 * HOUR)).isEqualTo(Condition.TRUE);
        assertThat(d.figures()).containsEntry("since_maintenance", 1000.0);
    }

    /** A counter reset to zero and a replaced meter with a large index resume counting from the new value. */
    @Test
    void aCounterResetOrReplacedMeterNeitherSubtractsNorJumps() {
        CounterWearDetector d = new CounterWearDetector("counter", 10_000);
        d.onReading("counter", T0, 5000);
        d.onReading("counter", T0 + HOUR, 5500);

        d.onReading("counter", T0 + 2 * HOUR, 0);
        assertThat(d.sinceMaintenance()).isEqualTo(500);
        d.onReading("counter", T0 + 3 * HOUR, 300);
        assertThat(d.sinceMaintenance()).isEqualTo(800);

        assertThat(d.onReading("counter", T0 + 4 * HOUR, 120)).as("new meter").isEqualTo(Condition.FALSE);
        assertThat(d.sinceMaintenance()).isEqualTo(800);
        d.onReading("counter", T0 + 5 * HOUR, 220);
        assertThat(d.sinceMaintenance()).isEqualTo(900);
    }

    /** A recorded maintenance restarts the count from the counter's current value; replaying it changes nothing. */
    @Test
    void maintenanceRestartsTheCountAndAReplayedVisitIsIgnored() {
        CounterWearDetector d = new CounterWearDetector("counter", 1000);
        d.onReading("counter", T0, 0);
        assertThat(d.onReading("counter", T0 + HOUR, 1200)).isEqualTo(Condition.TRUE);

        d.maintenanceDone(T0 + 2 * HOUR);
        assertThat(d.onReading("counter", T0 + 3 * HOUR, 1300)).isEqualTo(Condition.FALSE);
        assertThat(d.sinceMaintenance()).isEqualTo(100);

        d.maintenanceDone(T0 + 2 * HOUR);
        assertThat(d.sinceMaintenance()).isEqualTo(100);
    }

    /** A detector restored from a JSON-round-tripped snapshot continues exactly where the original was. */
    @Test
    void aRestoredDetectorContinuesTheCount() {
        CounterWearDetector d = new CounterWearDetector("counter", 1000);
        d.onReading("counter", T0, 100);
        d.onReading("counter", T0 + HOUR, 700);
        d.maintenanceDone(T0 + 90 * MINUTE);
        d.onReading("counter", T0 + 2 * HOUR, 1100);

        CounterWearDetector restored = CounterWearDetector.restore("counter", 1000, Snapshots.jsonRoundTrip(d.state()));

        assertThat(restored.sinceMaintenance()).isEqualTo(400);
        assertThat(restored.onReading("counter", T0 + 3 * HOUR, 1699)).isEqualTo(Condition.FALSE);
        assertThat(restored.onReading("counter", T0 + 4 * HOUR, 1700)).isEqualTo(Condition.TRUE);
        restored.maintenanceDone(T0 + 90 * MINUTE);
        assertThat(restored.sinceMaintenance()).as("the restored visit is still known").isEqualTo(1000);
    }

    /** The counter's increase across a week-long gap in the data is counted in full. */
    @Test
    void aGapInTheDataLosesNoCycles() {
        CounterWearDetector d = new CounterWearDetector("counter", 1000);
        d.onReading("counter", T0, 100);
        assertThat(d.onReading("counter", T0 + 7 * DAY, 1100)).isEqualTo(Condition.TRUE);
    }

    /** A lift's healthy week of door cycles stays below the limit; a door that keeps reopening reaches it. */
    @Test
    void aHealthyWeekStaysFalseAndAFaultyDoorReachesTheLimit() {
        Random random = new Random(42);
        CounterWearDetector d = new CounterWearDetector("counter", 20_000);
        double counter = 812_345;
        for (long t = T0; t < T0 + 7 * DAY; t += MINUTE) {
            counter += random.nextInt(3);
            assertThat(d.onReading("counter", t, counter)).isEqualTo(Condition.FALSE);
        }
        assertThat(d.sinceMaintenance()).isBetween(9_000.0, 11_000.0);

        Condition last = Condition.FALSE;
        for (long t = T0 + 7 * DAY; t < T0 + 9 * DAY && last == Condition.FALSE; t += MINUTE) {
            counter += 4 + random.nextInt(3);
            last = d.onReading("counter", t, counter);
        }
        assertThat(last).isEqualTo(Condition.TRUE);
    }

    /** A reading of an input the detector was not built with is a wiring defect and fails loudly. */
    @Test
    void anUnknownInputIsRejected() {
        assertThatThrownBy(() -> new CounterWearDetector("counter", 10).onReading("other", T0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other");
        assertThatThrownBy(() -> new CounterWearDetector("counter", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
