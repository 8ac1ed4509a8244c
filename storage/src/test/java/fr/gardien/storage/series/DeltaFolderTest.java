package fr.gardien.storage.series;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The lean delta folding against BucketFolder, the folding every other answer uses. */
class DeltaFolderTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    /** One daily rollup row: its day's start, first and last value, and own delta. */
    private record Day(Instant start, double first, double last, double increase) {
    }

    /** Days, weeks and months over both DST changes, across meter resets, give BucketFolder's deltas exactly. */
    @Test
    void deltasPerCalendarBucketAreBucketFoldersExactly() {
        List<Day> days = days(LocalDate.of(2026, 1, 3), 400, 11);
        for (Bucket bucket : List.of(Bucket.DAY, Bucket.WEEK, Bucket.MONTH)) {
            for (double previous : new double[] {Double.NaN, 3.5, 1e9}) {
                List<long[]> starts = new ArrayList<>();
                List<double[]> deltas = new ArrayList<>();
                DeltaFolder folder = new DeltaFolder(bucket, (index, s, d, n) -> {
                    starts.add(java.util.Arrays.copyOf(s, n));
                    deltas.add(java.util.Arrays.copyOf(d, n));
                });
                days.forEach(day -> folder.add(day.start().getEpochSecond(), day.first(), day.last(), day.increase()));
                folder.finish(0, PARIS, previous);

                List<BucketStats> expected = bucketFolder(bucket, days, previous);
                assertThat(starts).hasSize(1);
                assertThat(starts.get(0)).as(bucket.text()).containsExactly(
                        expected.stream().mapToLong(b -> b.start().getEpochSecond()).toArray());
                assertThat(deltas.get(0)).as(bucket.text() + " after " + previous).containsExactly(
                        expected.stream().mapToDouble(b -> b.value(Aggregate.DELTA)).toArray());
            }
        }
    }

    /** Rows that come out of order are put back in order before they are folded. */
    @Test
    void rowsOutOfOrderAreSortedFirst() {
        List<Day> days = days(LocalDate.of(2026, 3, 20), 30, 12);
        List<Day> shuffled = new ArrayList<>(days);
        Collections.shuffle(shuffled, new Random(3));
        List<double[]> deltas = new ArrayList<>();
        DeltaFolder folder = new DeltaFolder(Bucket.DAY, (index, s, d, n) -> deltas.add(java.util.Arrays.copyOf(d, n)));
        shuffled.forEach(day -> folder.add(day.start().getEpochSecond(), day.first(), day.last(), day.increase()));
        folder.finish(0, PARIS, Double.NaN);
        assertThat(deltas.get(0)).containsExactly(
                bucketFolder(Bucket.DAY, days, Double.NaN).stream().mapToDouble(BucketStats::increase).toArray());
    }

    /** Successive ranges reuse the folder: each range is folded from its own rows and previous value only. */
    @Test
    void successiveRangesAreFoldedIndependently() {
        List<Day> first = days(LocalDate.of(2026, 10, 20), 10, 13);
        List<Day> second = days(LocalDate.of(2026, 10, 22), 3, 14);
        List<Integer> indexes = new ArrayList<>();
        List<double[]> deltas = new ArrayList<>();
        DeltaFolder folder = new DeltaFolder(Bucket.DAY, (index, s, d, n) -> {
            indexes.add(index);
            deltas.add(java.util.Arrays.copyOf(d, n));
        });
        first.forEach(day -> folder.add(day.start().getEpochSecond(), day.first(), day.last(), day.increase()));
        folder.finish(0, PARIS, 1.0);
        second.forEach(day -> folder.add(day.start().getEpochSecond(), day.first(), day.last(), day.increase()));
        folder.finish(1, PARIS, Double.NaN);
        folder.finish(2, PARIS, 5.0);
        assertThat(indexes).containsExactly(0, 1, 2);
        assertThat(deltas.get(0)).containsExactly(bucketFolder(Bucket.DAY, first, 1.0).stream().mapToDouble(BucketStats::increase).toArray());
        assertThat(deltas.get(1)).containsExactly(
                bucketFolder(Bucket.DAY, second, Double.NaN).stream().mapToDouble(BucketStats::increase).toArray());
        assertThat(deltas.get(2)).isEmpty();
    }

    private static List<BucketStats> bucketFolder(Bucket bucket, List<Day> days, double previous) {
        Instant from = bucket.floor(days.get(0).start(), PARIS);
        Instant to = bucket.ceil(days.get(days.size() - 1).start().plusSeconds(1), PARIS);
        BucketFolder folder = new BucketFolder(bucket, PARIS, from, to, previous);
        days.forEach(d -> folder.add(d.start(), 96, 0, Math.min(d.first(), d.last()), Math.max(d.first(), d.last()), d.first(),
                d.last(), d.increase()));
        return folder.finish();
    }

    /**
     * {@code n} consecutive local days of a meter index (a few days missing), with a meter
     * replaced now and then (its index starts low again).
     */
    private static List<Day> days(LocalDate first, int n, long seed) {
        Random random = new Random(seed);
        List<Day> days = new ArrayList<>();
        double index = 1000;
        for (int i = 0; i < n; i++) {
            if (random.nextInt(15) == 0) {
                continue; // a day without readings
            }
            double start = random.nextInt(40) == 0 ? random.nextDouble() * 5 : index + random.nextDouble() * 2;
            double increase = random.nextDouble() * 30;
            index = start + increase;
            days.add(new Day(first.plusDays(i).atStartOfDay(PARIS).toInstant(), start, index, increase));
        }
        return days;
    }
}
