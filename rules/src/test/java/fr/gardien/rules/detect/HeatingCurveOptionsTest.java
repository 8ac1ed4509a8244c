package fr.gardien.rules.detect;

import static fr.gardien.rules.detect.Snapshots.DAY;
import static fr.gardien.rules.detect.Snapshots.HOUR;
import static fr.gardien.rules.detect.Snapshots.MINUTE;
import static fr.gardien.rules.detect.Snapshots.PARIS;
import static fr.gardien.rules.detect.Snapshots.paris;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fr.gardien.rules.yaml.YamlNode;
import fr.gardien.rules.yaml.Problems;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The {@code heating-curve} kind's options for "no heat" (issue 16): the night-setback allowance
 * and its hours, the backstop floor, the supply's mean over a window, the hysteresis, and the
 * installation's own history.
 */
class HeatingCurveOptionsTest {

    /** The stock's lowest curve: 65 °C at -7 °C, 20 °C at 20 °C (53.3 °C at 0 °C outside). */
    private static final String CURVE = "curve: {outdoor-a: 20, supply-a: 20, outdoor-b: -7, supply-b: 65}, ";

    private static DetectorFactory factory(String params) {
        return Kinds.configure(DetectorRegistry.standard().kind("heating-curve"),
                "{supply: supply, outdoor: outdoor, " + CURVE + params + "}", "supply", "outdoor");
    }

    /** The allowance applies inside its local hours only: at 0 °C, 35 °C is no heat at 14:00 but not at 02:00. */
    @Test
    void theSetbackAllowanceAppliesInItsLocalHoursOnly() {
        Detector d = factory("max-deviation: 4, setback: 15, setback-hours: {from: \"20:00\", to: \"07:00\"}").create(PARIS);
        long night = paris("2026-01-13T02:00");
        d.onReading("outdoor", night, 0);
        assertThat(d.onReading("supply", night, 35)).isEqualTo(Condition.FALSE);
        assertThat(d.figures().get("threshold")).isCloseTo(53.333 - 19, within(0.01));
        assertThat(d.figures()).containsEntry("setback", 15.0);
        assertThat(d.onReading("supply", night + MINUTE, 34.3)).isEqualTo(Condition.TRUE);
        long day = paris("2026-01-13T14:00");
        d.onReading("outdoor", day, 0);
        assertThat(d.onReading("supply", day, 49.3)).isEqualTo(Condition.TRUE);
        assertThat(d.figures()).containsEntry("setback", 0.0);
        assertThat(d.figures().get("threshold")).isCloseTo(53.333 - 4, within(0.01));
        assertThat(d.onReading("supply", day + MINUTE, 49.4)).as("above 49.33, no hysteresis").isEqualTo(Condition.FALSE);
        assertThat(d.onTime(paris("2026-01-13T06:59"))).isEqualTo(Condition.FALSE);
    }

    /** The floor is a backstop: in mild weather, where the curve less the allowance asks nothing, 24 °C is still no heat. */
    @Test
    void theFloorIsABackstopInMildWeather() {
        Detector d = factory("max-deviation: 4, setback: 15, floor: 25").create(PARIS);
        long t = paris("2026-01-13T02:00");
        d.onReading("outdoor", t, 12);
        assertThat(d.onReading("supply", t, 25.5)).isEqualTo(Condition.FALSE);
        assertThat(d.onReading("supply", t + MINUTE, 24.9)).isEqualTo(Condition.TRUE);
        assertThat(d.figures()).containsEntry("threshold", 25.0);
        d.onReading("outdoor", t + 2 * MINUTE, 15);
        assertThat(d.onTime(t + 2 * MINUTE)).as("no heating expected at 15 °C").isEqualTo(Condition.FALSE);
    }

