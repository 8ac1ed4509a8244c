package fr.gardien.rules.detect;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

/**
 * Consumption far above its usual level for the time of day: each completed local hour is compared
 * with the same local hour of the previous {@code days} days by a robust z-score,
 * {@code z = (value − median) / (1.4826 × MAD)}, which a few abnormal days in the history do not
 * distort. A flat history (MAD 0) would make any wobble infinite, so the scale has a floor of
 * {@link #SCALE_FLOOR} (10 %) of the median, and of {@code minAbsolute} when the median is 0 too (a
 * meter that never moves at that hour). 10 % rather than 5 %: with a few days of history the MAD
 * can be small by chance, and a building's hourly consumption routinely moves 20 % from one day to
 * the next (a simulated healthy month with 5 % day-to-day noise raised two alerts with a 5 % floor).
 *
 * <p>The hour's value is, when {@code cumulative}, the consumption from the index's differences
 * (see {@link PeriodSeries}: spread over hour boundaries, resets and long gaps left out, at least
 * 90 % of the hour covered); otherwise the mean of the readings in the hour. Hours follow the site's
 * local time: the spring night simply has no 02:00, the autumn night's two 02:00 hours are each
 * compared with the usual 02:00 (and averaged into the history).
 *
 * <p>Condition, for the last completed hour and until the next one completes (at most 3 h after
 * the hour's end, after which a gap in the data makes it {@link Condition#UNKNOWN}):
 * {@link Condition#TRUE} when {@code z > zLimit} and {@code value > minAbsolute};
 * {@link Condition#UNKNOWN} when the hour has no value (gap) or fewer than 3 of the previous
 * {@code days} days have a value for that hour; {@link Condition#FALSE} otherwise.
 *
 * <p>Figures: {@code value} (the hour's consumption or mean, in the input's unit), {@code baseline}
 * (the median of the previous days), {@code z}, {@code history_days}. Memory: {@code 24 × days}
 * values.
 */
public final class BaselineAnomalyDetector implements Detector {

    /** Fewest previous days with a value at that hour before a verdict is given. */
    static final int MIN_HISTORY_DAYS = 3;
    /** Least scale of the z-score, as a fraction of the median. */
    static final double SCALE_FLOOR = 0.10;
    /** How long after its hour's end a verdict stands when no later hour completes (a gap in the data). */
    private static final long VERDICT_LIFETIME_MICROS = LocalPeriods.HOUR_MICROS + PeriodSeries.MAX_SPREAD_MICROS;

    private final String input;
    private final double zLimit;
    private final double minAbsolute;
    private final PeriodSeries series;
    private final DayHistory history;
    private final double[] previous;

    private Condition condition = Condition.UNKNOWN;
    private long verdictUntilMicros = Long.MIN_VALUE;
    private double value = Double.NaN;
    private double baseline = Double.NaN;
    private double z = Double.NaN;
    private int historyDays;

    /**
     * @param input the role name of the input (e.g. {@code volume}, {@code energy}, {@code power})
     * @param zone the site's time zone, which decides the local hours
     * @param days how many previous days form the baseline (3 to 366; 14 to 28 is typical)
     * @param zLimit the robust z-score above which an hour is abnormal (e.g. 4)
     * @param minAbsolute the value, in the input's unit per hour (or the input's unit for a mean),
     *     that an hour must exceed to be abnormal, so that tiny consumptions never alert; 0 or more
     * @param cumulative true for an index (m3, Wh) whose differences are the consumption; false to
     *     use the hour's mean value (flow, power)
     */
    public BaselineAnomalyDetector(String input, ZoneId zone, int days, double zLimit, double minAbsolute,
            boolean cumulative) {
        if (input == null || input.isEmpty() || zone == null) {
            throw new IllegalArgumentException("baseline anomaly: input name and zone are required");
        }
        if (days < MIN_HISTORY_DAYS || days > 366) {
            throw new IllegalArgumentException("baseline anomaly: days must be 3 to 366 [days: " + days + "]");
        }
        if (!(zLimit > 0) || !(minAbsolute >= 0) || Double.isInfinite(zLimit) || Double.isInfinite(minAbsolute)) {
            throw new IllegalArgumentException("baseline anomaly: zLimit must be positive and minAbsolute 0 or more [zLimit: "
                    + zLimit + ", minAbsolute: " + minAbsolute + "]");
        }
        this.input = input;
        this.zLimit = zLimit;
        this.minAbsolute = minAbsolute;
        this.series = new PeriodSeries(zone, false, cumulative, this::hourCompleted);
        this.history = new DayHistory(24, days);
        this.previous = new double[days];
    }

