package fr.gardien.rules.detect;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The ratio of the increases of two cumulative counters over the last {@code window}: a lift's
 * door cycles per trip. A healthy lift opens its doors about twice per trip (at the call floor
 * and at the destination); doors that reopen on a worn sensor or a misaligned sill raise the
 * ratio while the trips stay what the tenants need, so the ratio, unlike either counter alone,
 * does not change with the hour or the day of the week.
 *
 * <p>Each counter's increase over the window is measured from its newest reading at or before
 * (t − window) to its newest reading, t being the newest reading of either counter; a counter
 * that goes down (reset, replaced controller) adds nothing, as in {@link CounterWearDetector}.
 *
 * <p>With a {@code maxWindow} longer than the window, a window over which the denominator rose by
 * less than {@code minDenominator} widens back, at most to {@code maxWindow}, to the newest reading
 * since which it rose by that much: a quiet building's lift is judged on as many trips as a busy
 * one's, over a longer time (issue 16).
 *
 * <p>Condition: {@link Condition#UNKNOWN} until both counters' readings span the window, and
 * while the denominator rose by less than {@code minDenominator} over it (too little use to
 * judge: a ratio of a handful of trips is noise); otherwise {@link Condition#TRUE} when the ratio
 * is strictly above {@code above}, else {@link Condition#FALSE}. Time alone changes nothing (when
 * the readings stop, the missing-data rules speak).
 *
 * <p>Figures: {@code ratio}, {@code threshold}, {@code numerator} and {@code denominator} (the two
 * increases over the window), {@code window_hours} (the span used).
 */
public final class CounterRatioDetector implements Detector {

    private static final double MICROS_PER_HOUR = 3_600_000_000d;

    private final String numeratorInput;
    private final String denominatorInput;
    private final long windowMicros;
    private final long maxWindowMicros;
    private final double above;
    private final double minDenominator;

    private Counter numerator = new Counter();
    private Counter denominator = new Counter();
    private long latest = Long.MIN_VALUE;
    private Condition condition = Condition.UNKNOWN;
    private double numeratorIncrease = Double.NaN;
    private double denominatorIncrease = Double.NaN;
    private long spanMicros;

    /** As below, with a window that never widens ({@code maxWindowMicros} = {@code windowMicros}). */
    public CounterRatioDetector(String numeratorInput, String denominatorInput, long windowMicros, double above,
            double minDenominator) {
        this(numeratorInput, denominatorInput, windowMicros, windowMicros, above, minDenominator);
    }

    /**
     * @param numeratorInput the role of the counter on top (e.g. {@code doors})
     * @param denominatorInput the role of the counter below (e.g. {@code trips})
     * @param windowMicros the window, microseconds, positive
     * @param maxWindowMicros how far back the window may widen, at least {@code windowMicros}, while
     *     the denominator rose by less than {@code minDenominator} over it (a quiet lift's trips)
     * @param above the ratio beyond which the condition is TRUE
     * @param minDenominator the least increase of the denominator over the window for a verdict, positive
     */
    public CounterRatioDetector(String numeratorInput, String denominatorInput, long windowMicros, long maxWindowMicros,
            double above, double minDenominator) {
        if (numeratorInput == null || denominatorInput == null || numeratorInput.equals(denominatorInput)) {
            throw new IllegalArgumentException("counter ratio: two distinct inputs are required");
        }
        if (windowMicros <= 0 || maxWindowMicros < windowMicros || !Double.isFinite(above) || !(minDenominator > 0) || Double.isInfinite(minDenominator)) {
            throw new IllegalArgumentException("counter ratio: window and min-denominator must be positive, above finite"
                    + " [window: " + windowMicros + " us, above: " + above + ", min-denominator: " + minDenominator + ']');
        }
        this.numeratorInput = numeratorInput;
        this.denominatorInput = denominatorInput;
        this.windowMicros = windowMicros;
        this.maxWindowMicros = maxWindowMicros;
        this.above = above;
        this.minDenominator = minDenominator;
    }

    /** A detector with the parameters above, resumed from a {@link #state()} snapshot. */
    public static CounterRatioDetector restore(String numeratorInput, String denominatorInput, long windowMicros,
            double above, double minDenominator, Map<String, Object> state) {
        return restore(numeratorInput, denominatorInput, windowMicros, windowMicros, above, minDenominator, state);
    }

    /** A detector with a widening window, resumed from a {@link #state()} snapshot. */
    public static CounterRatioDetector restore(String numeratorInput, String denominatorInput, long windowMicros,
            long maxWindowMicros, double above, double minDenominator, Map<String, Object> state) {
        CounterRatioDetector d = new CounterRatioDetector(numeratorInput, denominatorInput, windowMicros, maxWindowMicros,
                above, minDenominator);
        d.numerator = Counter.restore(States.nested(state, "numerator"));
        d.denominator = Counter.restore(States.nested(state, "denominator"));
        d.latest = States.integer(state, "latest", Long.MIN_VALUE);
        d.evaluate();
        return d;
    }

    @Override
    public Condition onReading(String input, long epochMicros, double value) {
        Counter counter;
        if (numeratorInput.equals(input)) {
            counter = numerator;
        } else if (denominatorInput.equals(input)) {
            counter = denominator;
        } else {
            throw States.unknownInput(input, numeratorInput + " or " + denominatorInput);
        }
        if (!Double.isFinite(value)) {
            return condition;
        }
        counter.add(epochMicros, value);
        latest = Math.max(latest, epochMicros);
        evaluate();
        return condition;
    }

    @Override
    public Condition onTime(long epochMicros) {
        return condition;
    }

    private void evaluate() {
        if (latest == Long.MIN_VALUE) {
            condition = Condition.UNKNOWN;
            return;
        }
        long start = latest - windowMicros;
        long earliest = latest - maxWindowMicros;
        numerator.prune(earliest);
        denominator.prune(earliest);
        if (maxWindowMicros > windowMicros && denominator.increaseSince(start) < minDenominator) {
            // A quiet lift: the window widens back to the newest reading with enough trips since.
            long wider = denominator.latestStartWith(minDenominator);
            if (wider != Long.MIN_VALUE) {
                start = wider;
            }
        }
        spanMicros = latest - start;
        numeratorIncrease = numerator.increaseSince(start);
        denominatorIncrease = denominator.increaseSince(start);
        if (Double.isNaN(numeratorIncrease) || Double.isNaN(denominatorIncrease) || denominatorIncrease < minDenominator) {
            condition = Condition.UNKNOWN;
        } else {
            condition = numeratorIncrease / denominatorIncrease > above ? Condition.TRUE : Condition.FALSE;
        }
    }

    @Override
    public Map<String, Double> figures() {
        Map<String, Double> out = new HashMap<>();
        States.putFigure(out, "numerator", numeratorIncrease);
        States.putFigure(out, "denominator", denominatorIncrease);
        if (denominatorIncrease > 0) {
            out.put("ratio", numeratorIncrease / denominatorIncrease);
        }
        out.put("threshold", above);
        out.put("window_hours", (spanMicros > 0 ? spanMicros : windowMicros) / MICROS_PER_HOUR);
        return out;
    }

    @Override
    public Detector copy() {
        CounterRatioDetector d = new CounterRatioDetector(numeratorInput, denominatorInput, windowMicros, maxWindowMicros,
                above, minDenominator);
        d.numerator = numerator.copy();
        d.denominator = denominator.copy();
        d.latest = latest;
        d.condition = condition;
        d.numeratorIncrease = numeratorIncrease;
        d.denominatorIncrease = denominatorIncrease;
        d.spanMicros = spanMicros;
        return d;
    }

    @Override
    public Map<String, Object> state() {
        Map<String, Object> s = new HashMap<>();
        s.put("numerator", numerator.state());
        s.put("denominator", denominator.state());
        if (latest != Long.MIN_VALUE) {
            s.put("latest", latest);
        }
        return s;
    }

    /**
     * One counter: its readings within the window and the one just before it, each with the
     * running total of its non-negative increases (so a reset never counts backwards).
     */
    private static final class Counter {
        /** Times and running totals. */
        private TimedRing readings = new TimedRing(16);
        private double lastValue = Double.NaN;
        private double total;

        void add(long time, double value) {
            if (!Double.isNaN(lastValue) && value > lastValue) {
                total += value - lastValue;
            }
            lastValue = value;
            readings.append(time, total);
        }

        /** Drops the readings before the newest one at or before {@code start}. */
        void prune(long start) {
            while (readings.size() >= 2 && readings.time(1) <= start) {
                readings.removeFirst();
            }
        }

        /** The increase from the newest reading at or before {@code start} to the newest; NaN when none is that old. */
        double increaseSince(long start) {
            if (readings.size() == 0 || readings.time(0) > start) {
                return Double.NaN;
            }
            // Binary search of the newest reading at or before start (times are in order).
            int lo = 0;
            int hi = readings.size() - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (readings.time(mid) <= start) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            return readings.value(readings.size() - 1) - readings.value(lo);
        }

        /**
         * The time of the newest reading since which the counter rose by at least {@code least};
         * {@code Long.MIN_VALUE} when it did not rise that much over all it holds.
         */
        long latestStartWith(double least) {
            double newest = readings.size() == 0 ? Double.NaN : readings.value(readings.size() - 1);
            for (int i = readings.size() - 2; i >= 0; i--) {
                if (newest - readings.value(i) >= least) {
                    return readings.time(i);
                }
            }
            return Long.MIN_VALUE;
        }

        Counter copy() {
            Counter c = new Counter();
            c.readings = readings.copy();
            c.lastValue = lastValue;
            c.total = total;
            return c;
        }

        Map<String, Object> state() {
            Map<String, Object> s = new HashMap<>();
            s.put("t", readings.times());
            s.put("total", readings.values());
            if (!Double.isNaN(lastValue)) {
                s.put("last_value", lastValue);
            }
            s.put("sum", total);
            return s;
        }

        static Counter restore(Map<String, Object> state) {
            Counter c = new Counter();
            long[] t = States.longs(state, "t");
            double[] v = States.doubles(state, "total");
            int n = Math.min(t.length, v.length);
            c.readings = TimedRing.of(Arrays.copyOf(t, n), Arrays.copyOf(v, n), 16);
            c.lastValue = States.number(state, "last_value", Double.NaN);
            c.total = States.number(state, "sum", 0);
            return c;
        }
    }
}