    /**
     * The supply judged is its mean over the window, so that a burner's swing is not a fault; once
     * TRUE, it stays so until the mean is above the threshold plus the hysteresis.
     */
    @Test
    void theMeanOverTheWindowIsJudgedWithHysteresis() {
        Detector d = factory("max-deviation: 4, average: 15m, hysteresis: 2").create(PARIS);
        long t = paris("2026-01-13T14:00");
        d.onReading("outdoor", t, 0);
        // Swinging 44 / 56 around 50, above the bound of 49.33 on average: never TRUE.
        for (int i = 0; i < 30; i++) {
            assertThat(d.onReading("supply", t + i * MINUTE, i % 2 == 0 ? 56 : 44)).isEqualTo(Condition.FALSE);
        }
        long f = t + 30 * MINUTE;
        Condition c = Condition.FALSE;
        int minutes = 0;
        while (c == Condition.FALSE) {
            c = d.onReading("supply", f + minutes * MINUTE, 30);
            minutes++;
        }
        assertThat(minutes).as("minutes of 30 °C before the 15-min mean is under 49.33").isBetween(1, 4);
        for (int i = 0; i < 15; i++) {
            d.onReading("supply", f + (minutes + i) * MINUTE, 30);
        }
        long back = f + (minutes + 15) * MINUTE;
        int healthy = 0;
        while (c == Condition.TRUE) {
            c = d.onReading("supply", back + healthy * MINUTE, 53);
            healthy++;
        }
        // The mean must pass 51.33: (k × 53 + (15 − k) × 30) / 15 > 51.33 from the 14th minute.
        assertThat(healthy).isEqualTo(14);
        assertThat(factory("max-deviation: 4, average: 15m").minimumSpan()).isEqualTo(Duration.ofMinutes(15));
    }

    /**
     * Only the readings of the window ending now are judged: a supply that stops reporting at
     * 06:57, under a setback that ends at 07:00, is judged on its last readings against the day's
     * threshold only while they are in the 15-min window; from 07:12 nothing is judged (UNKNOWN, which
     * withdraws the previous answer, whether time or an outdoor reading brings it), until a supply
     * reading comes back. Without an average, the latest reading is judged for up to an hour.
     */
    @Test
    void onlyTheReadingsOfTheWindowEndingNowAreJudged() {
        Detector d = factory("max-deviation: 4, setback: 15, setback-hours: {from: \"20:00\", to: \"07:00\"}, average: 15m")
                .create(PARIS);
        long t = paris("2026-01-13T06:30");
        for (long m = 0; m < 30; m += 3) {
            d.onReading("outdoor", t + m * MINUTE, 0);
            assertThat(d.onReading("supply", t + m * MINUTE, 40)).isEqualTo(Condition.FALSE);
        }
        long seven = paris("2026-01-13T07:00");
        assertThat(d.onTime(seven)).as("06:45-06:57 in the window, against the day's 49.3 °C").isEqualTo(Condition.TRUE);
        assertThat(d.onTime(seven + 11 * MINUTE)).isEqualTo(Condition.TRUE);
        assertThat(d.onTime(seven + 12 * MINUTE)).as("the window (06:57, 07:12] is empty").isEqualTo(Condition.UNKNOWN);
        assertThat(d.onReading("outdoor", seven + 15 * MINUTE, 0)).isEqualTo(Condition.UNKNOWN);
        assertThat(d.unknownWithdraws()).isTrue();
        assertThat(d.onReading("supply", seven + 30 * MINUTE, 55)).isEqualTo(Condition.FALSE);

        Detector latest = factory("max-deviation: 4").create(PARIS);
        latest.onReading("outdoor", t, 0);
        assertThat(latest.onReading("supply", t, 40)).isEqualTo(Condition.TRUE);
        assertThat(latest.onTime(t + 59 * MINUTE)).isEqualTo(Condition.TRUE);
        assertThat(latest.unknownWithdraws()).isFalse();
    }

