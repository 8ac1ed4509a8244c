package fr.gardien.rules.detect;

import java.util.Arrays;

/**
 * The mean of the readings of a sliding time window, with memory and copy cost bounded whatever
 * the rate.
 *
 * <p>Readings are grouped in slices: a reading closer than {@code window / }{@value #SLICES} to the
 * first reading of the newest slice joins it (its sum and count), else it opens a new slice. A
 * slice leaves the window when its newest reading does, so the mean may include readings up to
 * {@code window / }{@value #SLICES} older than the window's start (0.9 s for 15 min). At a reading
 * a minute over a window of minutes, every slice holds one reading and the mean is exact. So the
 * window holds about a thousand slices at most: a detector copy (a lateness checkpoint) copies
 * that much, not every reading of the window (at the ingest benchmark's 300 readings a second a
 * point, 270,000 of them for 15 min).
 *
 * <p>The sum is kept as slices come and go (O(1) per reading) and summed again from the slices
 * when the window has few of them left, so that rounding cannot build up. Single-threaded.
 */
final class WindowMean {

    /** The window over this is the width of a slice. */
    static final int SLICES = 1024;
    private static final int EXACT_SUM_BELOW = 64;

    private final long windowMicros;
    private final long spacing;
    private long[] first;
    private long[] last;
    private double[] sum;
    private int[] count;
    private int head;
    private int size;
    private double total;
    private long readings;

    WindowMean(long windowMicros) {
        this(windowMicros, 8);
    }

    private WindowMean(long windowMicros, int capacity) {
        this.windowMicros = windowMicros;
        this.spacing = Math.max(1, windowMicros / SLICES);
        first = new long[capacity];
        last = new long[capacity];
        sum = new double[capacity];
        count = new int[capacity];
    }

    /** A reading (in time order, as the detectors take them). */
    void add(long epochMicros, double value) {
        if (size > 0) {
            int newest = slot(size - 1);
            if (epochMicros - first[newest] < spacing) {
                sum[newest] += value;
                count[newest]++;
                last[newest] = Math.max(last[newest], epochMicros);
                total += value;
                readings++;
                return;
            }
        }
        append(epochMicros, epochMicros, value, 1);
        total += value;
        readings++;
    }

    /** The mean of the window ending at {@code now}, NaN when it holds no reading. */
    double mean(long now) {
        long start = now - windowMicros;
        boolean dropped = false;
        while (size > 0 && last[head] <= start) {
            total -= sum[head];
            readings -= count[head];
            head = (head + 1) % first.length;
            size--;
            dropped = true;
        }
        if (size == 0) {
            total = 0;
            readings = 0;
            return Double.NaN;
        }
        if (dropped && size <= EXACT_SUM_BELOW) {
            total = 0;
            for (int i = 0; i < size; i++) {
                total += sum[slot(i)];
            }
        }
        return total / readings;
    }

    /** An independent copy, as large as what it holds. */
    WindowMean copy() {
        WindowMean c = new WindowMean(windowMicros, Math.max(8, Integer.highestOneBit(Math.max(1, size)) * 2));
        for (int i = 0; i < size; i++) {
            int s = slot(i);
            c.append(first[s], last[s], sum[s], count[s]);
        }
        c.total = total;
        c.readings = readings;
        return c;
    }

    /** The slices' newest times, oldest first (the state saved; restored by {@link #restore}). */
    long[] times() {
        long[] t = new long[size];
        for (int i = 0; i < size; i++) {
            t[i] = last[slot(i)];
        }
        return t;
    }

    /** The slices' means, oldest first. */
    double[] means() {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = sum[slot(i)] / count[slot(i)];
        }
        return v;
    }

    /** The slices' reading counts, oldest first. */
    long[] counts() {
        long[] n = new long[size];
        for (int i = 0; i < size; i++) {
            n[i] = count[slot(i)];
        }
        return n;
    }

    /**
     * A window restored from saved slices: {@code times} and {@code means} of each, and their counts
     * ({@code null}, or shorter, for a state saved reading by reading: one each).
     */
    static WindowMean restore(long windowMicros, long[] times, double[] means, long[] counts) {
        WindowMean w = new WindowMean(windowMicros, Math.max(8, Integer.highestOneBit(Math.max(1, times.length)) * 2));
        for (int i = 0; i < times.length && i < means.length; i++) {
            int n = counts != null && i < counts.length ? (int) Math.max(1, counts[i]) : 1;
            w.append(times[i], times[i], means[i] * n, n);
            w.total += means[i] * n;
            w.readings += n;
        }
        return w;
    }

    /** How many slices the window holds (for tests). */
    int slices() {
        return size;
    }

    private int slot(int i) {
        return (head + i) % first.length;
    }

    private void append(long firstMicros, long lastMicros, double slotSum, int slotCount) {
        if (size == first.length) {
            int capacity = size * 2;
            long[] f = new long[capacity];
            long[] l = new long[capacity];
            double[] s = new double[capacity];
            int[] n = new int[capacity];
            for (int i = 0; i < size; i++) {
                int from = slot(i);
                f[i] = first[from];
                l[i] = last[from];
                s[i] = sum[from];
                n[i] = count[from];
            }
            first = f;
            last = l;
            sum = s;
            count = n;
            head = 0;
        }
        int at = slot(size);
        first[at] = firstMicros;
        last[at] = lastMicros;
        sum[at] = slotSum;
        count[at] = slotCount;
        size++;
    }

    @Override
    public String toString() {
        return "WindowMean" + Arrays.toString(times());
    }
}
