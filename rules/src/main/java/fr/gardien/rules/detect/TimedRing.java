package fr.gardien.rules.detect;

import java.util.Arrays;

/**
 * Readings (time, value) in arrival order in a growable ring buffer: appended at the end, dropped
 * from either end. The windows of the detectors that keep recent readings are built on it.
 */
final class TimedRing {

    private long[] times;
    private double[] values;
    private int head;
    private int size;

    TimedRing(int capacity) {
        this.times = new long[capacity];
        this.values = new double[capacity];
    }

    /** A ring holding {@code t} and {@code v} (a {@link #times()} / {@link #values()} pair), oldest first. */
    static TimedRing of(long[] t, double[] v, int minCapacity) {
        int capacity = Math.max(minCapacity, Integer.highestOneBit(Math.max(1, t.length)) * 2);
        TimedRing ring = new TimedRing(0);
        ring.times = Arrays.copyOf(t, capacity);
        ring.values = Arrays.copyOf(v, capacity);
        ring.size = t.length;
        return ring;
    }

    int size() {
        return size;
    }

    /** The time of the {@code i}-th oldest reading. */
    long time(int i) {
        return times[(head + i) % times.length];
    }

    /** The value of the {@code i}-th oldest reading. */
    double value(int i) {
        return values[(head + i) % values.length];
    }

    void append(long time, double value) {
        if (size == times.length) {
            long[] t = new long[size * 2];
            double[] v = new double[size * 2];
            for (int i = 0; i < size; i++) {
                t[i] = time(i);
                v[i] = value(i);
            }
            times = t;
            values = v;
            head = 0;
        }
        int at = (head + size) % times.length;
        times[at] = time;
        values[at] = value;
        size++;
    }

    void removeFirst() {
        head = (head + 1) % times.length;
        size--;
    }

    void removeLast() {
        size--;
    }

    void clear() {
        size = 0;
    }

    /** The times, oldest first. */
    long[] times() {
        long[] t = new long[size];
        for (int i = 0; i < size; i++) {
            t[i] = time(i);
        }
        return t;
    }

    /** The values, oldest first. */
    double[] values() {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = value(i);
        }
        return v;
    }

    /** An independent copy, as large as what it holds (not as the capacity this ring grew to). */
    TimedRing copy() {
        TimedRing ring = new TimedRing(Math.max(8, Integer.highestOneBit(Math.max(1, size)) * 2));
        for (int i = 0; i < size; i++) {
            ring.times[i] = time(i);
            ring.values[i] = value(i);
        }
        ring.size = size;
        return ring;
    }
}