    /**
     * Four days of a steep curve (80 °C at -7 °C) with a 5 K setback from 22:00 to 05:00 teach the
     * detector what this installation delivers: on the fifth night a supply 12 K under it is no
     * heat, though far above the lowest curve less the allowance; a colder night raises the
     * expectation by at least 1 K per K, a milder one lowers it by at most 2.5 K per K.
     */
    @Test
    void theInstallationsOwnHistoryRaisesTheBoundAtItsHours() {
        DetectorFactory f = factory("max-deviation: 4, setback: 15, floor: 25, history-days: 7, history-margin: 8");
        Detector d = f.create(PARIS);
        long t0 = paris("2026-01-12T00:00");
        for (long t = t0; t < t0 + 4 * DAY; t += 3 * MINUTE) {
            double h = ((t - t0) % DAY) / (double) HOUR;
            d.onReading("outdoor", t, 0);
            double supply = 22 + 58.0 / 27 * 20 - (h >= 22 || h < 5 ? 5 : 0);
            assertThat(d.onReading("supply", t, supply)).as("healthy at %s h", h).isEqualTo(Condition.FALSE);
        }
        long night = t0 + 4 * DAY + 2 * HOUR;
        double usual = 22 + 58.0 / 27 * 20 - 5;
        d.onReading("outdoor", night, 0);
        assertThat(d.onReading("supply", night, usual - 7.9)).isEqualTo(Condition.FALSE);
        assertThat(d.figures().get("usual")).isCloseTo(usual, within(0.01));
        assertThat(d.figures()).containsEntry("history_days", 4.0);
        assertThat(d.onReading("supply", night + MINUTE, usual - 12)).isEqualTo(Condition.TRUE);
        assertThat(d.figures().get("threshold")).isCloseTo(usual - 8, within(0.01));
        d.onReading("outdoor", night + 2 * MINUTE, -2);
        d.onTime(night + 2 * MINUTE);
        assertThat(d.figures().get("usual")).as("2 K colder: at least 1 K/K more").isCloseTo(usual + 2, within(0.01));
        d.onReading("outdoor", night + 3 * MINUTE, 2);
        d.onTime(night + 3 * MINUTE);
        assertThat(d.figures().get("usual")).as("2 K milder: at most 2.5 K/K less").isCloseTo(usual - 5, within(0.01));
        d.onReading("outdoor", night + 4 * MINUTE, 11);
        d.onTime(night + 4 * MINUTE);
        assertThat(d.figures()).as("more than 10 K away: no day compares").doesNotContainKey("usual");

        Detector restored = f.restore(PARIS, Snapshots.jsonRoundTrip(d.state()));
        restored.onReading("outdoor", night + 5 * MINUTE, 0);
        assertThat(restored.onReading("supply", night + 5 * MINUTE, usual - 12)).isEqualTo(Condition.TRUE);
        assertThat(restored.figures().get("usual")).isCloseTo(usual, within(0.01));
    }

    /** Hours that needed no heat (15 °C or more outside) are not learned: a summer supply says nothing of winter. */
    @Test
    void mildHoursAreNotLearned() {
        Detector d = factory("max-deviation: 4, history-days: 3, history-margin: 8").create(PARIS);
        long t0 = paris("2026-05-11T00:00");
        for (long t = t0; t < t0 + 4 * DAY; t += 3 * MINUTE) {
            d.onReading("outdoor", t, 16);
            d.onReading("supply", t, 60);
        }
        d.onReading("outdoor", t0 + 4 * DAY, 10);
        d.onReading("supply", t0 + 4 * DAY, 40);
        assertThat(d.figures()).doesNotContainKey("usual").containsEntry("history_days", 0.0);
    }

    /** Readings under ignore-below (a sensor's impossible values) are left out of the mean: a -40 °C spike is not no heat. */
    @Test
    void readingsUnderIgnoreBelowAreLeftOut() {
        Detector d = factory("max-deviation: 4, average: 15m, ignore-below: -10").create(PARIS);
        long t = paris("2026-01-13T14:00");
        d.onReading("outdoor", t, 0);
        for (int i = 0; i < 15; i++) {
            assertThat(d.onReading("supply", t + i * MINUTE, 55)).isEqualTo(Condition.FALSE);
        }
        for (int i = 15; i < 25; i++) {
            assertThat(d.onReading("supply", t + i * MINUTE, -40)).isEqualTo(Condition.FALSE);
        }
        assertThat(d.figures()).containsEntry("value", 55.0);
        Detector plain = factory("max-deviation: 4, average: 15m").create(PARIS);
        plain.onReading("outdoor", t, 0);
        plain.onReading("supply", t, 55);
        assertThat(plain.onReading("supply", t + MINUTE, -40)).isEqualTo(Condition.TRUE);
    }

