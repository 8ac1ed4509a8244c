package fr.gardien.rules.detect;

import java.time.ZoneId;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Heating energy per degree-day far above its recent level: insulation, a valve or a boiler's
 * efficiency going wrong, seen once the weather is taken out. For each completed local day,
 * degree-days are {@code DJU = max(0, 18 − mean outdoor temperature of the day)} (French DJU, base
 * 18 °C; the mean of the day's readings, which must cover at least 75 % of its hours), and the day's
 * energy per degree-day is compared with the median of the same figure over the previous
 * {@code days} days.
 *
 * <p>The day's consumption is, when {@code cumulative}, the difference of the energy index (see
 * {@link PeriodSeries}: spread over boundaries, resets and long gaps left out, at least 90 % of
 * the day covered), or else the mean of the readings (power) times 24 h. A 23- or 25-hour day at
 * a DST change is scaled to 24 h, so that it compares fairly with the others.
 *
 * <p>Condition, for the last evaluated day and until the next one is evaluated (at most 28 h after
 * the day's end; then {@link Condition#UNKNOWN}): {@link Condition#TRUE} when
 * {@code ratio = per_degree_day / baseline > ratioLimit}; {@link Condition#UNKNOWN} when the day's
 * consumption or outdoor mean is not known, when {@code DJU < 1} (mild weather: the heating says
 * nothing), or when fewer than 3 of the previous {@code days} days have a figure;
 * {@link Condition#FALSE} otherwise.
 *
 * <p>Figures: {@code per_degree_day} (consumption unit per K·day), {@code baseline} (the median of
 * the previous days), {@code degree_days} (K·day), {@code ratio}. Memory: {@code days} values.
 */
public final class DegreeDayConsumptionDetector implements Detector {

    /** DJU base temperature, °C. */
    static final double DJU_BASE = 18.0;
    /** Fewest previous days with a figure before a verdict is given. */
    static final int MIN_HISTORY_DAYS = 3;
    private static final long DAY_MICROS = 24 * LocalPeriods.HOUR_MICROS;
    private static final long VERDICT_LIFETIME_MICROS = 28 * LocalPeriods.HOUR_MICROS;
    private static final int PENDING = 4;
    private static final long EMPTY = Long.MIN_VALUE;

    private final String consumption;
    private final String outdoor;
    private final double ratioLimit;
    private final boolean cumulative;
    private final PeriodSeries consumptionSeries;
    private final PeriodSeries outdoorSeries;
    private final DayHistory history;
    private final double[] previous;

    /** Completed days of each input, waiting for the other input's same day. */
    private final long[] consumptionDays = new long[PENDING];
    private final double[] consumptionValues = new double[PENDING];
    private final long[] outdoorDays = new long[PENDING];
    private final double[] outdoorValues = new double[PENDING];
    private final long[] dayEnds = new long[PENDING];

    private long lastEvaluatedDay = EMPTY;
    private long verdictUntilMicros = Long.MIN_VALUE;
    private Condition condition = Condition.UNKNOWN;
    private double perDegreeDay = Double.NaN;
    private double baseline = Double.NaN;
    private double degreeDays = Double.NaN;
    private double ratio = Double.NaN;

    /**
     * @param consumption the role name of the heating energy input (an index in kWh or Wh when
     *     {@code cumulative}, else a power)
     * @param outdoor the role name of the outdoor temperature input (°C)
     * @param zone the site's time zone, which decides the local days
     * @param days how many previous days form the baseline (3 to 366; 14 to 28 is typical)
     * @param ratioLimit the ratio to the baseline above which a day is abnormal, e.g. 1.3 for 30 %
     *     more energy per degree-day; more than 0
     * @param cumulative true for an energy index whose differences are the consumption; false for
     *     a power whose daily mean is taken
     */
    public DegreeDayConsumptionDetector(String consumption, String outdoor, ZoneId zone, int days, double ratioLimit,
            boolean cumulative) {
        if (consumption == null || outdoor == null || consumption.isEmpty() || outdoor.isEmpty()
                || consumption.equals(outdoor) || zone == null) {
            throw new IllegalArgumentException("degree-day consumption: two distinct input names and a zone are required");
        }
        if (days < MIN_HISTORY_DAYS || days > 366) {
            throw new IllegalArgumentException("degree-day consumption: days must be 3 to 366 [days: " + days + "]");
        }
        if (!(ratioLimit > 0) || Double.isInfinite(ratioLimit)) {
            throw new IllegalArgumentException("degree-day consumption: ratioLimit must be positive [ratioLimit: "
                    + ratioLimit + "]");
        }
        this.consumption = consumption;
        this.outdoor = outdoor;
        this.ratioLimit = ratioLimit;
        this.cumulative = cumulative;
        this.consumptionSeries = new PeriodSeries(zone, true, cumulative, this::consumptionDayCompleted);
        this.outdoorSeries = new PeriodSeries(zone, true, false, this::outdoorDayCompleted);
        this.history = new DayHistory(1, days);
        this.previous = new double[days];
        Arrays.fill(consumptionDays, EMPTY);
        Arrays.fill(outdoorDays, EMPTY);
    }

    /** A detector with the parameters above, resumed from a {@link #state()} snapshot. */
    public static DegreeDayConsumptionDetector restore(String consumption, String outdoor, ZoneId zone, int days,
            double ratioLimit, boolean cumulative, Map<String, Object> state) {
        DegreeDayConsumptionDetector d = new DegreeDayConsumptionDetector(consumption, outdoor, zone, days, ratioLimit,
                cumulative);
        d.consumptionSeries.restoreFrom(state, "consumption.");
        d.outdoorSeries.restoreFrom(state, "outdoor.");
        d.history.restoreFrom(state, "history.");
        d.lastEvaluatedDay = States.integer(state, "last_evaluated_day", EMPTY);
        d.verdictUntilMicros = States.integer(state, "verdict_until_micros", Long.MIN_VALUE);
        d.condition = States.getCondition(state, "condition");
        d.perDegreeDay = States.number(state, "per_degree_day", Double.NaN);
        d.baseline = States.number(state, "baseline", Double.NaN);
        d.degreeDays = States.number(state, "degree_days", Double.NaN);
        d.ratio = States.number(state, "ratio", Double.NaN);
        var pc = States.getNumbers(state, "pending_consumption");
        for (int i = 0; i + 2 < pc.size(); i += 3) {
            d.remember(d.consumptionDays, d.consumptionValues, pc.get(i).longValue(), pc.get(i + 1).doubleValue(),
                    pc.get(i + 2).longValue());
        }
        var po = States.getNumbers(state, "pending_outdoor");
        for (int i = 0; i + 2 < po.size(); i += 3) {
            d.remember(d.outdoorDays, d.outdoorValues, po.get(i).longValue(), po.get(i + 1).doubleValue(),
                    po.get(i + 2).longValue());
        }
        return d;
    }

    @Override
    public Condition onReading(String input, long epochMicros, double value) {
        if (consumption.equals(input)) {
            if (Double.isFinite(value)) {
                consumptionSeries.onReading(epochMicros, value);
            }
        } else if (outdoor.equals(input)) {
            if (Double.isFinite(value)) {
                outdoorSeries.onReading(epochMicros, value);
            }
        } else {
            throw States.unknownInput(input, consumption + ", " + outdoor);
        }
        return onTime(epochMicros);
    }

    @Override
    public Condition onTime(long epochMicros) {
        consumptionSeries.onTime(epochMicros);
        outdoorSeries.onTime(epochMicros);
        if (condition != Condition.UNKNOWN && epochMicros > verdictUntilMicros) {
            condition = Condition.UNKNOWN;
        }
        return condition;
    }

    private void consumptionDayCompleted(PeriodSeries s) {
        double v = s.value();
        // Scaled to 24 h: a mean power times a day, or a 23/25-hour day's energy as if it were 24 h.
        double perDay = cumulative ? v * DAY_MICROS / s.lengthMicros() : v * 24;
        remember(consumptionDays, consumptionValues, s.period().epochDay, perDay, s.period().end);
        evaluate(s.period().epochDay);
    }

    private void outdoorDayCompleted(PeriodSeries s) {
        remember(outdoorDays, outdoorValues, s.period().epochDay, s.value(), s.period().end);
        evaluate(s.period().epochDay);
    }

    private void remember(long[] days, double[] values, long epochDay, double value, long endMicros) {
        int slot = (int) Math.floorMod(epochDay, (long) PENDING);
        days[slot] = epochDay;
        values[slot] = value;
        dayEnds[slot] = endMicros;
    }

    private void evaluate(long epochDay) {
        int slot = (int) Math.floorMod(epochDay, (long) PENDING);
        if (epochDay <= lastEvaluatedDay || consumptionDays[slot] != epochDay || outdoorDays[slot] != epochDay) {
            return;
        }
        lastEvaluatedDay = epochDay;
        verdictUntilMicros = dayEnds[slot] + VERDICT_LIFETIME_MICROS;
        double energy = consumptionValues[slot];
        double outdoorMean = outdoorValues[slot];
        perDegreeDay = Double.NaN;
        baseline = Double.NaN;
        ratio = Double.NaN;
        degreeDays = Double.isNaN(outdoorMean) ? Double.NaN : Math.max(0, DJU_BASE - outdoorMean);
        if (Double.isNaN(energy) || Double.isNaN(degreeDays) || degreeDays < 1) {
            condition = Condition.UNKNOWN;
            return;
        }
        perDegreeDay = energy / degreeDays;
        int n = history.previous(0, epochDay, previous);
        history.put(0, epochDay, perDegreeDay);
        if (n < MIN_HISTORY_DAYS) {
            condition = Condition.UNKNOWN;
            return;
        }
        baseline = DayHistory.median(previous, n);
        if (!(baseline > 0)) {
            condition = Condition.UNKNOWN;
            return;
        }
        ratio = perDegreeDay / baseline;
        condition = ratio > ratioLimit ? Condition.TRUE : Condition.FALSE;
    }

    @Override
    public Map<String, Double> figures() {
        Map<String, Double> f = new HashMap<>();
        States.putFigure(f, "per_degree_day", perDegreeDay);
        States.putFigure(f, "baseline", baseline);
        States.putFigure(f, "degree_days", degreeDays);
        States.putFigure(f, "ratio", ratio);
        return Map.copyOf(f);
    }

    @Override
    public Map<String, Object> state() {
        Map<String, Object> s = new HashMap<>();
        consumptionSeries.saveTo(s, "consumption.");
        outdoorSeries.saveTo(s, "outdoor.");
        history.saveTo(s, "history.");
        if (lastEvaluatedDay != EMPTY) {
            s.put("last_evaluated_day", lastEvaluatedDay);
            s.put("verdict_until_micros", verdictUntilMicros);
        }
        s.put("condition", condition.name());
        States.putState(s, "per_degree_day", perDegreeDay);
        States.putState(s, "baseline", baseline);
        States.putState(s, "degree_days", degreeDays);
        States.putState(s, "ratio", ratio);
        s.put("pending_consumption", pending(consumptionDays, consumptionValues));
        s.put("pending_outdoor", pending(outdoorDays, outdoorValues));
        return s;
    }

    private List<Double> pending(long[] days, double[] values) {
        List<Double> list = new ArrayList<>();
        for (int i = 0; i < PENDING; i++) {
            if (days[i] != EMPTY && days[i] > lastEvaluatedDay && !Double.isNaN(values[i])) {
                list.add((double) days[i]);
                list.add(values[i]);
                list.add((double) dayEnds[i]);
            }
        }
        return list;
    }
}
