package fr.gardien.rules.detect;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

/**
 * Supply temperature below what a working installation delivers at the current outdoor
 * temperature: no heat, or a curve that has drifted. The curve is the straight line through
 * {@code (outdoorA, supplyA)} and {@code (outdoorB, supplyB)}, with the outdoor temperature clamped
 * to {@code [min(outdoorA, outdoorB), max(outdoorA, outdoorB)]} so the expectation never leaves the
 * curve's two end points.
 *
 * <p>The supply must stay above a <em>threshold</em>, the highest of (issue 16):
 * <ul>
 *   <li>the curve less {@code maxDeviation}, and less the night-setback allowance {@code setback}
 *       (K) inside the local {@code setback-hours} (at every hour when no hours are given): a
 *       controller lowers its supply by up to that much during its setback;</li>
 *   <li>the backstop {@code floor} (°C), when given: water that cold heats nothing, whatever the
 *       curve;</li>
 *   <li>with {@code history-days} (3–28), this installation's own supply at this local hour on the
 *       previous days, corrected to today's outdoor temperature ({@link SupplyHistory}), less
 *       {@code history-margin}: its curve and its setback as they are, once at least three days
 *       know that hour.</li>
 * </ul>
 * The supply judged is the mean of its readings of the window of {@code average} ending now (the
 * latest reading when zero), so that a burner's on-off swing is not read as a fault; readings under
 * {@code ignore-below} (a sensor fault, not the water) are left out. Only the readings of that
 * window: after a burst of missing data the last readings are older than it while the threshold
 * moves on with the clock (a setback ending), and they say nothing of the supply now.
 *
 * <p>Condition, after every reading and every {@link #onTime(long)}: {@link Condition#UNKNOWN}
 * when either input has no reading yet or its latest reading is more than one hour old (an outdoor
 * probe gone offline must not be read as a fault of the boiler; the missing-data rule reports it),
 * or, with {@code average}, when no supply reading falls in the window ending now (the engine then
 * stops holding the previous answer: {@link #unknownWithdraws()});
 * {@link Condition#FALSE} when the outdoor temperature is not below {@code outdoorBelow} (no
 * heating expected); {@link Condition#TRUE} when the supply is strictly below the threshold, and
 * once TRUE until it is strictly above the threshold plus {@code hysteresis}.
 *
 * <p>Figures: {@code value} (the supply judged, °C), {@code expected} (the curve at the outdoor
 * temperature, °C), {@code outdoor} (°C), {@code deviation} ({@code expected − value}, K: positive
 * means below the curve), {@code threshold} (°C), {@code setback} (the allowance in force, K),
 * {@code usual} (this installation's own expected supply, °C, once known) and
 * {@code history_days}.
 */
public final class HeatingCurveDetector implements Detector {

    /** How old an input's latest reading may be and still count. */
    static final long MAX_AGE_MICROS = 3_600_000_000L;
    private static final long MINUTE_MICROS = 60_000_000L;
    /** Least span of an hour's supply readings for that hour to be learned. */
    private static final long MIN_LEARNED_SPAN_MICROS = 30 * MINUTE_MICROS;

    private final String supply;
    private final String outdoor;
    private final double outdoorLow;
    private final double outdoorHigh;
    private final double outdoorA;
    private final double supplyA;
    private final double slope;
    private final double maxDeviation;
    private final double outdoorBelow;
    private final HeatingCurveOptions options;
    private final LocalPeriods hours;
    private final HeatingCurveState state;

    // Figures of the last evaluation.
    private double judged = Double.NaN;
    private double threshold = Double.NaN;
    private double allowance = Double.NaN;
    private double usual = Double.NaN;
    private int usualDays;
    private double projected = Double.NaN;
    private double coolingMinutes = Double.NaN;

