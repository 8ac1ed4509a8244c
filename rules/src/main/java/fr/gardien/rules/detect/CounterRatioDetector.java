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
 * <p>Condition: {@link Condition#UNKNOWN} until both counters' readings span the window, and
 * while the denominator rose by less than {@code minDenominator} over it (too little use to
 * judge: a ratio of a handful of trips is noise); otherwise {@link Condition#TRUE} when the ratio
 * is strictly above {@code above}, else {@link Condition#FALSE}. Time alone changes nothing (when
 * the readings stop, the missing-data rules speak).
 *
 * <p>Figures: {@code ratio}, {@code threshold}, {@code numerator} and {@code denominator} (the two
 * increases over the window), {@code window_hours}.
 */
public final class CounterRatioDetector implements Detector {

    private static final double MICROS_PER_HOUR = 3_600_000_000d;

    private final String numeratorInput;
    private final String denominatorInput;
    private final long windowMicros;
    private final double above;
    private final double minDenominator;

    private Counter numerator = new Counter();
    private Counter denominator = new Counter();
    private long latest = Long.MIN_VALUE;
    private Condition condition = Condition.UNKNOWN;
    private double numeratorIncrease = Double.NaN;
    private double denominatorIncrease = Double.NaN;

    /**
     * @param numeratorInput the role of the counter on top (e.g. {@code doors})
     * @param denominatorInput the role of the counter below (e.g. {@code trips})
     * @param windowMicros the window, microseconds, positive
     * @param above the ratio beyond which the condition is TRUE
     * @param minDenominator the least increase of the denominator over the window for a verdict, positive
     */
    public CounterRatioDetector(String numeratorInput, String denominatorInput, long windowMicros, double above,
            double minDenominator) {
        if (numeratorInput == null || denominatorInput == null || numeratorInput.equals(denominatorInput)) {
            throw new IllegalArgumentException("counter ratio: two distinct inputs are required");
        }
        if (windowMicros <= 0 || !Double.isFinite(above) || !(minDenominator > 0) || Double.isInfinite(minDenominator)) {
            throw new IllegalArgumentException("counter ratio: window and min-denominator must be positive, above finite"
                    + " [window: " + windowMicros + " us, above: " + above + ", min-denominator: " + minDenominator + ']');
        }
        this.numeratorInput = numeratorInput;
        this.denominatorInput = denominatorInput;
        this.windowMicros = windowMicros;
        this.above = above;
        this.minDenominator = minDenominator;
    }

    /** A detector with the parameters above, resumed from a {@link #state()} snapshot. */
    public static CounterRatioDetector restore(String numeratorInput, String denominatorInput, long windowMicros,
            double above, double minDenominator, Map<String, Object> state) {
        CounterRatioDetector d = new CounterRatioDetector(numeratorInput, denominatorInput, windowMicros, above, minDenominator);
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
        numerator.prune(start);
        denominator.prune(start);
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
        out.put("window_hours", windowMicros / MICROS_PER_HOUR);
        return out;
    }

    @Override
    public Detector copy() {
        CounterRatioDetector d = new CounterRatioDetector(numeratorInput, denominatorInput, windowMicros, above, minDenominator);
        d.numerator = numerator.copy();
        d.denominator = denominator.copy();
        d.latest = latest;
        d.condition = condition;
        d.numeratorIncrease = numeratorIncrease;
        d.denominatorIncrease = denominatorIncrease;
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
            return readings.value(readings.size() - 1) - readings.value(0);
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