    private static final String COOLING = "max-deviation: 4, floor: 25, average: 15m, hysteresis: 2, "
            + "setback: 15, setback-hours: {from: \"20:00\", to: \"07:00\"}, ";
    private static final String NEWTON = "cooling: {toward: 20, horizon: 20m, slowest: 60m, least-fall: 2}";

    /**
     * Feeds a supply at {@code level} until {@code from}, then falling as Newton cooling toward 20 °C
     * with the time constant {@code tau} (min), a reading every 3 min at 12 °C outside (the curve
     * asks 33.3 °C: the bound is 29.3 °C by day, the 25 °C floor at night); returns the minutes from the fall's start to the first
     * TRUE (-1: none within {@code minutes}).
     */
    private static int minutesToTrue(Detector d, long from, double level, double tau, int minutes) {
        for (long m = -60; m < 0; m += 3) {
            d.onReading("outdoor", from + m * MINUTE, 12);
            assertThat(d.onReading("supply", from + m * MINUTE, level)).isEqualTo(Condition.FALSE);
        }
        for (int m = 0; m <= minutes; m += 3) {
            d.onReading("outdoor", from + m * MINUTE, 12);
            double supply = 20 + (level - 20) * Math.exp(-m / tau);
            if (d.onReading("supply", from + m * MINUTE, supply) == Condition.TRUE) {
                return m;
            }
        }
        return -1;
    }

    /**
     * A stop on a slow circuit (40 min time constant) from 35 °C by day: the 15-min mean reaches the
     * 29.3 °C bound after more than 20 minutes; its fall, judged by Newton's law, says it within 15
     * minutes, as the 20 minutes of cooling ahead bring the supply under it, and the figures say how fast it
     * cools. Without {@code cooling}, the mean alone.
     */
    @Test
    void aFallAtTheCircuitsOwnCoolingIsJudgedWhereItLeadsWithinTheHorizon() {
        long day = paris("2026-01-13T14:00");
        Detector newton = factory(COOLING + NEWTON).create(PARIS);
        int withCooling = minutesToTrue(newton, day, 35, 40, 90);
        assertThat(withCooling).isBetween(6, 15);
        assertThat(newton.figures().get("projected")).isLessThan(newton.figures().get("threshold"));
        assertThat(newton.figures().get("cooling_minutes")).isBetween(30.0, 60.0);
        assertThat(newton.figures().get("value")).as("the supply measured, not projected")
                .isGreaterThan(newton.figures().get("threshold"));
        int meanOnly = minutesToTrue(factory(COOLING.substring(0, COOLING.length() - 2)).create(PARIS), day, 35, 40, 90);
        assertThat(meanOnly).isGreaterThan(withCooling + 9);
        // Once TRUE, the tail of the fall (slower in kelvins) keeps it until the mean is under the floor.
        for (int m = withCooling + 3; m <= 90; m += 3) {
            newton.onReading("outdoor", day + m * MINUTE, 12);
            assertThat(newton.onReading("supply", day + m * MINUTE, 20 + 15 * Math.exp(-m / 40.0)))
                    .as("minute %s", m).isEqualTo(Condition.TRUE);
        }
    }

    /**
     * Falls that are not a stop are not projected: one slower than the slowest circuit (a 90 min
     * time constant), and, in the setback hours, a fall of up to the 15 K allowance from the last
     * hour's level (a controller's setback at the circuit's own cooling). A burner's swing of 2.5 K
     * on a 15 min cycle may be projected for a few minutes of its fall, never for the 20 minutes of
     * the rule's hold: it reverses within its cycle.
     */
    @Test
    void fallsThatAreNotAStopAreNotProjected() {
        long day = paris("2026-01-13T14:00");
        assertThat(minutesToTrue(factory(COOLING + NEWTON).create(PARIS), day, 35, 90, 30)).isEqualTo(-1);
        Detector swing = factory(COOLING + NEWTON).create(PARIS);
        int run = 0;
        int longest = 0;
        for (int m = 0; m < 240; m += 3) {
            swing.onReading("outdoor", day + m * MINUTE, 12);
            run = swing.onReading("supply", day + m * MINUTE, (m % 15) < 6 ? 32.5 : 30) == Condition.TRUE ? run + 3 : 0;
            longest = Math.max(longest, run);
        }
        assertThat(longest).as("longest run of TRUE, min").isLessThan(15);
        // 21:00: from 45 °C toward 30 °C at a 40 min time constant; the curve less the allowance asks
        // 14.3 °C, the floor 25 °C. The projection stops at 45 - 15 = 30 °C.
        Detector setback = factory(COOLING + NEWTON).create(PARIS);
        long night = paris("2026-01-13T21:00");
        for (long m = -60; m < 120; m += 3) {
            setback.onReading("outdoor", night + m * MINUTE, 12);
            double supply = m < 0 ? 45 : Math.max(30, 20 + 25 * Math.exp(-m / 40.0));
            assertThat(setback.onReading("supply", night + m * MINUTE, supply)).as("minute %s", m).isEqualTo(Condition.FALSE);
            if (m == 15) {
                assertThat(setback.figures().get("projected")).isGreaterThanOrEqualTo(30);
            }
        }
        // The same fall by day is projected (no setback explains it), and toward 20 °C it is a stop.
        assertThat(minutesToTrue(factory(COOLING + NEWTON).create(PARIS), day, 45, 40, 60)).isBetween(0, 45);
    }

