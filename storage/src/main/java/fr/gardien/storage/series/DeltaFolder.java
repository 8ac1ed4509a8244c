package fr.gardien.storage.series;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Folds one range's daily rollup rows into the deltas of its calendar buckets, as
 * {@link BucketFolder} does for {@link Aggregate#DELTA} (same steps, added in the same order), with
 * primitive arrays reused from range to range instead of an object per row and per bucket.
 */
final class DeltaFolder {

    private final Bucket bucket;
    private final DeltaSink sink;
    /** The bucket start of each day start seen, per zone: every range of a zone has the same days. */
    private final Map<ZoneId, Map<Long, Long>> bucketOfDay = new HashMap<>();
    private long[] days = new long[400];
    private double[] firsts = new double[400];
    private double[] lasts = new double[400];
    private double[] increases = new double[400];
    private int rows;
    private boolean ordered = true;
    /** The answer for the range just folded, handed to the sink. */
    long[] starts = new long[400];
    double[] deltas = new double[400];

    DeltaFolder(Bucket bucket, DeltaSink sink) {
        this.bucket = bucket;
        this.sink = sink;
    }

    /** One daily rollup row of the current range: its day's start (epoch seconds), first and last value, and its own delta. */
    void add(long day, double first, double last, double increase) {
        if (rows == days.length) {
            int size = rows * 2;
            days = Arrays.copyOf(days, size);
            firsts = Arrays.copyOf(firsts, size);
            lasts = Arrays.copyOf(lasts, size);
            increases = Arrays.copyOf(increases, size);
        }
        if (rows > 0 && days[rows - 1] >= day) {
            ordered = false;
        }
        days[rows] = day;
        firsts[rows] = first;
        lasts[rows] = last;
        increases[rows] = increase;
        rows++;
    }

    /**
     * Puts a day in place of the current range's row for it, if any: {@code firstLastIncrease}
     * holds its first value, last value and delta, or is null to remove the day.
     */
    void replace(long day, double[] firstLastIncrease) {
        for (int k = 0; k < rows; k++) {
            if (days[k] == day) {
                if (firstLastIncrease == null) {
                    int tail = rows - k - 1;
                    System.arraycopy(days, k + 1, days, k, tail);
                    System.arraycopy(firsts, k + 1, firsts, k, tail);
                    System.arraycopy(lasts, k + 1, lasts, k, tail);
                    System.arraycopy(increases, k + 1, increases, k, tail);
                    rows--;
                } else {
                    firsts[k] = firstLastIncrease[0];
                    lasts[k] = firstLastIncrease[1];
                    increases[k] = firstLastIncrease[2];
                }
                return;
            }
        }
        if (firstLastIncrease != null) {
            add(day, firstLastIncrease[0], firstLastIncrease[1], firstLastIncrease[2]);
        }
    }

    /**
     * Folds the current range's rows and hands its buckets to the sink.
     *
     * @param previousLast the last value before the range (its step into the first row counts), NaN when none
     */
    void finish(int index, ZoneId zone, double previousLast) {
        if (!ordered) {
            sortRows();
        }
        if (starts.length < rows) {
            starts = new long[days.length];
            deltas = new double[days.length];
        }
        Map<Long, Long> bucketStarts = bucketOfDay.computeIfAbsent(zone, z -> new HashMap<>());
        double previous = previousLast;
        int n = 0;
        for (int k = 0; k < rows; k++) {
            // A decrease is a meter reset or replacement: it adds nothing (see Aggregate.DELTA).
            double step = increases[k] + (Double.isNaN(previous) ? 0 : Math.max(0, firsts[k] - previous));
            previous = lasts[k];
            long start = bucketStarts.computeIfAbsent(days[k],
                    day -> bucket.floor(Instant.ofEpochSecond(day), zone).getEpochSecond());
            if (n > 0 && starts[n - 1] == start) {
                deltas[n - 1] += step;
            } else {
                starts[n] = start;
                deltas[n] = 0.0 + step; // as BucketFolder, whose bucket sum starts at 0
                n++;
            }
        }
        rows = 0;
        ordered = true;
        sink.accept(index, starts, deltas, n);
    }

    private void sortRows() {
        int[] order = IntStream.range(0, rows).boxed().sorted(Comparator.comparingLong(k -> days[k]))
                .mapToInt(Integer::intValue).toArray();
        long[] d = new long[days.length];
        double[] f = new double[days.length];
        double[] l = new double[days.length];
        double[] inc = new double[days.length];
        for (int k = 0; k < rows; k++) {
            d[k] = days[order[k]];
            f[k] = firsts[order[k]];
            l[k] = lasts[order[k]];
            inc[k] = increases[order[k]];
        }
        days = d;
        firsts = f;
        lasts = l;
        increases = inc;
    }
}