    /** A copy of {@code o}: same parameters, same state. */
    private BaselineAnomalyDetector(BaselineAnomalyDetector o) {
        this.input = o.input;
        this.zLimit = o.zLimit;
        this.minAbsolute = o.minAbsolute;
        this.series = o.series.copy(this::hourCompleted);
        this.history = o.history.copy();
        this.previous = new double[o.previous.length];
        this.condition = o.condition;
        this.verdictUntilMicros = o.verdictUntilMicros;
        this.value = o.value;
        this.baseline = o.baseline;
        this.z = o.z;
        this.historyDays = o.historyDays;
    }

    @Override
    public Detector copy() {
        return new BaselineAnomalyDetector(this);
    }

    /** A detector with the parameters above, resumed from a {@link #state()} snapshot. */
    public static BaselineAnomalyDetector restore(String input, ZoneId zone, int days, double zLimit,
            double minAbsolute, boolean cumulative, Map<String, Object> state) {
        BaselineAnomalyDetector d = new BaselineAnomalyDetector(input, zone, days, zLimit, minAbsolute, cumulative);
        d.series.restoreFrom(state, "series.");
        d.history.restoreFrom(state, "history.");
        d.condition = States.getCondition(state, "condition");
        d.verdictUntilMicros = States.integer(state, "verdict_until_micros", Long.MIN_VALUE);
        d.value = States.number(state, "value", Double.NaN);
        d.baseline = States.number(state, "baseline", Double.NaN);
        d.z = States.number(state, "z", Double.NaN);
        d.historyDays = (int) States.integer(state, "history_days", 0);
        return d;
    }

    @Override
    public Condition onReading(String input, long epochMicros, double value) {
        if (!this.input.equals(input)) {
            throw States.unknownInput(input, this.input);
        }
        if (Double.isFinite(value)) {
            series.onReading(epochMicros, value);
        }
        return expire(epochMicros);
    }

    @Override
    public Condition onTime(long epochMicros) {
        series.onTime(epochMicros);
        return expire(epochMicros);
    }

    private Condition expire(long epochMicros) {
        if (condition != Condition.UNKNOWN && epochMicros > verdictUntilMicros) {
            condition = Condition.UNKNOWN;
        }
        return condition;
    }

    private void hourCompleted(PeriodSeries s) {
        LocalPeriods p = s.period();
        double v = s.value();
        value = v;
        verdictUntilMicros = p.end + VERDICT_LIFETIME_MICROS;
        if (Double.isNaN(v)) {
            condition = Condition.UNKNOWN;
            baseline = Double.NaN;
            z = Double.NaN;
            historyDays = 0;
            return;
        }
        int n = history.previous(p.hour, p.epochDay, previous);
        historyDays = n;
        history.put(p.hour, p.epochDay, v);
        if (n < MIN_HISTORY_DAYS) {
            condition = Condition.UNKNOWN;
            baseline = Double.NaN;
            z = Double.NaN;
            return;
        }
        double median = DayHistory.median(previous, n);
        double scale = Math.max(1.4826 * history.mad(previous, n, median), SCALE_FLOOR * Math.abs(median));
        if (scale == 0) {
            scale = minAbsolute > 0 ? minAbsolute : Double.MIN_NORMAL;
        }
        baseline = median;
        z = (v - median) / scale;
        condition = z > zLimit && v > minAbsolute ? Condition.TRUE : Condition.FALSE;
    }

    @Override
    public Map<String, Double> figures() {
        Map<String, Double> f = new HashMap<>();
        States.putFigure(f, "value", value);
        States.putFigure(f, "baseline", baseline);
        States.putFigure(f, "z", z);
        f.put("history_days", (double) historyDays);
        return Map.copyOf(f);
    }

    @Override
    public Map<String, Object> state() {
        Map<String, Object> s = new HashMap<>();
        series.saveTo(s, "series.");
        history.saveTo(s, "history.");
        s.put("condition", condition.name());
        s.put("verdict_until_micros", verdictUntilMicros);
        States.putState(s, "value", value);
        States.putState(s, "baseline", baseline);
        States.putState(s, "z", z);
        s.put("history_days", (long) historyDays);
        return s;
    }
}
