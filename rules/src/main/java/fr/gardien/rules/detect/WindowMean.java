package fr.gardien.rules.detect;

import java.util.Arrays;

/**
 * The mean of the readings of a sliding time window, and their least-squares line, with memory and
 * copy cost bounded whatever the rate.
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
 * when the window has few of them left, so that rounding cannot build up. So are the sums of the
 * least-squares line (issue 16: heating-curve's {@code cooling}), each reading at its slice's
 * first time, in minutes from an origin that moves with the window (summed again from the slices
 * once a day of data time for a window that never empties to few). Single-threaded.
 */
final class WindowMean {

    /** The window over this is the width of a slice. */
    static final int SLICES = 1024;
    private static final int EXACT_SUM_BELOW = 64;
    private static final double MICROS_PER_MINUTE = 60_000_000.0;
    /** The line's sums are recomputed from an origin no older than this. */
    private static final long REBASE_MICROS = 86_400_000_000L;

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
    // The least-squares line's sums: x in minutes from origin, y the values (their sum is total).
    private long origin;
    private double sx;
    private double sxx;
    private double sxy;

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
                addToLine(first[newest], 1, value);
                return;
            }
        } else {
            origin = epochMicros;
        }
        append(epochMicros, epochMicros, value, 1);
        total += value;
        readings++;
        if (epochMicros - origin > REBASE_MICROS) {
            resumLine();
        } else {
            addToLine(epochMicros, 1, value);
        }
    }

    /** Adds (or with a negative {@code n}, removes) {@code n} readings at {@code time} summing to {@code values}. */
    private void addToLine(long time, int n, double values) {
        double x = (time - origin) / MICROS_PER_MINUTE;
        sx += n * x;
        sxx += n * x * x;
        sxy += x * values;
    }

    /** The line's sums again from the slices; the total keeps its running value. */
    private void resumLine() {
        double running = total;
        resumAll();
        total = running;
    }

    /**
     * The total and the line's sums again from the slices, in one pass (each slice's reading count
     * and values added at its first time, as {@link #addToLine} adds them: a restored window gives
     * the same figures to the last bit).
     */
    private void resumAll() {
        origin = size == 0 ? 0 : first[head];
        double t = 0;
        double x1 = 0;
        double x2 = 0;
        double xy = 0;
        int mask = first.length - 1;
        for (int i = 0; i < size; i++) {
            int s = (head + i) & mask;
            double values = sum[s];
            int n = count[s];
            double x = (first[s] - origin) / MICROS_PER_MINUTE;
            t += values;
            x1 += n * x;
            x2 += n * x * x;
            xy += x * values;
        }
        total = t;
        sx = x1;
        sxx = x2;
        sxy = xy;
    }

    /** The mean of the window ending at {@code now}, NaN when it holds no reading. */
    double mean(long now) {
        long start = now - windowMicros;
        boolean dropped = false;
        while (size > 0 && last[head] <= start) {
            total -= sum[head];
            readings -= count[head];
            addToLine(first[head], -count[head], -sum[head]);
            head = (head + 1) & (first.length - 1);
            size--;
            dropped = true;
        }
        if (size == 0) {
            total = 0;
            readings = 0;
            sx = 0;
            sxx = 0;
            sxy = 0;
            return Double.NaN;
        }
        if (dropped && size <= EXACT_SUM_BELOW) {
            resumAll();
        }
        return total / readings;
    }

    /**
     * The least-squares slope of the window's readings (as last trimmed by {@link #mean}), value
     * units per minute; NaN with fewer than two distinct slice times.
     */
    double slopePerMinute() {
        double n = readings;
        double d = n * sxx - sx * sx;
        if (size < 2 || !(d > 1e-9 * n * n)) {
            return Double.NaN;
        }
        return (n * sxy - sx * total) / d;
    }

    /** The least-squares line's value at {@code t} (NaN when there is no line). */
    double lineAt(long t) {
        double b = slopePerMinute();
        if (Double.isNaN(b)) {
            return Double.NaN;
        }
        return total / readings + b * ((t - origin) / MICROS_PER_MINUTE - sx / readings);
    }

    /** From the oldest reading to the newest, µs (0 when empty). */
    long spanMicros() {
        return size == 0 ? 0 : last[slot(size - 1)] - first[head];
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
        c.origin = origin;
        c.sx = sx;
        c.sxx = sxx;
        c.sxy = sxy;
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
        w.resumLine();
        return w;
    }

    /** How many slices the window holds. */
    int slices() {
        return size;
    }

    /** The capacity is a power of two (8, doubled when full; copies and restores round up to one). */
    private int slot(int i) {
        return (head + i) & (first.length - 1);
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
