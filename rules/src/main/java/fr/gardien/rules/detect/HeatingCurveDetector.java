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

    /**
     * The options beyond the curve, all off by default. {@code setbackFrom}/{@code setbackTo} are
     * local minutes of the day ({@code to} exclusive, before {@code from} across midnight); both
     * −1 for every hour.
     */
    record Options(double setback, int setbackFrom, int setbackTo, double floor, long averageMicros,
            double hysteresis, int historyDays, double historyMargin, double ignoreBelow) {

        static final Options NONE = new Options(0, -1, -1, Double.NaN, 0, 0, 0, 0, Double.NEGATIVE_INFINITY);

        boolean setbackAt(int minuteOfDay) {
            if (setback == 0) {
                return false;
            }
            if (setbackFrom < 0) {
                return true;
            }
            return setbackFrom < setbackTo ? minuteOfDay >= setbackFrom && minuteOfDay < setbackTo
                    : minuteOfDay >= setbackFrom || minuteOfDay < setbackTo;
        }
    }

    private final String supply;
    private final String outdoor;
    private final double outdoorLow;
    private final double outdoorHigh;
    private final double outdoorA;
    private final double supplyA;
    private final double slope;
    private final double maxDeviation;
    private final double outdoorBelow;
    private final Options options;
    private final LocalPeriods hours;

    private long supplyMicros = Long.MIN_VALUE;
    private double supplyValue = Double.NaN;
    private long outdoorMicros = Long.MIN_VALUE;
    private double outdoorValue = Double.NaN;
    /** The supply readings of the last {@code average}: their mean costs O(1) per reading. */
    private WindowMean recent;
    private boolean active;
    // The local hour being accumulated for the history: its period and sums.
    private long hourStart = Long.MIN_VALUE;
    private long hourEnd = Long.MIN_VALUE;
    private int hourOfDay;
    private long hourDay;
    private double hourSupply;
    private double hourOutdoor;
    private int hourCount;
    private long hourFirst;
    private long hourLast;
    private SupplyHistory history;
    // Figures of the last evaluation.
    private double judged = Double.NaN;
    private double threshold = Double.NaN;
    private double allowance = Double.NaN;
    private double usual = Double.NaN;
    private int usualDays;

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
        this(supply, outdoor, outdoorA, supplyA, outdoorB, supplyB, maxDeviation, outdoorBelow, Options.NONE,
                ZoneId.of("UTC"));
    }

    HeatingCurveDetector(String supply, String outdoor, double outdoorA, double supplyA, double outdoorB,
            double supplyB, double maxDeviation, double outdoorBelow, Options options, ZoneId zone) {
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
        this.history = options.historyDays() > 0 ? new SupplyHistory(options.historyDays()) : null;
        this.recent = new WindowMean(options.averageMicros());
    }

    /** A plain-curve detector with the parameters above, resumed from a {@link #state()} snapshot. */
    public static HeatingCurveDetector restore(String supply, String outdoor, double outdoorA, double supplyA,
            double outdoorB, double supplyB, double maxDeviation, double outdoorBelow, Map<String, Object> state) {
        HeatingCurveDetector d = new HeatingCurveDetector(supply, outdoor, outdoorA, supplyA, outdoorB, supplyB,
                maxDeviation, outdoorBelow);
        d.restoreState(state);
        return d;
    }

    void restoreState(Map<String, Object> state) {
        if (States.has(state, "supply_micros") && States.has(state, "supply_value")) {
            supplyMicros = States.integer(state, "supply_micros", Long.MIN_VALUE);
            supplyValue = States.number(state, "supply_value", Double.NaN);
        }
        if (States.has(state, "outdoor_micros") && States.has(state, "outdoor_value")) {
            outdoorMicros = States.integer(state, "outdoor_micros", Long.MIN_VALUE);
            outdoorValue = States.number(state, "outdoor_value", Double.NaN);
        }
        recent = WindowMean.restore(options.averageMicros(), States.longs(state, "recent_t"),
                States.doubles(state, "recent_v"), States.has(state, "recent_n") ? States.longs(state, "recent_n") : null);
        active = States.flag(state, "active");
        if (States.has(state, "hour_start")) {
            hourStart = States.integer(state, "hour_start", Long.MIN_VALUE);
            hourEnd = States.integer(state, "hour_end", Long.MIN_VALUE);
            hourOfDay = (int) States.integer(state, "hour_of_day", 0);
            hourDay = States.integer(state, "hour_day", 0);
            hourSupply = States.number(state, "hour_supply", 0);
            hourOutdoor = States.number(state, "hour_outdoor", 0);
            hourCount = (int) States.integer(state, "hour_count", 0);
            hourFirst = States.integer(state, "hour_first", 0);
            hourLast = States.integer(state, "hour_last", 0);
        }
        if (history != null) {
            history.restoreFrom(state);
        }
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
                supplyMicros = epochMicros;
                supplyValue = value;
                if (options.averageMicros() > 0) {
                    recent.add(epochMicros, value);
                }
            }
        } else if (outdoor.equals(input)) {
            if (Double.isFinite(value)) {
                outdoorMicros = epochMicros;
                outdoorValue = value;
            }
        } else {
            throw States.unknownInput(input, supply + ", " + outdoor);
        }
        return onTime(epochMicros);
    }

    /** Adds a supply reading to its local hour, and records the hour just ended in the history. */
    private void learn(long t, double value) {
        if (history == null) {
            return;
        }
        if (t >= hourEnd || t < hourStart) {
            if (hourCount > 0 && hourLast - hourFirst >= MIN_LEARNED_SPAN_MICROS) {
                double meanOutdoor = hourOutdoor / hourCount;
                // Only hours that needed heat say what the heating does.
                if (meanOutdoor < outdoorBelow) {
                    history.put(hourOfDay, hourDay, hourSupply / hourCount, meanOutdoor);
                }
            }
            hours.locate(t);
            hourStart = hours.start;
            hourEnd = hours.end;
            hourOfDay = hours.hour;
            hourDay = hours.epochDay;
            hourSupply = 0;
            hourOutdoor = 0;
            hourCount = 0;
            hourFirst = t;
        }
        if (!Double.isNaN(outdoorValue) && t - outdoorMicros <= MAX_AGE_MICROS) {
            hourSupply += value;
            hourOutdoor += outdoorValue;
            if (hourCount == 0) {
                hourFirst = t;
            }
            hourCount++;
            hourLast = t;
        }
    }

    @Override
    public Condition onTime(long epochMicros) {
        if (Double.isNaN(supplyValue) || Double.isNaN(outdoorValue)
                || epochMicros - supplyMicros > MAX_AGE_MICROS || epochMicros - outdoorMicros > MAX_AGE_MICROS) {
            return Condition.UNKNOWN;
        }
        judged = judgedSupply(epochMicros);
        if (Double.isNaN(judged)) {
            return Condition.UNKNOWN;
        }
        if (outdoorValue >= outdoorBelow) {
            active = false;
            threshold = Double.NaN;
            return Condition.FALSE;
        }
        threshold = threshold(epochMicros);
        if (active) {
            active = !(judged > threshold + options.hysteresis());
        } else {
            active = judged < threshold;
        }
        return active ? Condition.TRUE : Condition.FALSE;
    }

    /**
     * The mean of the supply readings of the window of {@code average} ending at {@code now} (NaN
     * when it holds none), or the latest reading when there is no average.
     */
    private double judgedSupply(long now) {
        if (options.averageMicros() == 0) {
            return supplyValue;
        }
        return recent.mean(now);
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
        double bound = expectedSupply(outdoorValue) - allowance - maxDeviation;
        if (!Double.isNaN(options.floor())) {
            bound = Math.max(bound, options.floor());
        }
        usual = Double.NaN;
        usualDays = 0;
        if (history != null) {
            usual = history.expected(hours.hour, hours.epochDay, outdoorValue);
            usualDays = history.lastCount();
            if (!Double.isNaN(usual)) {
                bound = Math.max(bound, usual - options.historyMargin());
            }
        }
        return bound;
    }

    @Override
    public Map<String, Double> figures() {
        Map<String, Double> f = new HashMap<>();
        double value = Double.isNaN(judged) ? supplyValue : judged;
        States.putFigure(f, "value", value);
        States.putFigure(f, "outdoor", outdoorValue);
        double e = Double.isNaN(outdoorValue) ? Double.NaN : expectedSupply(outdoorValue);
        States.putFigure(f, "expected", e);
        States.putFigure(f, "deviation", e - value);
        States.putFigure(f, "threshold", Double.isNaN(threshold) && !Double.isNaN(e) ? e - maxDeviation : threshold);
        States.putFigure(f, "setback", Double.isNaN(allowance) ? 0 : allowance);
        States.putFigure(f, "usual", usual);
        if (history != null) {
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
        this.supplyMicros = o.supplyMicros;
        this.supplyValue = o.supplyValue;
        this.outdoorMicros = o.outdoorMicros;
        this.outdoorValue = o.outdoorValue;
        this.recent = o.recent.copy();
        this.active = o.active;
        this.hourStart = o.hourStart;
        this.hourEnd = o.hourEnd;
        this.hourOfDay = o.hourOfDay;
        this.hourDay = o.hourDay;
        this.hourSupply = o.hourSupply;
        this.hourOutdoor = o.hourOutdoor;
        this.hourCount = o.hourCount;
        this.hourFirst = o.hourFirst;
        this.hourLast = o.hourLast;
        this.history = o.history == null ? null : o.history.copy();
        this.judged = o.judged;
        this.threshold = o.threshold;
        this.allowance = o.allowance;
        this.usual = o.usual;
        this.usualDays = o.usualDays;
    }

    @Override
    public Map<String, Object> state() {
        Map<String, Object> s = new HashMap<>();
        if (!Double.isNaN(supplyValue)) {
            s.put("supply_micros", supplyMicros);
            s.put("supply_value", supplyValue);
        }
        if (!Double.isNaN(outdoorValue)) {
            s.put("outdoor_micros", outdoorMicros);
            s.put("outdoor_value", outdoorValue);
        }
        s.put("recent_t", recent.times());
        s.put("recent_v", recent.means());
        s.put("recent_n", recent.counts());
        s.put("active", active);
        if (hourStart != Long.MIN_VALUE) {
            s.put("hour_start", hourStart);
            s.put("hour_end", hourEnd);
            s.put("hour_of_day", hourOfDay);
            s.put("hour_day", hourDay);
            s.put("hour_supply", hourSupply);
            s.put("hour_outdoor", hourOutdoor);
            s.put("hour_count", hourCount);
            s.put("hour_first", hourFirst);
            s.put("hour_last", hourLast);
        }
        if (history != null) {
            history.saveTo(s);
        }
        return s;
    }
}