    /** A detector restored from a JSON-round-tripped snapshot mid-fall gives the same verdicts as one never stopped. */
    @Test
    void theFallAndTheLastHoursLevelSurviveARestart() {
        DetectorFactory f = factory(COOLING + NEWTON);
        Detector live = f.create(PARIS);
        long night = paris("2026-01-13T21:00");
        java.util.function.LongToDoubleFunction supply = m -> m < 0 ? 45 : 20 + 25 * Math.exp(-m / 40.0);
        for (long m = -60; m <= 6; m += 3) {
            live.onReading("outdoor", night + m * MINUTE, 12);
            live.onReading("supply", night + m * MINUTE, supply.applyAsDouble(m));
        }
        Detector restored = f.restore(PARIS, Snapshots.jsonRoundTrip(live.state()));
        for (long m = 9; m <= 90; m += 3) {
            live.onReading("outdoor", night + m * MINUTE, 12);
            restored.onReading("outdoor", night + m * MINUTE, 12);
            Condition a = live.onReading("supply", night + m * MINUTE, supply.applyAsDouble(m));
            assertThat(restored.onReading("supply", night + m * MINUTE, supply.applyAsDouble(m))).as("minute %s", m)
                    .isEqualTo(a);
            assertThat(restored.figures()).isEqualTo(live.figures());
        }
    }

    /** Wrong options are reported with their names. */
    @Test
    void wrongOptionsAreReported() {
        assertThat(problems("max-deviation: 4, setback: -1")).anyMatch(m -> m.contains("setback"));
        assertThat(problems("max-deviation: 4, setback-hours: {from: \"25:00\", to: \"07:00\"}")).anyMatch(m -> m.contains("from"));
        assertThat(problems("max-deviation: 4, setback-hours: {from: \"07:00\", to: \"07:00\"}")).anyMatch(m -> m.contains("setback-hours"));
        assertThat(problems("max-deviation: 4, history-days: 2, history-margin: 8")).anyMatch(m -> m.contains("history-days"));
        assertThat(problems("max-deviation: 4, history-days: 7")).anyMatch(m -> m.contains("history-margin"));
        assertThat(problems("max-deviation: 4, average: -5m")).isNotEmpty();
        assertThat(problems("max-deviation: 4, " + NEWTON)).anyMatch(m -> m.contains("cooling"));
        assertThat(problems("max-deviation: 4, average: 15m, cooling: {toward: 20, horizon: 0s, slowest: 60m}"))
                .anyMatch(m -> m.contains("cooling"));
        assertThat(problems("max-deviation: 4, average: 15m, cooling: {horizon: 20m, slowest: 60m}"))
                .anyMatch(m -> m.contains("toward"));
    }

    private static List<String> problems(String params) {
        Problems problems = new Problems("test");
        DetectorParams p = new DetectorParams(YamlNode.parse("{supply: supply, outdoor: outdoor, " + CURVE + params + "}"),
                "params", problems, Set.of("supply", "outdoor"));
        DetectorRegistry.standard().kind("heating-curve").configure(p);
        p.finish();
        return problems.messages();
    }
}
