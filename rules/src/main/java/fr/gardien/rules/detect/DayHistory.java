package fr.gardien.rules.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The values of the last {@code days} local days, for each of a fixed number of rows (24 for the
 * hours of the day, 1 for whole days): one slot per (row, day modulo {@code days}), so memory is
 * {@code rows × days} whatever the input. A second value for the same row and day (the repeated
 * 02:00 of an autumn night) is averaged with the first.
 */
final class DayHistory {

    private static final long EMPTY = Long.MIN_VALUE;

    private final int rows;
    private final int days;
    private final double[] values;
    private final long[] epochDays;
    private final double[] scratch;

    DayHistory(int rows, int days) {
        this.rows = rows;
        this.days = days;
        this.values = new double[rows * days];
        this.epochDays = new long[rows * days];
        this.scratch = new double[days];
        Arrays.fill(epochDays, EMPTY);
    }

    /** A copy with the same values. */
    DayHistory copy() {
        DayHistory c = new DayHistory(rows, days);
        System.arraycopy(values, 0, c.values, 0, values.length);
        System.arraycopy(epochDays, 0, c.epochDays, 0, epochDays.length);
        return c;
    }

    void put(int row, long epochDay, double value) {
        int slot = row * days + (int) Math.floorMod(epochDay, (long) days);
        if (epochDays[slot] == epochDay) {
            values[slot] = (values[slot] + value) / 2;
        } else if (epochDays[slot] == EMPTY || epochDays[slot] < epochDay) {
            epochDays[slot] = epochDay;
            values[slot] = value;
        }
    }

    /**
     * Copies into {@code out} (length at least {@code days}) the values of {@code row} from the
     * {@code days} days before {@code epochDay}, and returns how many there are.
     */
    int previous(int row, long epochDay, double[] out) {
        int n = 0;
        for (int i = row * days, end = i + days; i < end; i++) {
            long d = epochDays[i];
            if (d != EMPTY && d < epochDay && d >= epochDay - days) {
                out[n++] = values[i];
            }
        }
        return n;
    }

    /** The median of {@code a[0..n)}, reordering it; NaN when {@code n} is 0. */
    static double median(double[] a, int n) {
        if (n == 0) {
            return Double.NaN;
        }
        Arrays.sort(a, 0, n);
        return n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
    }

    /** The median absolute deviation of {@code a[0..n)} from {@code median}, using the scratch array. */
    double mad(double[] a, int n, double median) {
        for (int i = 0; i < n; i++) {
            scratch[i] = Math.abs(a[i] - median);
        }
        return median(scratch, n);
    }

    void saveTo(Map<String, Object> state, String prefix) {
        List<Long> r = new ArrayList<>();
        List<Long> d = new ArrayList<>();
        List<Double> v = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (epochDays[i] != EMPTY) {
                r.add((long) (i / days));
                d.add(epochDays[i]);
                v.add(values[i]);
            }
        }
        state.put(prefix + "rows", r);
        state.put(prefix + "days", d);
        state.put(prefix + "values", v);
    }

    /** Re-inserts a snapshot, so that one taken with another number of days still restores. */
    void restoreFrom(Map<String, Object> state, String prefix) {
        List<Number> r = States.getNumbers(state, prefix + "rows");
        List<Number> d = States.getNumbers(state, prefix + "days");
        List<Number> v = States.getNumbers(state, prefix + "values");
        int n = Math.min(r.size(), Math.min(d.size(), v.size()));
        for (int i = 0; i < n; i++) {
            int row = r.get(i).intValue();
            if (row >= 0 && row < rows) {
                put(row, d.get(i).longValue(), v.get(i).doubleValue());
            }
        }
    }
}
