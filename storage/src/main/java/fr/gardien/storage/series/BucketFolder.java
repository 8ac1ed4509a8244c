package fr.gardien.storage.series;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Folds rows in ascending time (raw readings, or hourly or daily rollup rows) into buckets. The
 * same code folds every source, which is why a rollup answers as the raw readings do.
 */
final class BucketFolder {

    private final Bucket bucket;
    private final ZoneId zone;
    private final Instant from;
    private final Instant to;
    private final List<BucketStats> out = new ArrayList<>();
    private double previousLast;
    private Instant start;
    private Instant end;
    private long count;
    private double sum;
    private double min;
    private double max;
    private double first;
    private double last;
    private double increase;

    /**
     * @param previousLast the last value before {@code from} (the step into the first reading
     *     counts for delta), NaN when there is none
     */
    BucketFolder(Bucket bucket, ZoneId zone, Instant from, Instant to, double previousLast) {
        this.bucket = bucket;
        this.zone = zone;
        this.from = from;
        this.to = to;
        this.previousLast = previousLast;
    }

    /** Adds one row starting at {@code t}; rows come in ascending time, rows outside [from, to) are skipped. */
    void add(Instant t, long n, double rowSum, double rowMin, double rowMax, double rowFirst, double rowLast,
             double rowIncrease) {
        if (t.isBefore(from) || !t.isBefore(to)) {
            return;
        }
        if (end == null || !t.isBefore(end)) {
            Instant previousEnd = end;
            emit();
            // Consecutive buckets are the common case: the next one starts where this one ended.
            Instant next = previousEnd == null ? null : bucket.next(previousEnd, zone);
            if (next != null && t.isBefore(next)) {
                start = previousEnd;
                end = next;
            } else {
                start = bucket.floor(t, zone);
                end = bucket.next(start, zone);
            }
            count = 0;
            sum = 0;
            min = Double.POSITIVE_INFINITY;
            max = Double.NEGATIVE_INFINITY;
            first = rowFirst;
            increase = 0;
        }
        count += n;
        sum += rowSum;
        min = Math.min(min, rowMin);
        max = Math.max(max, rowMax);
        last = rowLast;
        // A decrease is a meter reset or replacement: it adds nothing (see Aggregate.DELTA).
        increase += rowIncrease + (Double.isNaN(previousLast) ? 0 : Math.max(0, rowFirst - previousLast));
        previousLast = rowLast;
    }

    /** Adds one raw reading. */
    void add(Instant t, double value) {
        add(t, 1, value, value, value, value, value, 0);
    }

    /** The buckets that have readings, ascending. */
    List<BucketStats> finish() {
        emit();
        return out;
    }

    private void emit() {
        if (end != null && count > 0) {
            out.add(new BucketStats(start, count, sum, min, max, first, last, increase));
        }
        end = null;
    }
}
