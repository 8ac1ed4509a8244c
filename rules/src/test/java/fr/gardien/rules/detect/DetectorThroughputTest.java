package fr.gardien.rules.detect;

import static fr.gardien.rules.detect.Snapshots.MINUTE;
import static fr.gardien.rules.detect.Snapshots.PARIS;
import static fr.gardien.rules.detect.Snapshots.paris;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A rough throughput figure per detector, printed and not asserted (the JMH benchmark of the
 * catalog is the measurement that counts); each run still checks the verdicts it produced.
 */
class DetectorThroughputTest {

    private static final int READINGS = 5_000_000;
    private static final long T0 = paris("2025-01-06T00:00");

    /** Feeds one detector a minute-by-minute synthetic series and returns how often each condition came out. */
    private static Map<Condition, Integer> run(String name, Supplier<Detector> factory, String[] inputs,
            SeriesValue value) {
        Map<Condition, Integer> counts = new EnumMap<>(Condition.class);
        for (int pass = 0; pass < 2; pass++) {
            Detector d = factory.get();
            int[] tally = new int[Condition.values().length];
            long started = System.nanoTime();
            for (int i = 0; i < READINGS; i++) {
                String input = inputs[i % inputs.length];
                long t = T0 + (long) (i / inputs.length) * MINUTE;
                tally[d.onReading(input, t, value.at(i / inputs.length, input == inputs[0])).ordinal()]++;
            }
            long elapsed = System.nanoTime() - started;
            if (pass == 1) {
                System.out.printf("throughput %-32s %,12.0f readings/s%n", name, READINGS / (elapsed / 1e9));
                for (Condition c : Condition.values()) {
                    counts.put(c, tally[c.ordinal()]);
                }
            }
        }
        return counts;
    }

    interface SeriesValue {
        double at(long minute, boolean firstInput);
    }

    /** Each detector runs a synthetic series of five million readings and gives the verdicts that series implies. */
    @Test
    void eachDetectorRunsMillionsOfReadingsAndPrintsItsThroughput() {
        Map<Condition, Integer> wear = run("CounterWearDetector", () -> new CounterWearDetector("counter", 1e12),
                new String[] {"counter"}, (m, first) -> m * 2.0);
        assertThat(wear.get(Condition.FALSE)).isEqualTo(READINGS);

        Map<Condition, Integer> cycling = run("ShortCyclingDetector", () -> new ShortCyclingDetector("burner", 6),
                new String[] {"burner"}, (m, first) -> m % 20 < 10 ? 1 : 0);
        assertThat(cycling.get(Condition.TRUE)).isZero();

        Map<Condition, Integer> baseline = run("BaselineAnomalyDetector",
                () -> new BaselineAnomalyDetector("volume", PARIS, 14, 4, 0.05, true),
                new String[] {"volume"}, (m, first) -> m * 0.01 + (m % 1440 < 360 ? 0 : m % 7 * 0.001));
        assertThat(baseline.get(Condition.TRUE)).isZero();
        assertThat(baseline.get(Condition.FALSE)).isPositive();

        Map<Condition, Integer> curve = run("HeatingCurveDetector",
                () -> new HeatingCurveDetector("supply", "outdoor", -10, 75, 15, 35, 10, 15),
                new String[] {"supply", "outdoor"}, (m, first) -> first ? 62 - m % 5 : 0 + m % 3);
        assertThat(curve.get(Condition.TRUE)).isZero();
        assertThat(curve.get(Condition.FALSE)).isEqualTo(READINGS - 1);

        Map<Condition, Integer> degreeDays = run("DegreeDayConsumptionDetector",
                () -> new DegreeDayConsumptionDetector("energy", "outdoor", PARIS, 14, 1.3, true),
                new String[] {"energy", "outdoor"}, (m, first) -> first ? m * 0.1 : 8);
        assertThat(degreeDays.get(Condition.TRUE)).isZero();
        assertThat(degreeDays.get(Condition.FALSE)).isPositive();
    }
}
