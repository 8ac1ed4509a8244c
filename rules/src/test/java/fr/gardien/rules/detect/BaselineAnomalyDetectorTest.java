package fr.gardien.rules.detect;

import static fr.gardien.rules.detect.Snapshots.DAY;
import static fr.gardien.rules.detect.Snapshots.HOUR;
import static fr.gardien.rules.detect.Snapshots.MINUTE;
import static fr.gardien.rules.detect.Snapshots.PARIS;
import static fr.gardien.rules.detect.Snapshots.paris;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class BaselineAnomalyDetectorTest {

    /** One completed hour as the detector judged it: its local start, the verdict and the figures. */
    record Verdict(ZonedDateTime hour, Condition condition, Map<String, Double> figures) {
    }

    /**
     * Feeds a water-meter index read every minute from {@code from} to {@code to}, flowing at
     * {@code flow(localHour)} m3/h, and returns the verdict given as each local hour completed.
     */
    private static List<Verdict> feedIndex(BaselineAnomalyDetector d, long from, long to, double[] index,
            DoubleUnaryOperator flowAtLocalHour, Random noise) {
        List<Verdict> verdicts = new ArrayList<>();
        ZonedDateTime previousHour = null;
        for (long t = from; t < to; t += MINUTE) {
            ZonedDateTime local = Instant.ofEpochSecond(t / 1_000_000).atZone(PARIS);
            ZonedDateTime hour = local.withMinute(0);
            Condition c = d.onReading("volume", t, index[0]);
            if (previousHour != null && !hour.equals(previousHour)) {
                verdicts.add(new Verdict(previousHour, c, d.figures()));
            }
            previousHour = hour;
            double perMinute = flowAtLocalHour.applyAsDouble(local.getHour()) / 60;
            index[0] += noise == null ? perMinute : Math.max(0, perMinute * (1 + 0.3 * noise.nextGaussian()));
        }
        return verdicts;
    }

    /** A household profile of a building's water flow, m3/h by local hour. */
    private static double profile(double hour) {
        if (hour < 6) {
            return 0.05;
        }
        if (hour < 9) {
            return 1.5;
        }
        return hour >= 19 && hour < 22 ? 1.2 : 0.6;
    }

    private static BaselineAnomalyDetector waterMeter() {
        return new BaselineAnomalyDetector("volume", PARIS, 7, 4, 0.05, true);
    }

    /** One mean reading per hour at half past, for the non-cumulative tests. */
    private static Condition hourlyMean(BaselineAnomalyDetector d, long hourStart, double v) {
        return d.onReading("flow", hourStart + 30 * MINUTE, v);
    }

    /** With fewer than three previous days at that hour the detector gives no verdict; with three it does. */
    @Test
    void itIsUnknownUntilThreeDaysOfHistory() {
        BaselineAnomalyDetector d = new BaselineAnomalyDetector("flow", PARIS, 7, 4, 0, false);
        long t0 = paris("2025-01-06T00:00");
        List<Condition> verdicts = new ArrayList<>();
        for (long h = t0; h < t0 + 4 * DAY; h += HOUR) {
            verdicts.add(hourlyMean(d, h, 100));
        }
        // Each reading completes the previous hour: reading i judges hour i − 1.
        assertThat(verdicts.subList(1, 3 * 24 + 1)).containsOnly(Condition.UNKNOWN);
        assertThat(verdicts.subList(3 * 24 + 1, 4 * 24)).containsOnly(Condition.FALSE);
    }

    /** Against a flat history the scale is 10 % of the median: z exactly at the limit is FALSE, above it TRUE. */
    @Test
    void exactlyAtTheZLimitIsFalseAndAboveItIsTrue() {
        BaselineAnomalyDetector d = new BaselineAnomalyDetector("flow", PARIS, 7, 4, 0, false);
        long t0 = paris("2025-01-06T00:00");
        for (long h = t0; h < t0 + 3 * DAY; h += HOUR) {
            hourlyMean(d, h, 100);
        }
        hourlyMean(d, t0 + 3 * DAY, 140);
        assertThat(hourlyMean(d, t0 + 3 * DAY + HOUR, 141)).isEqualTo(Condition.FALSE);
        assertThat(d.figures()).containsEntry("z", 4.0).containsEntry("baseline", 100.0).containsEntry("value", 140.0);
        assertThat(hourlyMean(d, t0 + 3 * DAY + 2 * HOUR, 100)).isEqualTo(Condition.TRUE);
        assertThat(d.figures().get("z")).isCloseTo(4.1, within(1e-9));
    }

    /** The z-score uses the median and the MAD scaled by 1.4826 of the same hour on previous days. */
    @Test
    void theZScoreIsRobustAgainstTheSameHourOfPreviousDays() {
        BaselineAnomalyDetector d = new BaselineAnomalyDetector("flow", PARIS, 7, 4, 0, false);
        long t0 = paris("2025-01-06T00:00");
        double[] history = {10, 14, 12, 500};
        for (int day = 0; day < 4; day++) {
            for (int h = 0; h < 24; h++) {
                hourlyMean(d, t0 + day * DAY + h * HOUR, h == 8 ? history[day] : 1);
            }
        }
        hourlyMean(d, t0 + 4 * DAY + 8 * HOUR, 30);
        assertThat(hourlyMean(d, t0 + 4 * DAY + 9 * HOUR, 1)).isEqualTo(Condition.TRUE);
        // History 10, 12, 14, 500: median 13, deviations 3, 1, 1, 487, MAD 2.
        assertThat(d.figures().get("baseline")).isEqualTo(13.0);
        assertThat(d.figures().get("z")).isCloseTo(17 / (1.4826 * 2), within(1e-9));
        assertThat(d.figures()).containsEntry("history_days", 4.0);
    }

    /** An hour of a meter that never moves at night is only abnormal above minAbsolute. */
    @Test
    void aZeroHistoryAlertsOnlyAboveMinAbsolute() {
        BaselineAnomalyDetector d = new BaselineAnomalyDetector("flow", PARIS, 7, 4, 0.05, false);
        long t0 = paris("2025-01-06T00:00");
        for (long h = t0; h < t0 + 3 * DAY; h += HOUR) {
            hourlyMean(d, h, 0);
        }
        hourlyMean(d, t0 + 3 * DAY, 0.05);
        assertThat(hourlyMean(d, t0 + 3 * DAY + HOUR, 0.3)).as("0.05 is not above 0.05").isEqualTo(Condition.FALSE);
        assertThat(hourlyMean(d, t0 + 3 * DAY + 2 * HOUR, 0)).isEqualTo(Condition.TRUE);
        assertThat(d.figures().get("z")).isCloseTo(6, within(1e-9));
    }

    /** Around both DST nights of Europe/Paris a steady profile stays FALSE; the repeated 02:00 is not a double hour. */
    @Test
    void dstNightsInParisNeitherBreakNorTriggerIt() {
        for (String night : List.of("2025-03-30", "2025-10-26")) {
            BaselineAnomalyDetector d = waterMeter();
            long from = paris(night + "T00:00") - 8 * DAY;
            List<Verdict> verdicts = feedIndex(d, from, from + 11 * DAY, new double[] {1234.5},
                    BaselineAnomalyDetectorTest::profile, null);
            List<Verdict> judged = verdicts.subList(3 * 24, verdicts.size());

            assertThat(judged).extracting(Verdict::condition).as(night).containsOnly(Condition.FALSE);
            List<Verdict> twoOClock = verdicts.stream()
                    .filter(v -> v.hour().toLocalDate().toString().equals(night) && v.hour().getHour() == 2).toList();
            if (night.endsWith("03-30")) {
                assertThat(twoOClock).as("spring: no 02:00").isEmpty();
            } else {
                assertThat(twoOClock).as("autumn: two 02:00 hours").hasSize(2);
                assertThat(twoOClock).allSatisfy(v -> assertThat(v.figures().get("value")).isCloseTo(0.05, within(1e-6)));
            }
        }
    }

    /** A gap in the data leaves its hours without a verdict, and an index reset inside an hour raises nothing. */
    @Test
    void aGapIsUnknownAndAMeterResetIsNotAnAnomaly() {
        BaselineAnomalyDetector d = waterMeter();
        long from = paris("2025-01-06T00:00");
        double[] index = {500};
        feedIndex(d, from, from + 5 * DAY, index, BaselineAnomalyDetectorTest::profile, null);

        long gapStart = from + 5 * DAY;
        assertThat(d.onTime(gapStart + 3 * HOUR)).as("the last verdict still stands").isEqualTo(Condition.FALSE);
        assertThat(d.onTime(gapStart + 3 * HOUR + 1)).isEqualTo(Condition.UNKNOWN);

        long back = gapStart + 6 * HOUR;
        index[0] = 3.2; // the meter was replaced during the gap
        List<Verdict> after = feedIndex(d, back, back + 2 * HOUR + 30 * MINUTE, index,
                BaselineAnomalyDetectorTest::profile, null);
        index[0] = 0.4; // and reset within the next hour
        after.addAll(feedIndex(d, back + 2 * HOUR + 30 * MINUTE, back + 4 * HOUR, index,
                BaselineAnomalyDetectorTest::profile, null));
        assertThat(after).extracting(Verdict::condition).containsOnly(Condition.FALSE);
        assertThat(after).hasSize(3);
    }

    /** A detector restored mid-hour from a JSON-round-tripped snapshot gives the same verdicts as one never stopped. */
    @Test
    void aRestoredDetectorGivesTheSameVerdicts() {
        long from = paris("2025-01-06T00:00");
        long cut = from + 9 * DAY + 13 * HOUR + 17 * MINUTE;
        BaselineAnomalyDetector live = waterMeter();
        double[] index = {42};
        feedIndex(live, from, cut, index, BaselineAnomalyDetectorTest::profile, new Random(3));
        BaselineAnomalyDetector restored = BaselineAnomalyDetector.restore("volume", PARIS, 7, 4, 0.05, true,
                Snapshots.jsonRoundTrip(live.state()));

        double[] a = {index[0]};
        double[] b = {index[0]};
        DoubleUnaryOperator leak = h -> profile(h) + 0.5;
        List<Verdict> expected = feedIndex(live, cut, cut + 2 * DAY, a, leak, new Random(4));
        List<Verdict> actual = feedIndex(restored, cut, cut + 2 * DAY, b, leak, new Random(4));

        assertThat(actual).isEqualTo(expected);
        assertThat(actual).extracting(Verdict::condition).contains(Condition.TRUE);
    }

    /** Three weeks of noisy healthy consumption never alert; a leak of 0.3 m3/h is caught in the first night. */
    @Test
    void aHealthyNoisyWeekStaysFalseAndALeakBecomesTrue() {
        Random random = new Random(2025);
        BaselineAnomalyDetector d = new BaselineAnomalyDetector("volume", PARIS, 14, 4, 0.05, true);
        long from = paris("2025-02-03T00:00");
        double[] index = {10_000};
        List<Verdict> verdicts = new ArrayList<>();
        for (int day = 0; day < 21; day++) {
            double dayFactor = 1 + 0.05 * random.nextGaussian();
            verdicts.addAll(feedIndex(d, from + day * DAY, from + (day + 1) * DAY, index,
                    h -> profile(h) * dayFactor, random));
        }
        assertThat(verdicts.subList(3 * 24, verdicts.size())).extracting(Verdict::condition)
                .containsOnly(Condition.FALSE);

        List<Verdict> leak = feedIndex(d, from + 21 * DAY, from + 22 * DAY, index, h -> profile(h) + 0.3, random);
        Verdict first = leak.stream().filter(v -> v.condition() == Condition.TRUE).findFirst().orElseThrow();
        assertThat(first.hour().getHour()).isLessThan(6);
        assertThat(first.figures().get("value")).isCloseTo(0.35, within(0.05));
        assertThat(first.figures().get("baseline")).isCloseTo(0.05, within(0.01));
    }
}