    /**
     * A plain curve: the supply against the curve less {@code maxDeviation}, at every hour, on its
     * latest reading.
     *
     * @param supply the role name of the supply temperature input (°C)
     * @param outdoor the role name of the outdoor temperature input (°C)
     * @param outdoorA outdoor temperature of the curve's first point, °C (e.g. −10)
     * @param supplyA supply temperature expected at {@code outdoorA}, °C (e.g. 75)
     * @param outdoorB outdoor temperature of the curve's second point, °C (e.g. 15); not {@code outdoorA}
     * @param supplyB supply temperature expected at {@code outdoorB}, °C (e.g. 35)
     * @param maxDeviation how far below the curve the supply may be, K; 0 or more
     * @param outdoorBelow the outdoor temperature, °C, below which heating is expected (e.g. 15)
     */
    public HeatingCurveDetector(String supply, String outdoor, double outdoorA, double supplyA, double outdoorB,
            double supplyB, double maxDeviation, double outdoorBelow) {
        this(supply, outdoor, outdoorA, supplyA, outdoorB, supplyB, maxDeviation, outdoorBelow,
                HeatingCurveOptions.NONE, ZoneId.of("UTC"));
    }

    HeatingCurveDetector(String supply, String outdoor, double outdoorA, double supplyA, double outdoorB,
            double supplyB, double maxDeviation, double outdoorBelow, HeatingCurveOptions options, ZoneId zone) {
        if (supply == null || outdoor == null || supply.isEmpty() || outdoor.isEmpty() || supply.equals(outdoor)) {
            throw new IllegalArgumentException("heating curve: two distinct input names are required");
        }
        if (!Double.isFinite(outdoorA) || !Double.isFinite(outdoorB) || !Double.isFinite(supplyA)
                || !Double.isFinite(supplyB) || outdoorA == outdoorB) {
            throw new IllegalArgumentException("heating curve: two points with different outdoor temperatures are required"
                    + " [outdoorA: " + outdoorA + ", outdoorB: " + outdoorB + "]");
        }
        if (!(maxDeviation >= 0) || !Double.isFinite(maxDeviation) || !Double.isFinite(outdoorBelow)) {
            throw new IllegalArgumentException("heating curve: maxDeviation must be 0 or more and outdoorBelow finite"
                    + " [maxDeviation: " + maxDeviation + ", outdoorBelow: " + outdoorBelow + "]");
        }
        if (!(options.setback() >= 0) || options.averageMicros() < 0 || !(options.hysteresis() >= 0)
                || (options.historyDays() != 0 && (options.historyDays() < SupplyHistory.MIN_DAYS || options.historyDays() > 28))
                || !(options.historyMargin() >= 0)) {
            throw new IllegalArgumentException("heating curve: setback, average, hysteresis and history-margin must not be"
                    + " negative, history-days 0 or 3-28 [" + options + "]");
        }
        HeatingCurveOptions.Cooling c = options.cooling();
        if (c != null && (options.averageMicros() <= 0 || !Double.isFinite(c.toward()) || c.horizonMicros() <= 0
                || c.slowestMicros() <= 0 || !(c.leastFall() >= 0))) {
            throw new IllegalArgumentException("heating curve: cooling needs an average, a finite toward, a positive horizon"
                    + " and slowest, and a least-fall of 0 or more [" + c + "]");
        }
        this.supply = supply;
        this.outdoor = outdoor;
        this.outdoorLow = Math.min(outdoorA, outdoorB);
        this.outdoorHigh = Math.max(outdoorA, outdoorB);
        this.outdoorA = outdoorA;
        this.supplyA = supplyA;
        this.slope = (supplyB - supplyA) / (outdoorB - outdoorA);
        this.maxDeviation = maxDeviation;
        this.outdoorBelow = outdoorBelow;
        this.options = options;
        this.hours = new LocalPeriods(zone, false);
        this.state = new HeatingCurveState(options);
    }

    /** A plain-curve detector with the parameters above, resumed from a {@link #state()} snapshot. */
    public static HeatingCurveDetector restore(String supply, String outdoor, double outdoorA, double supplyA,
            double outdoorB, double supplyB, double maxDeviation, double outdoorBelow, Map<String, Object> state) {
        HeatingCurveDetector d = new HeatingCurveDetector(supply, outdoor, outdoorA, supplyA, outdoorB, supplyB,
                maxDeviation, outdoorBelow);
        d.restoreState(state);
        return d;
    }

    void restoreState(Map<String, Object> saved) {
        state.restore(saved, options);
    }

    /** The supply temperature the curve expects at {@code outdoorTemp}, °C. */
    public double expectedSupply(double outdoorTemp) {
        double clamped = Math.min(outdoorHigh, Math.max(outdoorLow, outdoorTemp));
        return supplyA + slope * (clamped - outdoorA);
    }

