package fr.gardien.rules.detect;

import static fr.gardien.rules.detect.Snapshots.DAY;
import static fr.gardien.rules.detect.Snapshots.HOUR;
import static fr.gardien.rules.detect.Snapshots.MINUTE;
import static fr.gardien.rules.detect.Snapshots.PARIS;
import static fr.gardien.rules.detect.Snapshots.paris;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class DegreeDayConsumptionDetectorTest {

    /** One evaluated local day: the verdict and the figures. */
    record Verdict(LocalDate day, Condition condition, Map<String, Double> figures) {
    }

    /**
     * Feeds every 10 minutes from {@code from} to {@code to} an outdoor temperature
     * {@code outdoor(t)} and an energy index growing at {@code kWhPerDegreeDay × (18 − outdoor)} per
     * day, and returns the verdict given as each local day completed.
     */
    private static List<Verdict> feed(DegreeDayConsumptionDetector d, long from, long to, double[] index,
            DoubleUnaryOperator outdoorAt, DoubleUnaryOperator kWhPerDegreeDayAt, Random noise) {
        List<Verdict> verdicts = new ArrayList<>();
        LocalDate previousDay = null;
        long step = 10 * MINUTE;
        for (long t = from; t < to; t += step) {
            LocalDate day = Instant.ofEpochSecond(t / 1_000_000).atZone(PARIS).toLocalDate();
            double outdoor = outdoorAt.applyAsDouble(t) + (noise == null ? 0 : 0.5 * noise.nextGaussian());
            d.onReading("outdoor", t, outdoor);
            Condition c = d.onReading("energy", t, index[0]);
            if (previousDay != null && !day.equals(previousDay)) {
                verdicts.add(new Verdict(previousDay, c, d.figures()));
            }
            previousDay = day;
            double perDay = kWhPerDegreeDayAt.applyAsDouble(t) * Math.max(0, 18 - outdoorAt.applyAsDouble(t));
            double increment = perDay * step / DAY;
            index[0] += noise == null ? increment : Math.max(0, increment * (1 + 0.2 * noise.nextGaussian()));
        }
        return verdicts;
    }

    private static DegreeDayConsumptionDetector boiler(double ratioLimit) {
        return new DegreeDayConsumptionDetector("energy", "outdoor", PARIS, 7, ratioLimit, true);
    }

    /** Energy per degree-day is the day's consumption over 18 − its mean outdoor temperature, against the median of previous days. */
    @Test
    void itComparesEnergyPerDegreeDayWithThePreviousDays() {
        DegreeDayConsumptionDetector d = boiler(1.3);
        long from = paris("2025-01-06T00:00");
        double[] index = {100_000};
        List<Verdict> verdicts = feed(d, from, from + 6 * DAY + 10 * MINUTE, index, t -> 5 + Math.floor((t - from) / DAY),
                t -> 10, null);

        assertThat(verdicts).extracting(Verdict::condition).containsExactly(Condition.UNKNOWN, Condition.UNKNOWN,
                Condition.UNKNOWN, Condition.FALSE, Condition.FALSE, Condition.FALSE);
        Map<String, Double> last = verdicts.get(5).figures();
        assertThat(last.get("degree_days")).isCloseTo(8, within(1e-9));
        assertThat(last.get("per_degree_day")).isCloseTo(10, within(1e-6));
        assertThat(last.get("baseline")).isCloseTo(10, within(1e-6));
        assertThat(last.get("ratio")).isCloseTo(1, within(1e-6));
    }

    /** Exactly ratioLimit times the baseline is FALSE; more is TRUE. */
    @Test
    void exactlyAtTheRatioLimitIsFalseAndAboveItIsTrue() {
        DegreeDayConsumptionDetector d = new DegreeDayConsumptionDetector("energy", "outdoor", PARIS, 7, 1.3, false);
        long from = paris("2025-01-06T00:00");
        // Power readings (kW) on the hour: the day's energy is the mean power × 24 h.
        List<Condition> verdicts = new ArrayList<>();
        double[] kW = {130.0 / 24, 130.0 / 24, 130.0 / 24, 169.0 / 24, 169.5 / 24, 130.0 / 24};
        for (int day = 0; day < kW.length; day++) {
            for (int h = 0; h < 24; h++) {
                long t = from + day * DAY + h * HOUR;
                d.onReading("outdoor", t, 5);
                Condition c = d.onReading("energy", t, kW[day]);
                if (h == 0 && day > 0) {
                    verdicts.add(c);
                }
            }
        }
        verdicts.add(d.onTime(from + 6 * DAY));
        // DJU 13: 130 kWh is 10 per degree-day; 169 kWh is 13, exactly 1.3 times; 169.5 is above.
        assertThat(verdicts).containsExactly(Condition.UNKNOWN, Condition.UNKNOWN, Condition.UNKNOWN,
                Condition.FALSE, Condition.TRUE, Condition.FALSE);
    }

    /** A mild day (less than one degree-day) says nothing of the heating. */
    @Test
    void aMildDayIsUnknown() {
        DegreeDayConsumptionDetector d = boiler(1.3);
        long from = paris("2025-04-07T00:00");
        List<Verdict> verdicts = feed(d, from, from + 5 * DAY + 10 * MINUTE, new double[] {0},
                t -> t < from + 4 * DAY ? 10 : 17.5, t -> 10, null);
        assertThat(verdicts.get(3).condition()).isEqualTo(Condition.FALSE);
        assertThat(verdicts.get(4).condition()).isEqualTo(Condition.UNKNOWN);
        assertThat(verdicts.get(4).figures()).containsEntry("degree_days", 0.5).doesNotContainKey("ratio");
    }

    /** The 23- and 25-hour days of Europe/Paris are scaled to 24 h, so even a 2 % limit stays FALSE across them. */
    @Test
    void dstDaysInParisCompareFairlyWithOthers() {
        for (String night : List.of("2025-03-30", "2025-10-26")) {
            DegreeDayConsumptionDetector d = boiler(1.02);
            long from = paris(night + "T00:00") - 5 * DAY;
            List<Verdict> verdicts = feed(d, from, from + 8 * DAY + 10 * MINUTE, new double[] {0}, t -> 8, t -> 10, null);
            Verdict dst = verdicts.stream().filter(v -> v.day().toString().equals(night)).findFirst().orElseThrow();

            assertThat(dst.condition()).as(night).isEqualTo(Condition.FALSE);
            assertThat(dst.figures().get("ratio")).as(night).isCloseTo(1, within(1e-6));
            assertThat(verdicts.subList(3, verdicts.size())).extracting(Verdict::condition).as(night)
                    .containsOnly(Condition.FALSE);
        }
    }

    /** A day whose outdoor probe was silent for ten hours has no verdict, nor has a day without any data once it is over. */
    @Test
    void aGapInTheOutdoorDataIsUnknown() {
        DegreeDayConsumptionDetector d = boiler(1.3);
        long from = paris("2025-01-06T00:00");
        double[] index = {0};
        feed(d, from, from + 4 * DAY + 10 * MINUTE, index, t -> 5, t -> 10, null);
        assertThat(d.onTime(from + 4 * DAY + 10 * MINUTE)).isEqualTo(Condition.FALSE);

        for (long t = from + 4 * DAY + 10 * MINUTE; t < from + 5 * DAY + 10 * MINUTE; t += 10 * MINUTE) {
            long hourOfDay = (t - from - 4 * DAY) / HOUR;
            if (hourOfDay < 8 || hourOfDay >= 18) {
                d.onReading("outdoor", t, 5);
            }
            d.onReading("energy", t, index[0]);
            index[0] += 130.0 / 144;
        }
        assertThat(d.onTime(from + 5 * DAY + 10 * MINUTE)).isEqualTo(Condition.UNKNOWN);
        assertThat(d.figures()).doesNotContainKey("degree_days");

        DegreeDayConsumptionDetector quiet = boiler(1.3);
        feed(quiet, from, from + 4 * DAY + 10 * MINUTE, new double[] {0}, t -> 5, t -> 10, null);
        // The index's day is complete once no later reading could be spread into it: 2 h after its end.
        assertThat(quiet.onTime(from + 5 * DAY + 2 * HOUR - 1)).isEqualTo(Condition.FALSE);
        assertThat(quiet.onTime(from + 5 * DAY + 2 * HOUR)).isEqualTo(Condition.UNKNOWN);
    }

    /** An energy index reset by a meter replacement mid-day neither raises nor hides anything. */
    @Test
    void aMeterReplacementIsNotAnAnomaly() {
        DegreeDayConsumptionDetector d = boiler(1.3);
        long from = paris("2025-01-06T00:00");
        double[] index = {987_654};
        List<Verdict> verdicts = feed(d, from, from + 4 * DAY + 13 * HOUR, index, t -> 5, t -> 10, null);
        index[0] = 12;
        verdicts.addAll(feed(d, from + 4 * DAY + 13 * HOUR, from + 6 * DAY + 10 * MINUTE, index, t -> 5, t -> 10, null));
        assertThat(verdicts.subList(3, verdicts.size())).extracting(Verdict::condition).containsOnly(Condition.FALSE);
        assertThat(verdicts.get(4).figures().get("ratio")).isCloseTo(1, within(1e-6));
    }

    /** A detector restored mid-day from a JSON-round-tripped snapshot gives the same verdicts as one never stopped. */
    @Test
    void aRestoredDetectorGivesTheSameVerdicts() {
        long from = paris("2025-01-06T00:00");
        long cut = from + 6 * DAY + 15 * HOUR + 20 * MINUTE;
        DegreeDayConsumptionDetector live = boiler(1.3);
        double[] index = {5};
        DoubleUnaryOperator weather = t -> 4 + 5 * Math.sin(2 * Math.PI * (t - from) / DAY);
        feed(live, from, cut, index, weather, t -> 10, new Random(1));
        DegreeDayConsumptionDetector restored = DegreeDayConsumptionDetector.restore("energy", "outdoor", PARIS, 7, 1.3,
                true, Snapshots.jsonRoundTrip(live.state()));

        DoubleUnaryOperator drift = t -> t < cut + DAY ? 10 : 16;
        List<Verdict> expected = feed(live, cut, cut + 4 * DAY, new double[] {index[0]}, weather, drift, new Random(2));
        List<Verdict> actual = feed(restored, cut, cut + 4 * DAY, new double[] {index[0]}, weather, drift, new Random(2));

        assertThat(actual).isEqualTo(expected);
        assertThat(actual).extracting(Verdict::condition).contains(Condition.FALSE, Condition.TRUE);
    }

    /** Three weeks of a healthy boiler in changing winter weather never alert; 50 % more energy per degree-day does. */
    @Test
    void aHealthyNoisyWinterStaysFalseAndADegradedBoilerBecomesTrue() {
        Random random = new Random(99);
        DegreeDayConsumptionDetector d = new DegreeDayConsumptionDetector("energy", "outdoor", PARIS, 14, 1.3, true);
        long from = paris("2025-01-06T00:00");
        double[] index = {250_000};
        double[] dailyMean = new double[30];
        for (int i = 0; i < dailyMean.length; i++) {
            dailyMean[i] = 4 + 4 * random.nextGaussian();
        }
        DoubleUnaryOperator weather = t -> Math.min(16, dailyMean[(int) ((t - from) / DAY)])
                + 3 * Math.sin(2 * Math.PI * (t - from) / DAY);
        List<Verdict> healthy = feed(d, from, from + 21 * DAY, index, weather,
                t -> 40 * (1 + 0.05 * Math.sin((t - from) / (3.0 * DAY))), random);
        assertThat(healthy.subList(3, healthy.size())).extracting(Verdict::condition).doesNotContain(Condition.TRUE)
                .contains(Condition.FALSE);

        List<Verdict> degraded = feed(d, from + 21 * DAY, from + 24 * DAY, index, weather, t -> 60, random);
        assertThat(degraded).extracting(Verdict::condition).contains(Condition.TRUE);
        Verdict first = degraded.stream().filter(v -> v.condition() == Condition.TRUE).findFirst().orElseThrow();
        assertThat(first.figures().get("ratio")).isCloseTo(1.5, within(0.1));
    }
}
