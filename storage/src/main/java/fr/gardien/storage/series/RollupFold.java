package fr.gardien.storage.series;

/**
 * What a rollup keeps of a run of one point's numeric readings, each time once: count, sum, min,
 * max, the first and last value with their times, and the increase (the sum of the positive steps
 * between consecutive readings; a decrease is a meter reset and adds nothing, see
 * {@link Aggregate#DELTA}). An hour row, a day row and a writer's segment are all folds.
 *
 * <p>Two folds combine exactly when one lies wholly after the other ({@link #append}); a fold
 * that overlaps another cannot be combined without the readings, because a time they share may
 * be the same reading stored twice (it counts once) and a reading between two others changes
 * the steps. That case is what {@link #after} tells, and the caller refolds from the raw
 * readings. Mutable; not thread-safe.
 */
final class RollupFold {

    long count;
    double sum;
    double min;
    double max;
    long firstMicros;
    double first;
    long lastMicros;
    double last;
    double increase;

    RollupFold(long count, double sum, double min, double max, long firstMicros, double first, long lastMicros,
            double last, double increase) {
        this.count = count;
        this.sum = sum;
        this.min = min;
        this.max = max;
        this.firstMicros = firstMicros;
        this.first = first;
        this.lastMicros = lastMicros;
        this.last = last;
        this.increase = increase;
    }

    RollupFold copy() {
        return new RollupFold(count, sum, min, max, firstMicros, first, lastMicros, last, increase);
    }

    /** True when every reading of {@code next} is later than every reading of this fold. */
    boolean before(RollupFold next) {
        // Yes, > and not >=: a shared time may be a reading stored twice, which must count once.
        return next.firstMicros > lastMicros;
    }

    /** Folds {@code next}, which lies wholly after this fold ({@link #before}), into this one. */
    void append(RollupFold next) {
        count += next.count;
        sum += next.sum;
        min = Math.min(min, next.min);
        max = Math.max(max, next.max);
        increase += next.increase + Math.max(0, next.first - last);
        lastMicros = next.lastMicros;
        last = next.last;
    }

    /** Folds {@code earlier}, which lies wholly before this fold, into this one. */
    void prepend(RollupFold earlier) {
        count += earlier.count;
        sum += earlier.sum;
        min = Math.min(min, earlier.min);
        max = Math.max(max, earlier.max);
        increase += earlier.increase + Math.max(0, first - earlier.last);
        firstMicros = earlier.firstMicros;
        first = earlier.first;
    }

    /**
     * The fold of {@code n} readings given by their times and values, in any order, each time
     * once: of readings sharing a time, the smallest value, as the raw series query keeps it.
     * The arrays are sorted in place when they are not in order already.
     *
     * @return null when n is 0
     */
    static RollupFold of(long[] micros, double[] values, int n) {
        if (n == 0) {
            return null;
        }
        boolean ordered = true;
        for (int i = 1; i < n && ordered; i++) {
            ordered = micros[i] > micros[i - 1];
        }
        if (!ordered) {
            sortByTimeThenValue(micros, values, n);
        }
        double v0 = values[0];
        RollupFold f = new RollupFold(1, v0, v0, v0, micros[0], v0, micros[0], v0, 0);
        for (int i = 1; i < n; i++) {
            if (micros[i] == f.lastMicros) {
                continue; // the same time again: the smallest value came first
            }
            double v = values[i];
            f.count++;
            f.sum += v;
            f.min = Math.min(f.min, v);
            f.max = Math.max(f.max, v);
            f.increase += Math.max(0, v - f.last);
            f.lastMicros = micros[i];
            f.last = v;
        }
        return f;
    }

    private static void sortByTimeThenValue(long[] micros, double[] values, int n) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> {
            int c = Long.compare(micros[a], micros[b]);
            return c != 0 ? c : Double.compare(values[a], values[b]);
        });
        long[] m = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            m[i] = micros[order[i]];
            v[i] = values[order[i]];
        }
        System.arraycopy(m, 0, micros, 0, n);
        System.arraycopy(v, 0, values, 0, n);
    }

    @Override
    public String toString() {
        return "RollupFold[count=" + count + ", sum=" + sum + ", min=" + min + ", max=" + max + ", first=" + first + "@"
                + firstMicros + ", last=" + last + "@" + lastMicros + ", increase=" + increase + "]";
    }
}