    @Override
    public Condition onReading(String input, long epochMicros, double value) {
        if (supply.equals(input)) {
            // A reading under ignore-below is a sensor fault (sensor-impossible-heating says so), not the water.
            if (Double.isFinite(value) && value >= options.ignoreBelow()) {
                learn(epochMicros, value);
                state.supplyMicros = epochMicros;
                state.supplyValue = value;
                if (options.averageMicros() > 0) {
                    state.recent.add(epochMicros, value);
                }
                if (options.cooling() != null) {
                    state.addToBlock(epochMicros, value);
                }
            }
        } else if (outdoor.equals(input)) {
            if (Double.isFinite(value)) {
                state.outdoorMicros = epochMicros;
                state.outdoorValue = value;
            }
        } else {
            throw States.unknownInput(input, supply + ", " + outdoor);
        }
        return onTime(epochMicros);
    }

    /** Adds a supply reading to its local hour, and records the hour just ended in the history. */
    private void learn(long t, double value) {
        if (state.history == null) {
            return;
        }
        if (t >= state.hourEnd || t < state.hourStart) {
            if (state.hourCount > 0 && state.hourLast - state.hourFirst >= MIN_LEARNED_SPAN_MICROS) {
                double meanOutdoor = state.hourOutdoor / state.hourCount;
                // Only hours that needed heat say what the heating does.
                if (meanOutdoor < outdoorBelow) {
                    state.history.put(state.hourOfDay, state.hourDay, state.hourSupply / state.hourCount, meanOutdoor);
                }
            }
            hours.locate(t);
            state.hourStart = hours.start;
            state.hourEnd = hours.end;
            state.hourOfDay = hours.hour;
            state.hourDay = hours.epochDay;
            state.hourSupply = 0;
            state.hourOutdoor = 0;
            state.hourCount = 0;
            state.hourFirst = t;
        }
        if (!Double.isNaN(state.outdoorValue) && t - state.outdoorMicros <= MAX_AGE_MICROS) {
            state.hourSupply += value;
            state.hourOutdoor += state.outdoorValue;
            if (state.hourCount == 0) {
                state.hourFirst = t;
            }
            state.hourCount++;
            state.hourLast = t;
        }
    }

    @Override
    public Condition onTime(long epochMicros) {
        if (Double.isNaN(state.supplyValue) || Double.isNaN(state.outdoorValue)
                || epochMicros - state.supplyMicros > MAX_AGE_MICROS || epochMicros - state.outdoorMicros > MAX_AGE_MICROS) {
            return Condition.UNKNOWN;
        }
        judged = judgedSupply(epochMicros);
        if (Double.isNaN(judged)) {
            return Condition.UNKNOWN;
        }
        if (state.outdoorValue >= outdoorBelow) {
            state.active = false;
            state.meanBelow = false;
            threshold = Double.NaN;
            return Condition.FALSE;
        }
        threshold = threshold(epochMicros);
        projected = projection(epochMicros);
        double supplyNow = Double.isNaN(projected) ? judged : Math.min(judged, projected);
        if (state.active && state.meanBelow) {
            state.active = !(supplyNow > threshold + options.hysteresis());
        } else if (state.active) {
            // Raised by the fall alone: it holds while the fall still leads under the bound (with the
            // hysteresis) or the mean gets there; a fall that reverses (a burner's swing) ends it.
            state.active = judged < threshold || projected <= threshold + options.hysteresis();
        } else {
            state.active = supplyNow < threshold;
        }
        state.meanBelow = state.active && (state.meanBelow || judged < threshold);
        return state.active ? Condition.TRUE : Condition.FALSE;
    }

    /**
     * The mean of the supply readings of the window of {@code average} ending at {@code now} (NaN
     * when it holds none), or the latest reading when there is no average.
     */
    private double judgedSupply(long now) {
        if (options.averageMicros() == 0) {
            return state.supplyValue;
        }
        return state.recent.mean(now);
    }

