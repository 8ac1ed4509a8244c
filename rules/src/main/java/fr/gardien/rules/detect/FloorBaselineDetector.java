package fr.gardien.rules.detect;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A level that no longer falls to its usual floor: the lowest value of the signal's readings of
 * the last {@code window} (those after now − window: its floor) against the floors at the same
 * local time of day on the previous {@code days} days, TRUE when it is above the highest of them by
 * more than a margin: {@code above} (in the signal's unit), {@code relative} × that highest, and
 * {@code typical} × the signal's own mean over the previous days, whichever is largest. A
 * leak's flow or a light left on adds a constant to the signal: the floor rises by that much at any
 * hour, while the building's own use, which comes and goes, moves the peaks rather than the floor;
 * comparing with the same time of day keeps the daily rhythm out of it (a building's water flow
 * never drops to zero in the afternoon, but its afternoon floor stays within a band from one day
 * to the next).
 *
 * <p>The margin relative to the signal's mean (issue 16): the innocent short events of a building
 * (a cistern's flush at night) grow with its size, as its mean does; a fixed margin chosen on one
 * building is under the flushes of a building twice as large. The fixed {@code above} stays as the
 * least margin.
 *
 * <p>A window with a hole in it is not judged: the floor is the lowest reading, and a burst of
 * missing data may be exactly where the low readings were (just before the evening lighting
 * comes on). A hole is a gap between two readings longer than three of the meter's own reporting
 * intervals ({@link ReportingInterval}: the median of its recent intervals), or longer than the
 * window; after one, the floor starts over from the reading that ends it.
 *
 * <p>A meter's index (issue 16): with {@code index} (an input of the rule, a cumulative index such
 * as a water meter's volume), once the instance has read it, the values of the window are the mean
 * flows of {@code span}-long spans counted by the index, each placed at its start, so that the
 * window holds the spans lying wholly within it; the level readings are then left out. A level
 * that is itself a mean over a span ending at its reading (a pulse meter's gateway sends the
 * pulses of its last 15 minutes as flow) covers water from before the window, and the floor of
 * such readings rose by a leak's whole flow only a span after the window; the index's spans do
 * not. An index that goes back (a meter replaced or reset) starts the floor over, as a hole does.
 *
 * <p>The history keeps, per local quarter of an hour of each day, the highest floor seen during
 * that quarter of an hour (the highest, so that a floor falling with the evening is compared with
 * the quarter hour's start rather than its end). UNKNOWN until the readings span the window (again
 * after a hole), and while fewer than {@link #MIN_HISTORY_DAYS} of the
 * previous days have a floor for that quarter of an hour. A fault that lasts into a second day is
 * in the history by then: the floor is no longer above every previous day, and the condition turns
 * FALSE on the fault's second day at that time.
 *
 * <p>Parameters: {@code signal}, {@code window} (at most 1d), {@code above} (≥ 0), {@code relative}
 * (≥ 0, default 0: busy hours, whose floor is high, vary more in absolute terms from day to day),
 * {@code typical} (≥ 0, default 0: the fraction of the signal's mean over the previous days below
 * which the margin never falls), {@code days} (5–28, default 7), {@code baseline} ({@code highest},
 * the default, or {@code lowest}: which of the previous days' floors to compare with), {@code index}
 * (optional: the role of a cumulative index judged instead of the signal once it is read),
 * {@code span} (default 15m, shorter than the window: the index's spans), {@code relative-readings} and
 * {@code typical-readings} (default: {@code relative} and {@code typical}; with an index, the
 * margins of the level's readings, judged when there is no index or before it is read: a floor of
 * single readings spreads wider from day to day than one of 15-minute means, and a single reading
 * can be a whole flush where a span holds a third of it). Figures:
 * {@code value} (the floor), {@code baseline} (the highest, or lowest, floor of the previous days at
 * this time), {@code threshold} (what the floor must exceed), {@code mean} (the signal's mean over
 * the previous days), {@code window_hours}, {@code history_days}. Memory: 98 × (days + 1) values,
 * 15 intervals, the readings of one window and, with an index, those of one span.
 */
public final class FloorBaselineDetector implements Detector {

    /** Fewest previous days with a floor at that time before a verdict is given. */
    static final int MIN_HISTORY_DAYS = 5;
    private static final int SLOTS = 96;
    private static final double MICROS_PER_HOUR = 3_600_000_000d;

    private final Config config;
    private final ZoneId zone;
    private final SignalSpec.Signal signal;
    // The readings that may still be the window's minimum: increasing values, increasing times.
    private TimedRing window = new TimedRing(16);
    private long spanStart = Long.MIN_VALUE;
    private long last = Long.MIN_VALUE;
    // history[row * SLOTS + slot], row = local epoch day mod (days + 1); dayOf[row] = its epoch day.
    private double[] history;
    private long[] dayOf;
    // Sum and count of each day's readings, by the same rows: the signal's mean over the previous days.
    private double[] daySum;
    private long[] dayCount;
    private ReportingInterval interval = new ReportingInterval();
    // With an index: whether one has been read, and its recent readings (the span's start and on).
    private boolean indexed;
    private TimedRing counts = new TimedRing(8);
    private Condition condition = Condition.UNKNOWN;
    private double floor = Double.NaN;
    private double baseline = Double.NaN;
    private double mean = Double.NaN;
    private int historyDays;

    private FloorBaselineDetector(Config config, ZoneId zone) {
        this.config = config;
        this.zone = zone;
        this.signal = config.signal.create();
        this.history = new double[(config.days + 1) * SLOTS];
        Arrays.fill(history, Double.NaN);
        this.dayOf = new long[config.days + 1];
        Arrays.fill(dayOf, Long.MIN_VALUE);
        this.daySum = new double[config.days + 1];
        this.dayCount = new long[config.days + 1];
    }

    /** The {@code floor-baseline} kind. */
    public static DetectorFactory configure(DetectorParams params) {
        SignalSpec signal = params.signal("signal");
        Duration window = params.duration("window");
        double above = params.number("above");
        double relative = params.number("relative", 0);
        double typical = params.number("typical", 0);
        double relativeReadings = params.number("relative-readings", relative);
        double typicalReadings = params.number("typical-readings", typical);
        double days = params.number("days", 7);
        String baseline = params.string("baseline", "highest");
        String index = params.string("index", null);
        Duration span = params.duration("span", Duration.ofMinutes(15));
        if (index != null && !params.roles().contains(index)) {
            params.error("index", "\"" + index + "\" is not one of the rule's inputs " + params.roles());
            return null;
        }
        if (span != null && (span.isZero() || span.isNegative() || window != null && span.compareTo(window) >= 0)) {
            params.error("span", "must be longer than zero and shorter than the window");
            return null;
        }
        if (baseline != null && !baseline.equals("highest") && !baseline.equals("lowest")) {
            params.error("baseline", "expected highest or lowest, got \"" + baseline + '"');
            return null;
        }
        if (window != null && (window.isZero() || window.isNegative() || window.compareTo(Duration.ofDays(1)) > 0)) {
            params.error("window", "must be longer than zero and at most 1d");
            return null;
        }
        if (!Double.isNaN(above) && !(above >= 0 && above < Double.POSITIVE_INFINITY)) {
            params.error("above", "must be 0 or more");
            return null;
        }
        if (!nonNegative(params, "relative", relative) || !nonNegative(params, "typical", typical)
                || !nonNegative(params, "relative-readings", relativeReadings)
                || !nonNegative(params, "typical-readings", typicalReadings)) {
            return null;
        }
        if (!(days >= MIN_HISTORY_DAYS && days <= 28 && days == Math.rint(days))) {
            params.error("days", "must be a whole number from 5 to 28");
            return null;
        }
        if (signal == null || window == null || span == null || Double.isNaN(above)) {
            return null;
        }
        Config config = new Config(signal, window.toNanos() / 1000, above, relative, typical, relativeReadings,
                typicalReadings, (int) days, "lowest".equals(baseline), index, span.toNanos() / 1000);
        Set<String> inputs = new LinkedHashSet<>(signal.inputs());
        if (index != null) {
            inputs.add(index);
        }
        return new KindFactory(inputs,
                signal.figureNamesWith("value", "baseline", "threshold", "mean", "window_hours", "history_days"),
                zone -> new FloorBaselineDetector(config, zone), (zone, state) -> restore(config, zone, state),
                KindFactory.micros(config.windowMicros));
    }

    /** Whether {@code v} is a finite number of 0 or more; if not, the error is reported under {@code key}. */
    private static boolean nonNegative(DetectorParams params, String key, double v) {
        if (v >= 0 && v < Double.POSITIVE_INFINITY) {
            return true;
        }
        params.error(key, "must be 0 or more");
        return false;
    }

    private static FloorBaselineDetector restore(Config config, ZoneId zone, Map<String, Object> state) {
        FloorBaselineDetector d = new FloorBaselineDetector(config, zone);
        d.signal.restore(States.nested(state, "signal"));
        d.window = TimedRing.of(States.longs(state, "t"), States.doubles(state, "v"), 16);
        d.spanStart = States.integer(state, "span_start", Long.MIN_VALUE);
        d.last = States.integer(state, "last", Long.MIN_VALUE);
        double[] h = States.doubles(state, "history");
        long[] days = States.longs(state, "day_of");
        if (h.length == d.history.length && days.length == d.dayOf.length) {
            d.history = h;
            d.dayOf = days;
            double[] sums = States.doubles(state, "day_sum");
            long[] counts = States.longs(state, "day_count");
            if (sums.length == d.daySum.length && counts.length == d.dayCount.length) {
                d.daySum = sums;
                d.dayCount = counts;
            }
        }
        d.interval = ReportingInterval.of(States.longs(state, "intervals"));
        d.indexed = States.flag(state, "indexed");
        d.counts = TimedRing.of(States.longs(state, "index_t"), States.doubles(state, "index_v"), 8);
        d.mean = States.number(state, "mean", Double.NaN);
        d.condition = Condition.valueOf(String.valueOf(state.getOrDefault("condition", "UNKNOWN")));
        d.floor = States.number(state, "floor", Double.NaN);
        d.baseline = States.number(state, "baseline", Double.NaN);
        d.historyDays = (int) States.integer(state, "history_days", 0);
        return d;
    }

    @Override
    public Condition onReading(String input, long epochMicros, double value) {
        if (config.index != null && config.index.equals(input)) {
            return onIndex(epochMicros, value);
        }
        if (!signal.accept(input, value) || indexed) {
            // Once the meter's index is known, the floor is judged on it alone (the level's
            // readings still give their figure).
            return condition;
        }
        startsOver(epochMicros);
        return judge(epochMicros, epochMicros, signal.value());
    }

    /**
     * A reading of the meter's index: the mean flow since the latest index reading at least
     * {@code span} older is one value of the window, placed at that older reading's time (its
     * water flowed after it). The level the meter's gateway sends may be such a mean over a span
     * ending at its reading (a pulse meter's flow), partly from before the window; the index's
     * spans all lie within it, so a leak lifts the floor of every window that starts after it.
     */
    private Condition onIndex(long epochMicros, double index) {
        if (!indexed) {
            // The first index reading: the level's readings seen before it (at most a few, at the
            // very start) are dropped and the floor starts over on the index.
            indexed = true;
            last = Long.MIN_VALUE;
        }
        boolean reset = counts.size() > 0 && index < counts.value(counts.size() - 1);
        if (startsOver(epochMicros) || reset) {
            // A hole, or an index that went back (a meter replaced or reset): no span across it.
            counts.clear();
            window.clear();
            spanStart = epochMicros;
        }
        counts.append(epochMicros, index);
        long from = epochMicros - config.spanMicros;
        while (counts.size() > 1 && counts.time(1) <= from) {
            counts.removeFirst();
        }
        if (counts.size() < 2 || counts.time(0) > from) {
            condition = Condition.UNKNOWN;
            floor = Double.NaN;
            baseline = Double.NaN;
            return condition;
        }
        double flow = (index - counts.value(0)) / ((epochMicros - counts.time(0)) / MICROS_PER_HOUR);
        return judge(epochMicros, counts.time(0), flow);
    }

    /**
     * Takes the reading at {@code epochMicros} into the reporting interval; on the first reading or
     * after a hole (longer than the window, or than three reporting intervals), the floor starts
     * over, so that no window with a hole in it is judged.
     *
     * @return whether the floor started over
     */
    private boolean startsOver(long epochMicros) {
        boolean over = last == Long.MIN_VALUE || epochMicros - last > config.windowMicros
                || interval.isHole(epochMicros - last);
        if (over) {
            window.clear();
            spanStart = epochMicros;
        }
        if (last != Long.MIN_VALUE) {
            interval.add(epochMicros - last);
        }
        last = epochMicros;
        return over;
    }

    /** Judges value {@code v}, which belongs to the window from {@code since} on, at {@code epochMicros}. */
    private Condition judge(long epochMicros, long since, double v) {
        while (window.size() > 0 && window.value(window.size() - 1) >= v) {
            window.removeLast();
        }
        window.append(since, v);
        long start = epochMicros - config.windowMicros;
        while (window.size() > 1 && window.time(0) <= start) {
            window.removeFirst();
        }
        ZonedDateTime local = Instant.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L)).atZone(zone);
        long day = local.toLocalDate().toEpochDay();
        int row = (int) Math.floorMod(day, (long) config.days + 1);
        if (dayOf[row] != day) {
            dayOf[row] = day;
            Arrays.fill(history, row * SLOTS, (row + 1) * SLOTS, Double.NaN);
            daySum[row] = 0;
            dayCount[row] = 0;
        }
        daySum[row] += v;
        dayCount[row]++;
        if (epochMicros - spanStart < config.windowMicros) {
            condition = Condition.UNKNOWN;
            floor = Double.NaN;
            baseline = Double.NaN;
            return condition;
        }
        floor = window.value(0);
        int slot = (local.getHour() * 60 + local.getMinute()) / 15;
        int at = row * SLOTS + slot;
        history[at] = Double.isNaN(history[at]) ? floor : Math.max(history[at], floor);

        // The highest floor of the previous days at this time: a floor above every one of them by
        // the margin is not the day-to-day wobble (the median with the same margins raised false
        // alerts on the simulated buildings, whose afternoon floor moves 20-30 % between days).
        // With baseline: lowest, the lowest of them: a night floor is steady from one night to the
        // next, and the lowest of a fortnight still says where it should be on a fault's second
        // night, when the highest already holds the first.
        double chosen = config.lowest ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        int n = 0;
        double sum = 0;
        long count = 0;
        for (int r = 0; r <= config.days; r++) {
            long d = dayOf[r];
            if (d >= day || d < day - config.days) {
                continue;
            }
            sum += daySum[r];
            count += dayCount[r];
            double h = history[r * SLOTS + slot];
            if (!Double.isNaN(h)) {
                chosen = config.lowest ? Math.min(chosen, h) : Math.max(chosen, h);
                n++;
            }
        }
        mean = count == 0 ? Double.NaN : sum / count;
        historyDays = n;
        if (n < MIN_HISTORY_DAYS) {
            condition = Condition.UNKNOWN;
            baseline = Double.NaN;
            return condition;
        }
        baseline = chosen;
        condition = floor > threshold() ? Condition.TRUE : Condition.FALSE;
        return condition;
    }

    private double threshold() {
        // The index's spans, or the level's readings (a meter without an index, or before one is read).
        double relative = indexed ? config.relative : config.relativeReadings;
        double typical = indexed ? config.typical : config.typicalReadings;
        double margin = Math.max(config.above, relative * Math.abs(baseline));
        if (!Double.isNaN(mean)) {
            margin = Math.max(margin, typical * Math.abs(mean));
        }
        return baseline + margin;
    }

    @Override
    public Map<String, Double> figures() {
        Map<String, Double> out = new HashMap<>();
        signal.figures(out);
        if (!Double.isNaN(floor)) {
            out.put("value", floor);
        }
        if (!Double.isNaN(baseline)) {
            out.put("baseline", baseline);
            out.put("threshold", threshold());
        }
        if (!Double.isNaN(mean)) {
            out.put("mean", mean);
        }
        out.put("window_hours", config.windowMicros / MICROS_PER_HOUR);
        out.put("history_days", (double) historyDays);
        return out;
    }

    @Override
    public Detector copy() {
        FloorBaselineDetector d = new FloorBaselineDetector(config, zone);
        d.signal.copyFrom(signal);
        d.window = window.copy();
        d.spanStart = spanStart;
        d.last = last;
        d.history = history.clone();
        d.dayOf = dayOf.clone();
        d.daySum = daySum.clone();
        d.dayCount = dayCount.clone();
        d.interval = interval.copy();
        d.indexed = indexed;
        d.counts = counts.copy();
        d.condition = condition;
        d.floor = floor;
        d.baseline = baseline;
        d.mean = mean;
        d.historyDays = historyDays;
        return d;
    }

    @Override
    public Map<String, Object> state() {
        Map<String, Object> out = new HashMap<>();
        out.put("signal", signal.state());
        out.put("t", window.times());
        out.put("v", window.values());
        out.put("span_start", spanStart);
        out.put("last", last);
        out.put("history", history.clone());
        out.put("day_of", dayOf.clone());
        out.put("day_sum", daySum.clone());
        out.put("day_count", dayCount.clone());
        out.put("intervals", interval.values());
        out.put("indexed", indexed);
        out.put("index_t", counts.times());
        out.put("index_v", counts.values());
        out.put("mean", mean);
        out.put("condition", condition.name());
        out.put("floor", floor);
        out.put("baseline", baseline);
        out.put("history_days", historyDays);
        return out;
    }

    private record Config(SignalSpec signal, long windowMicros, double above, double relative, double typical,
            double relativeReadings, double typicalReadings, int days, boolean lowest, String index, long spanMicros) {
    }
}
