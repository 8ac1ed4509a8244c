package fr.gardien.rules.detect;

import java.util.Arrays;
import java.util.Map;

/**
 * What one heating installation's supply usually is at each local hour of the day: the mean supply
 * and mean outdoor temperature of each hour of the previous {@code days} days, and from them the
 * supply to expect now, at today's outdoor temperature (issue 16: "no heat" judged against the
 * building's own heating curve and setback, not one simulator's).
 *
 * <p>A controller follows its heating curve, lowered during its setback hours: the same hour on
 * another day, corrected for the change of outdoor temperature since, says what this installation
 * delivers now when it works, whatever its curve, its setback and the hours of that setback. The
 * correction uses slopes that can only underestimate the expectation: {@link #SLOPE_COLDER} K per
 * K when it is colder now than that day (every radiator curve rises faster, 1.3 to 2.2 K/K from
 * 55 to 90 °C design at −7 °C, and the controller's minimum supply may hold it flat), and
 * {@link #SLOPE_WARMER} K per K when it is warmer now (no curve falls faster). Days more than
 * {@link #MAX_OUTDOOR_GAP} K away from now are not used; the expectation is the median of the
 * others' estimates, so that one day with a fault at that hour does not move it, and it is given
 * once {@link #MIN_DAYS} days have that hour.
 *
 * <p>Memory: 24 × days × 3 numbers. Single-threaded, like its detector.
 */
final class SupplyHistory {

    /** K of supply per K of outdoor temperature when it is colder now than on the day compared with. */
    static final double SLOPE_COLDER = 1.0;
    /** K of supply per K of outdoor temperature when it is warmer now. */
    static final double SLOPE_WARMER = 2.5;
    /** The farthest outdoor temperature, K, of a day still compared with now. */
    static final double MAX_OUTDOOR_GAP = 10;
    /** Fewest previous days with that hour before an expectation is given. */
    static final int MIN_DAYS = 3;

    private static final long EMPTY = Long.MIN_VALUE;

    private final int days;
    private final double[] supply;
    private final double[] outdoor;
    private final long[] epochDay;
    private final double[] scratch;
    private int lastCount;

    SupplyHistory(int days) {
        this.days = days;
        this.supply = new double[24 * days];
        this.outdoor = new double[24 * days];
        this.epochDay = new long[24 * days];
        this.scratch = new double[days];
        Arrays.fill(epochDay, EMPTY);
    }

    SupplyHistory copy() {
        SupplyHistory c = new SupplyHistory(days);
        System.arraycopy(supply, 0, c.supply, 0, supply.length);
        System.arraycopy(outdoor, 0, c.outdoor, 0, outdoor.length);
        System.arraycopy(epochDay, 0, c.epochDay, 0, epochDay.length);
        c.lastCount = lastCount;
        return c;
    }

    /** Records the mean supply and outdoor temperature of local hour {@code hour} of {@code day}. */
    void put(int hour, long day, double meanSupply, double meanOutdoor) {
        int slot = hour * days + (int) Math.floorMod(day, (long) days);
        if (epochDay[slot] == day) {
            // The repeated hour of an autumn DST night: both halves count.
            supply[slot] = (supply[slot] + meanSupply) / 2;
            outdoor[slot] = (outdoor[slot] + meanOutdoor) / 2;
        } else if (epochDay[slot] == EMPTY || epochDay[slot] < day) {
            epochDay[slot] = day;
            supply[slot] = meanSupply;
            outdoor[slot] = meanOutdoor;
        }
    }

    /**
     * The supply this installation delivers at local hour {@code hour} of {@code day} when it
     * works, at outdoor temperature {@code now}, °C; NaN while fewer than {@link #MIN_DAYS}
     * previous days can say.
     */
    double expected(int hour, long day, double now) {
        int n = 0;
        for (int i = hour * days, end = i + days; i < end; i++) {
            long d = epochDay[i];
            if (d == EMPTY || d >= day || d < day - days) {
                continue;
            }
            double gap = outdoor[i] - now;
            if (Math.abs(gap) > MAX_OUTDOOR_GAP) {
                continue;
            }
            scratch[n++] = supply[i] + (gap > 0 ? SLOPE_COLDER * gap : SLOPE_WARMER * gap);
        }
        lastCount = n;
        return n < MIN_DAYS ? Double.NaN : DayHistory.median(scratch, n);
    }

    /** How many previous days the last {@link #expected} call could use. */
    int lastCount() {
        return lastCount;
    }

    void saveTo(Map<String, Object> state) {
        int n = 0;
        for (long d : epochDay) {
            if (d != EMPTY) {
                n++;
            }
        }
        long[] slots = new long[n];
        long[] dayOf = new long[n];
        double[] s = new double[n];
        double[] o = new double[n];
        for (int i = 0, k = 0; i < epochDay.length; i++) {
            if (epochDay[i] != EMPTY) {
                slots[k] = i / days;
                dayOf[k] = epochDay[i];
                s[k] = supply[i];
                o[k] = outdoor[i];
                k++;
            }
        }
        state.put("history_hour", slots);
        state.put("history_day", dayOf);
        state.put("history_supply", s);
        state.put("history_outdoor", o);
    }

    /** Re-inserts a snapshot, so that one taken with another number of days still restores. */
    void restoreFrom(Map<String, Object> state) {
        long[] hours = States.longs(state, "history_hour");
        long[] dayOf = States.longs(state, "history_day");
        double[] s = States.doubles(state, "history_supply");
        double[] o = States.doubles(state, "history_outdoor");
        int n = Math.min(Math.min(hours.length, dayOf.length), Math.min(s.length, o.length));
        for (int i = 0; i < n; i++) {
            if (hours[i] >= 0 && hours[i] < 24) {
                put((int) hours[i], dayOf[i], s[i], o[i]);
            }
        }
    }
}