    /**
     * The supply that the window's fall, continued as Newton cooling, leaves after the horizon
     * (see {@link HeatingCurveOptions.Cooling}); NaN when there is no cooling option, the window's
     * line is not known (fewer than three readings, or spanning less than half the window), or the
     * fall is not one that only a stop makes. Once the condition holds, any fall is projected, so that the tail of
     * a stop, slower in kelvins, keeps it.
     */
    private double projection(long now) {
        coolingMinutes = Double.NaN;
        HeatingCurveOptions.Cooling c = options.cooling();
        if (c == null || state.recent.slices() < 3 || state.recent.spanMicros() * 2 < options.averageMicros()) {
            return Double.NaN;
        }
        double rate = -state.recent.slopePerMinute();
        double excess = state.recent.lineAt(now) - c.toward();
        if (!(rate > 0) || !(excess > 0)) {
            return Double.NaN;
        }
        double tau = excess / rate;
        double spanMinutes = state.recent.spanMicros() / 60_000_000.0;
        if (!state.active && (tau * 60_000_000.0 > c.slowestMicros() || rate * spanMinutes < c.leastFall())) {
            return Double.NaN;
        }
        coolingMinutes = tau;
        double p = c.toward() + excess * Math.exp(-(c.horizonMicros() / 60_000_000.0) / tau);
        if (allowance > 0) {
            double before = state.levelBefore(now);
            if (!Double.isNaN(before)) {
                p = Math.max(p, before - allowance);
            }
        }
        return p;
    }

    /** With an average, time alone empties the window: an UNKNOWN from {@link #onTime} is no judgement. */
    @Override
    public boolean unknownWithdraws() {
        return options.averageMicros() > 0;
    }

    private double threshold(long t) {
        if (t >= hours.end || t < hours.start) {
            hours.locate(t);
        }
        int minuteOfDay = hours.hour * 60 + (int) ((t - hours.start) / MINUTE_MICROS);
        allowance = options.setbackAt(minuteOfDay) ? options.setback() : 0;
        double bound = expectedSupply(state.outdoorValue) - allowance - maxDeviation;
        if (!Double.isNaN(options.floor())) {
            bound = Math.max(bound, options.floor());
        }
        usual = Double.NaN;
        usualDays = 0;
        if (state.history != null) {
            usual = state.history.expected(hours.hour, hours.epochDay, state.outdoorValue);
            usualDays = state.history.lastCount();
            if (!Double.isNaN(usual)) {
                bound = Math.max(bound, usual - options.historyMargin());
            }
        }
        return bound;
    }

    @Override
    public Map<String, Double> figures() {
        Map<String, Double> f = new HashMap<>();
        double value = Double.isNaN(judged) ? state.supplyValue : judged;
        States.putFigure(f, "value", value);
        States.putFigure(f, "outdoor", state.outdoorValue);
        double e = Double.isNaN(state.outdoorValue) ? Double.NaN : expectedSupply(state.outdoorValue);
        States.putFigure(f, "expected", e);
        States.putFigure(f, "deviation", e - value);
        States.putFigure(f, "threshold", Double.isNaN(threshold) && !Double.isNaN(e) ? e - maxDeviation : threshold);
        States.putFigure(f, "setback", Double.isNaN(allowance) ? 0 : allowance);
        States.putFigure(f, "usual", usual);
        States.putFigure(f, "projected", projected);
        States.putFigure(f, "cooling_minutes", coolingMinutes);
        if (state.history != null) {
            f.put("history_days", (double) usualDays);
        }
        return Map.copyOf(f);
    }

    @Override
    public Detector copy() {
        return new HeatingCurveDetector(this);
    }

    /** A copy of {@code o}: same parameters, same state. */
    private HeatingCurveDetector(HeatingCurveDetector o) {
        this.supply = o.supply;
        this.outdoor = o.outdoor;
        this.outdoorLow = o.outdoorLow;
        this.outdoorHigh = o.outdoorHigh;
        this.outdoorA = o.outdoorA;
        this.supplyA = o.supplyA;
        this.slope = o.slope;
        this.maxDeviation = o.maxDeviation;
        this.outdoorBelow = o.outdoorBelow;
        this.options = o.options;
        this.hours = o.hours.copy();
        this.state = new HeatingCurveState(o.state);
        this.judged = o.judged;
        this.threshold = o.threshold;
        this.allowance = o.allowance;
        this.usual = o.usual;
        this.usualDays = o.usualDays;
        this.projected = o.projected;
        this.coolingMinutes = o.coolingMinutes;
    }

    @Override
    public Map<String, Object> state() {
        return state.save(options);
    }
}
