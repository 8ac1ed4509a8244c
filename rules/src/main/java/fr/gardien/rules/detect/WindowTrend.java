package fr.gardien.rules.detect;

/**
 * The readings of a sliding time window with their mean and least-squares line, kept as readings
 * come and go: appending and dropping cost O(1) amortised, and nothing is allocated per reading
 * (issue 11). Sums of a small window are recomputed after a drop, and those of a large one once a
 * day of data time, so that rounding left by many additions and removals cannot build up. Times
 * enter the sums in minutes from an origin that moves with them.
 */
final class WindowTrend {

    private static final double MICROS_PER_MINUTE = 60_000_000.0;
    /** At most this many readings, a window is summed again after a drop. */
    private static final int EXACT_SUM_BELOW = 64;
    /** A large window's sums are recomputed from an origin no older than this. */
    private static final long REBASE_MICROS = 86_400_000_000L;

    private TimedRing ring;
    private long origin;
    private double sx;
    private double sy;
    private double sxx;
    private double sxy;

    WindowTrend() {
        this(new TimedRing(8));
    }

    private WindowTrend(TimedRing ring) {
        this.ring = ring;
        resum();
    }

    /** A window holding {@code t} and {@code v}, oldest first (a {@link #times()} / {@link #values()} pair). */
    static WindowTrend of(long[] t, double[] v) {
        return new WindowTrend(TimedRing.of(t, v, 8));
    }

    WindowTrend copy() {
        WindowTrend w = new WindowTrend(ring.copy());
        w.origin = origin;
        w.sx = sx;
        w.sy = sy;
        w.sxx = sxx;
        w.sxy = sxy;
        return w;
    }

    void append(long t, double v) {
        if (ring.size() == 0) {
            origin = t;
        } else if (t - origin > REBASE_MICROS) {
            ring.append(t, v);
            resum();
            return;
        }
        ring.append(t, v);
        double x = (t - origin) / MICROS_PER_MINUTE;
        sx += x;
        sy += v;
        sxx += x * x;
        sxy += x * v;
    }

    /** Drops the readings at or before {@code start}. */
    void dropUntil(long start) {
        boolean dropped = false;
        while (ring.size() > 0 && ring.time(0) <= start) {
            double x = (ring.time(0) - origin) / MICROS_PER_MINUTE;
            double v = ring.value(0);
            sx -= x;
            sy -= v;
            sxx -= x * x;
            sxy -= x * v;
            ring.removeFirst();
            dropped = true;
        }
        if (dropped && ring.size() <= EXACT_SUM_BELOW) {
            resum();
        }
    }

    private void resum() {
        sx = 0;
        sy = 0;
        sxx = 0;
        sxy = 0;
        origin = ring.size() == 0 ? 0 : ring.time(0);
        for (int i = 0; i < ring.size(); i++) {
            double x = (ring.time(i) - origin) / MICROS_PER_MINUTE;
            double v = ring.value(i);
            sx += x;
            sy += v;
            sxx += x * x;
            sxy += x * v;
        }
    }

    int size() {
        return ring.size();
    }

    /** From the oldest reading to the newest, µs (0 with fewer than two). */
    long spanMicros() {
        return ring.size() < 2 ? 0 : ring.time(ring.size() - 1) - ring.time(0);
    }

    /** The mean of the values (NaN when empty). */
    double mean() {
        return ring.size() == 0 ? Double.NaN : sy / ring.size();
    }

    /** The least-squares slope, value units per minute (NaN with fewer than two distinct times). */
    double slopePerMinute() {
        int n = ring.size();
        double d = n * sxx - sx * sx;
        if (n < 2 || !(d > 1e-9 * n * n)) {
            return Double.NaN;
        }
        return (n * sxy - sx * sy) / d;
    }

    /** The least-squares line's value at {@code t} (NaN when there is no line). */
    double lineAt(long t) {
        double b = slopePerMinute();
        if (Double.isNaN(b)) {
            return Double.NaN;
        }
        int n = ring.size();
        return sy / n + b * ((t - origin) / MICROS_PER_MINUTE - sx / n);
    }

    long[] times() {
        return ring.times();
    }

    double[] values() {
        return ring.values();
    }
}
