package fr.gardien.rules.detect;

import static fr.gardien.rules.detect.Snapshots.HOUR;
import static fr.gardien.rules.detect.Snapshots.MINUTE;
import static fr.gardien.rules.detect.Snapshots.utc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.gardien.rules.yaml.YamlNode;
import fr.gardien.rules.yaml.Problems;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CounterRatioDetectorTest {

    private static final long T0 = utc("2025-01-06T00:00:00");
    private static final long WINDOW = 2 * HOUR;

    private static CounterRatioDetector detector() {
        return new CounterRatioDetector("doors", "trips", WINDOW, 3.5, 100);
    }

    /** Feeds both counters every 10 min from {@code from} to {@code to} (exclusive), at the given rates per 10 min. */
    private static Condition feed(Detector d, long from, long to, double[] counts, double doorsPer10, double tripsPer10) {
        Condition last = Condition.UNKNOWN;
        for (long t = from; t < to; t += 10 * MINUTE) {
            counts[0] += doorsPer10;
            counts[1] += tripsPer10;
            d.onReading("doors", t, counts[0]);
            last = d.onReading("trips", t, counts[1]);
        }
        return last;
    }

    /** Nothing is known until both counters' readings span the window. */
    @Test
    void unknownUntilTheReadingsSpanTheWindow() {
        CounterRatioDetector d = detector();
        double[] counts = {1000, 500};

        assertThat(feed(d, T0, T0 + WINDOW, counts, 100, 20)).isEqualTo(Condition.UNKNOWN);
        assertThat(feed(d, T0 + WINDOW, T0 + WINDOW + 1, counts, 100, 20)).isEqualTo(Condition.TRUE);
        assertThat(d.figures()).containsEntry("ratio", 5.0).containsEntry("denominator", 240.0)
                .containsEntry("numerator", 1200.0).containsEntry("threshold", 3.5).containsEntry("window_hours", 2.0);
    }

    /** Two door cycles per trip is healthy; strictly above the threshold is not; exactly at it is healthy. */
    @Test
    void theRatioOfTheIncreasesIsComparedStrictly() {
        CounterRatioDetector healthy = detector();
        assertThat(feed(healthy, T0, T0 + 3 * HOUR, new double[] {0, 0}, 40, 20)).isEqualTo(Condition.FALSE);
        assertThat(healthy.figures().get("ratio")).isEqualTo(2.0);

        CounterRatioDetector atThreshold = detector();
        assertThat(feed(atThreshold, T0, T0 + 3 * HOUR, new double[] {0, 0}, 70, 20)).isEqualTo(Condition.FALSE);

        CounterRatioDetector above = detector();
        assertThat(feed(above, T0, T0 + 3 * HOUR, new double[] {0, 0}, 71, 20)).isEqualTo(Condition.TRUE);
    }

    /** A window with fewer trips than the minimum says nothing: a quiet night is not judged. */
    @Test
    void tooFewTripsInTheWindowIsUnknown() {
        CounterRatioDetector d = detector();
        double[] counts = {0, 0};
        // 8 trips per 10 min: 96 trips in 2 h, under the 100 required, whatever the doors do.
        assertThat(feed(d, T0, T0 + 4 * HOUR, counts, 80, 8)).isEqualTo(Condition.UNKNOWN);
        assertThat(d.figures()).containsEntry("denominator", 96.0).containsEntry("ratio", 10.0);
        // Busier hours bring a verdict.
        assertThat(feed(d, T0 + 4 * HOUR, T0 + 6 * HOUR, counts, 40, 20)).isEqualTo(Condition.FALSE);
    }

    /** Only the last window counts: a past burst of reopening leaves the ratio once it is older than the window. */
    @Test
    void readingsOlderThanTheWindowLeaveTheRatio() {
        CounterRatioDetector d = detector();
        double[] counts = {0, 0};
        assertThat(feed(d, T0, T0 + 3 * HOUR, counts, 100, 20)).isEqualTo(Condition.TRUE);
        Condition last = feed(d, T0 + 3 * HOUR, T0 + 5 * HOUR + 10 * MINUTE, counts, 40, 20);
        assertThat(last).isEqualTo(Condition.FALSE);
        assertThat(d.figures().get("ratio")).isEqualTo(2.0);
    }

    /** A counter that goes down (controller replaced, reset) adds nothing and does not count backwards. */
    @Test
    void aResetCounterNeitherSubtractsNorJumps() {
        CounterRatioDetector d = detector();
        double[] counts = {50_000, 20_000};
        feed(d, T0, T0 + 3 * HOUR, counts, 40, 20);
        // The doors' counter is replaced: it restarts at 0 and keeps counting 40 per 10 min.
        counts[0] = -40;
        Condition after = feed(d, T0 + 3 * HOUR, T0 + 3 * HOUR + 30 * MINUTE, counts, 40, 20);
        assertThat(after).isEqualTo(Condition.FALSE);
        // 12 intervals of 2 h: one of them is the reset, which adds nothing.
        assertThat(d.figures().get("numerator")).isEqualTo(11 * 40.0);
        assertThat(d.figures().get("denominator")).isEqualTo(12 * 20.0);
    }

    /** Time alone changes nothing, and readings of another input are a wiring defect. */
    @Test
    void timeAloneChangesNothingAndUnknownInputsAreRejected() {
        CounterRatioDetector d = detector();
        feed(d, T0, T0 + 3 * HOUR, new double[] {0, 0}, 100, 20);
        assertThat(d.onTime(T0 + 30 * HOUR)).isEqualTo(Condition.TRUE);
        assertThatThrownBy(() -> d.onReading("supply", T0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(d.onReading("doors", T0 + 31 * HOUR, Double.NaN)).isEqualTo(Condition.TRUE);
    }

    /** A copy and a JSON round trip of the state answer every later reading as the original does. */
    @Test
    void copyAndRestoreContinueTheSameWay() {
        CounterRatioDetector d = detector();
        double[] counts = {0, 0};
        feed(d, T0, T0 + 150 * MINUTE, counts, 60, 20);
        Detector copy = d.copy();
        Detector restored = CounterRatioDetector.restore("doors", "trips", WINDOW, 3.5, 100,
                Snapshots.jsonRoundTrip(d.state()));
        for (long t = T0 + 150 * MINUTE; t < T0 + 6 * HOUR; t += 10 * MINUTE) {
            double doors = counts[0] += (t < T0 + 4 * HOUR ? 80 : 40);
            double trips = counts[1] += 20;
            for (Detector x : new Detector[] {d, copy, restored}) {
                x.onReading("doors", t, doors);
            }
            Condition a = d.onReading("trips", t, trips);
            assertThat(copy.onReading("trips", t, trips)).isEqualTo(a);
            assertThat(restored.onReading("trips", t, trips)).isEqualTo(a);
            assertThat(copy.figures()).isEqualTo(d.figures());
            assertThat(restored.figures()).isEqualTo(d.figures());
        }
    }

    /**
     * A quiet lift: with a 24 h maximum window, a 6 h window holding fewer trips than the minimum
     * widens back to the newest reading since which there were enough, and the ratio is judged
     * there; without it, the same readings stay UNKNOWN.
     */
    @Test
    void aWindowWithTooFewTripsWidensUpToTheMaximum() {
        DetectorKind kind = DetectorRegistry.standard().kind("counter-ratio");
        DetectorFactory widening = Kinds.configure(kind,
                "{numerator: doors, denominator: trips, window: 6h, max-window: 24h, above: 3.5, min-denominator: 100}",
                "doors", "trips");
        DetectorFactory fixed = Kinds.configure(kind,
                "{numerator: doors, denominator: trips, window: 6h, above: 3.5, min-denominator: 100}", "doors", "trips");
        assertThat(widening.minimumSpan()).isEqualTo(Duration.ofHours(6));
        Detector w = widening.create();
        Detector f = fixed.create();
        // 10 trips an hour, 4 door cycles per trip: 60 trips in 6 h, 100 trips in 10 h.
        Condition cw = Condition.UNKNOWN;
        Condition cf = Condition.UNKNOWN;
        for (long t = T0, i = 0; t <= T0 + 12 * HOUR; t += 6 * MINUTE, i++) {
            w.onReading("trips", t, i);
            cw = w.onReading("doors", t, 4 * i);
            f.onReading("trips", t, i);
            cf = f.onReading("doors", t, 4 * i);
            if (t < T0 + 10 * HOUR) {
                assertThat(cw).as("fewer than 100 trips so far").isEqualTo(Condition.UNKNOWN);
            }
        }
        assertThat(cf).isEqualTo(Condition.UNKNOWN);
        assertThat(cw).isEqualTo(Condition.TRUE);
        assertThat(w.figures().get("denominator")).isEqualTo(100.0);
        assertThat(w.figures().get("window_hours")).isEqualTo(10.0);
        assertThat(problems(kind, "{numerator: doors, denominator: trips, window: 6h, max-window: 2h, above: 3.5, min-denominator: 10}"))
                .anyMatch(m -> m.contains("max-window"));
        Detector restored = widening.restore(Snapshots.jsonRoundTrip(w.state()));
        assertThat(restored.onReading("trips", T0 + 12 * HOUR + 6 * MINUTE, 121)).isEqualTo(Condition.TRUE);
    }

    /** The YAML kind reads its params, rejects a non-positive minimum and equal inputs, and spans its window. */
    @Test
    void theYamlKindReadsItsParamsAndReportsItsWindowAsItsSpan() {
        DetectorKind kind = DetectorRegistry.standard().kind("counter-ratio");
        DetectorFactory f = Kinds.configure(kind,
                "{numerator: doors, denominator: trips, window: 6h, above: 3.5, min-denominator: 100}", "doors", "trips");
        assertThat(f.inputs()).containsExactly("doors", "trips");
        assertThat(f.figureNames()).contains("ratio", "threshold", "denominator", "window_hours");
        assertThat(f.minimumSpan()).isEqualTo(Duration.ofHours(6));
        assertThat(f.create().onReading("trips", T0, 1)).isEqualTo(Condition.UNKNOWN);

        assertThat(problems(kind, "{numerator: doors, denominator: trips, window: 6h, above: 3.5, min-denominator: 0}"))
                .anyMatch(m -> m.contains("min-denominator"));
        assertThat(problems(kind, "{numerator: doors, denominator: doors, window: 6h, above: 3.5, min-denominator: 10}"))
                .anyMatch(m -> m.contains("denominator"));
        assertThat(problems(kind, "{numerator: doors, denominator: trips, above: 3.5, min-denominator: 10}"))
                .anyMatch(m -> m.contains("window"));
    }

    /** The spans of the other kinds come from their own duration parameters, and are zero where none fixes it. */
    @Test
    void detectorsReportTheSpanTheirParametersFix() {
        DetectorRegistry r = DetectorRegistry.standard();
        assertThat(Kinds.configure(r.kind("missing-data"), "{input: t, interval: 15m, factor: 3}", "t").minimumSpan())
                .isEqualTo(Duration.ofMinutes(45));
        assertThat(Kinds.configure(r.kind("flatline"), "{signal: t, duration: 6h}", "t").minimumSpan())
                .isEqualTo(Duration.ofHours(6));
        assertThat(Kinds.configure(r.kind("rate-of-change"), "{signal: t, window: 6h, below: -0.03}", "t").minimumSpan())
                .isEqualTo(Duration.ofHours(6));
        assertThat(Kinds.configure(r.kind("short-cycling"), "{input: t, max-starts-per-hour: 6}", "t").minimumSpan())
                .isEqualTo(Duration.ofHours(1));
        assertThat(Kinds.configure(r.kind("threshold"), "{signal: t, below: 3}", "t").minimumSpan()).isZero();
        assertThat(Kinds.configure(r.kind("baseline-anomaly"), "{input: t}", "t").minimumSpan()).isZero();
    }

    private static java.util.List<String> problems(DetectorKind kind, String yaml) {
        Problems problems = new Problems("test");
        DetectorParams params = new DetectorParams(YamlNode.parse(yaml), "params", problems, Set.of("doors", "trips"));
        kind.configure(params);
        params.finish();
        return problems.messages();
    }
}
