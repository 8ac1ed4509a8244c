package fr.gardien.rules.detect;

import java.util.Arrays;

/**
 * A meter's own reporting interval, learned from its readings: the median of the intervals
 * between its last {@link #SIZE} + 1 readings, so that one burst of missing data (or a few
 * readings close together) does not move it. {@link #isHole} says whether a gap between two
 * readings is a hole in the data: longer than {@link #HOLE_FACTOR} reporting intervals, as the
 * catalog's missing-data rules count three missed intervals as silence. Unknown (nothing is a
 * hole) until {@link #MIN_KNOWN} intervals are known. Memory: {@link #SIZE} longs. Single-threaded.
 */
final class ReportingInterval {

    /** Intervals kept. */
    static final int SIZE = 15;
    /** Fewest intervals before the reporting interval is known. */
    static final int MIN_KNOWN = 3;
    /** How many reporting intervals a gap must exceed to be a hole. */
    static final int HOLE_FACTOR = 3;

    private final long[] intervals = new long[SIZE];
    private int size;
    private int next;

    /** Records the interval between two successive readings (ignored when not positive). */
    void add(long micros) {
        if (micros <= 0) {
            return;
        }
        intervals[next] = micros;
        next = (next + 1) % SIZE;
        size = Math.min(SIZE, size + 1);
    }

    /** The median interval, microseconds; 0 while fewer than {@link #MIN_KNOWN} are known. */
    long median() {
        if (size < MIN_KNOWN) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(intervals, size);
        Arrays.sort(sorted);
        return size % 2 == 1 ? sorted[size / 2] : (sorted[size / 2 - 1] + sorted[size / 2]) / 2;
    }

    /** Whether a gap of {@code micros} between two readings is a hole (false while the interval is unknown). */
    boolean isHole(long micros) {
        if (size < MIN_KNOWN) {
            return false;
        }
        // The median is at least the smallest interval: a gap within three of the smallest is no
        // hole, and the sort (a copy of 15 longs at every reading) is left for the gaps that may be.
        long smallest = Long.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            smallest = Math.min(smallest, intervals[i]);
        }
        if (micros <= HOLE_FACTOR * smallest) {
            return false;
        }
        long m = median();
        return m > 0 && micros > HOLE_FACTOR * m;
    }

    ReportingInterval copy() {
        return of(values());
    }

    /** The intervals, oldest first, for a snapshot. */
    long[] values() {
        long[] out = new long[size];
        int first = size < SIZE ? 0 : next;
        for (int i = 0; i < size; i++) {
            out[i] = intervals[(first + i) % SIZE];
        }
        return out;
    }

    static ReportingInterval of(long[] values) {
        ReportingInterval r = new ReportingInterval();
        for (long v : values) {
            r.add(v);
        }
        return r;
    }
}
