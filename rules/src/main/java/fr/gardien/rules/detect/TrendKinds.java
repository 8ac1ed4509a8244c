package fr.gardien.rules.detect;

import fr.gardien.rules.yaml.MappingReader;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The YAML kinds of the detectors that keep a history (wear counters, cycles, baselines,
 * heating curve, degree days): each reads its {@code params:} and returns a factory. Documented
 * in {@code rules/RULES.md}.
 */
final class TrendKinds {

    private TrendKinds() {
    }

    /** {@code counter-wear}: {@code input}, {@code limit} (> 0). */
    static DetectorFactory counterWear(DetectorParams params) {
        String input = params.input("input");
        double limit = params.number("limit");
        if (!(limit > 0)) {
            params.error("limit", "must be positive, got " + limit);
        }
        if (input == null || !(limit > 0)) {
            return null;
        }
        return new KindFactory(Set.of(input), names("since_maintenance", "limit"),
                zone -> new CounterWearDetector(input, limit),
                (zone, state) -> CounterWearDetector.restore(input, limit, state));
    }

    /**
     * {@code counter-ratio}: {@code numerator} and {@code denominator} (cumulative counters),
     * {@code window}, {@code max-window} [the window], {@code above} (the ratio),
     * {@code min-denominator} (> 0).
     */
    static DetectorFactory counterRatio(DetectorParams params) {
        String numerator = params.input("numerator");
        String denominator = params.input("denominator");
        Duration window = params.duration("window");
        Duration maxWindow = params.duration("max-window", window);
        double above = params.number("above");
        double minDenominator = params.number("min-denominator");
        if (numerator != null && numerator.equals(denominator)) {
            params.error("denominator", "must differ from the numerator");
            return null;
        }
        if (window != null && window.isZero()) {
            params.error("window", "must be longer than zero");
            return null;
        }
        if (!(minDenominator > 0)) {
            params.error("min-denominator", "must be positive, got " + minDenominator);
        }
        if (window != null && maxWindow != null && maxWindow.compareTo(window) < 0) {
            params.error("max-window", "must be at least the window");
            return null;
        }
        if (numerator == null || denominator == null || window == null || maxWindow == null || Double.isNaN(above)
                || !(minDenominator > 0)) {
            return null;
        }
        long windowMicros = window.toNanos() / 1000;
        long maxWindowMicros = maxWindow.toNanos() / 1000;
        return new KindFactory(orderedSet(numerator, denominator),
                names("ratio", "threshold", "numerator", "denominator", "window_hours"),
                zone -> new CounterRatioDetector(numerator, denominator, windowMicros, maxWindowMicros, above, minDenominator),
                (zone, state) -> CounterRatioDetector.restore(numerator, denominator, windowMicros, maxWindowMicros, above,
                        minDenominator, state),
                window);
    }

    /** {@code short-cycling}: {@code input} (a 0/1 state), {@code max-starts-per-hour} (≥ 1). */
    static DetectorFactory shortCycling(DetectorParams params) {
        String input = params.input("input");
        int max = wholeNumber(params, "max-starts-per-hour", 1, 3600, -1);
        if (input == null || max < 0) {
            return null;
        }
        return new KindFactory(Set.of(input), names("starts_per_hour", "limit", "minutes_between_starts"),
                zone -> new ShortCyclingDetector(input, max),
                (zone, state) -> ShortCyclingDetector.restore(input, max, state), Duration.ofHours(1));
    }

    /**
     * {@code baseline-anomaly}: {@code input}, {@code days} [7], {@code z} [4], {@code min} [0],
     * {@code cumulative} [false] (true for an index such as a meter's volume).
     */
    static DetectorFactory baselineAnomaly(DetectorParams params) {
        String input = params.input("input");
        int days = wholeNumber(params, "days", 3, 366, 7);
        double z = params.number("z", 4);
        double min = params.number("min", 0);
        Boolean cumulative = bool(params, "cumulative", false);
        if (input == null || days < 0 || cumulative == null) {
            return null;
        }
        return new KindFactory(Set.of(input), names("value", "baseline", "z", "history_days"),
                zone -> new BaselineAnomalyDetector(input, zone, days, z, min, cumulative),
                (zone, state) -> BaselineAnomalyDetector.restore(input, zone, days, z, min, cumulative, state));
    }

    /**
     * {@code heating-curve}: {@code supply}, {@code outdoor}, {@code curve: {outdoor-a,
     * supply-a, outdoor-b, supply-b}}, {@code max-deviation} (K), {@code outdoor-below} [15]; and
     * optionally {@code setback} (K) [0] with {@code setback-hours: {from, to}} [every hour],
     * {@code floor} (°C), {@code average} (a duration) [0s], {@code hysteresis} (K) [0],
     * {@code history-days} (3-28) with {@code history-margin} (K), {@code ignore-below} (°C),
     * {@code cooling: {toward (°C), horizon, slowest (durations), least-fall (K)}} (needs an
     * {@code average}). See {@link HeatingCurveDetector}.
     */
    static DetectorFactory heatingCurve(DetectorParams params) {
        String supply = params.input("supply");
        String outdoor = params.input("outdoor");
        MappingReader curve = params.mapping("curve", true);
        double outdoorA = curve == null ? Double.NaN : curve.number("outdoor-a");
        double supplyA = curve == null ? Double.NaN : curve.number("supply-a");
        double outdoorB = curve == null ? Double.NaN : curve.number("outdoor-b");
        double supplyB = curve == null ? Double.NaN : curve.number("supply-b");
        if (curve != null) {
            curve.finish();
            if (outdoorA == outdoorB) {
                params.error("curve", "outdoor-a and outdoor-b must differ");
                return null;
            }
        }
        double maxDeviation = params.number("max-deviation");
        double outdoorBelow = params.number("outdoor-below", 15);
        double setback = params.number("setback", 0);
        int[] setbackHours = localHours(params, "setback-hours");
        double floor = params.number("floor", Double.NaN);
        Duration average = params.duration("average", Duration.ZERO);
        double hysteresis = params.number("hysteresis", 0);
        int historyDays = wholeNumber(params, "history-days", 3, 28, 0);
        double historyMargin = params.has("history-days") ? params.number("history-margin") : params.number("history-margin", 0);
        double ignoreBelow = params.number("ignore-below", Double.NEGATIVE_INFINITY);
        HeatingCurveOptions.Cooling cooling = null;
        boolean ok = true;
        if (params.has("cooling")) {
            MappingReader c = params.mapping("cooling", true);
            if (c == null) {
                return null;
            }
            double toward = c.number("toward");
            Duration horizon = c.duration("horizon");
            Duration slowest = c.duration("slowest");
            double leastFall = c.number("least-fall", 0);
            c.finish();
            if (horizon == null || slowest == null || !Double.isFinite(toward)) {
                return null;
            }
            if (horizon.isNegative() || horizon.isZero() || slowest.isNegative() || slowest.isZero()) {
                params.error("cooling", "horizon and slowest must be positive");
                ok = false;
            }
            if (!(leastFall >= 0)) {
                params.error("cooling", "least-fall must be 0 or more (K), got " + leastFall);
                ok = false;
            }
            if (average != null && average.isZero()) {
                params.error("cooling", "needs an average (the window whose fall is judged)");
                ok = false;
            }
            cooling = new HeatingCurveOptions.Cooling(toward, horizon.toNanos() / 1000, slowest.toNanos() / 1000, leastFall);
        }
        if (!(maxDeviation >= 0)) {
            params.error("max-deviation", "must be 0 or more, got " + maxDeviation);
            ok = false;
        }
        if (!(setback >= 0)) {
            params.error("setback", "must be 0 or more (K), got " + setback);
            ok = false;
        }
        if (!(hysteresis >= 0)) {
            params.error("hysteresis", "must be 0 or more (K), got " + hysteresis);
            ok = false;
        }
        if (!(historyMargin >= 0)) {
            params.error("history-margin", "must be 0 or more (K), got " + historyMargin);
            ok = false;
        }
        if (average != null && average.isNegative()) {
            params.error("average", "must not be negative");
            ok = false;
        }
        if (!ok || supply == null || outdoor == null || curve == null || average == null || setbackHours == null
                || historyDays < 0 || Double.isNaN(outdoorA + supplyA + outdoorB + supplyB + maxDeviation)) {
            return null;
        }
        HeatingCurveOptions options = new HeatingCurveOptions(setback, setbackHours[0], setbackHours[1],
                floor, average.toNanos() / 1000, hysteresis, historyDays, historyMargin, ignoreBelow, cooling);
        Set<String> figures = names("value", "expected", "outdoor", "deviation", "threshold", "setback", "usual",
                "history_days", "projected", "cooling_minutes");
        return new KindFactory(orderedSet(supply, outdoor), figures,
                zone -> new HeatingCurveDetector(supply, outdoor, outdoorA, supplyA, outdoorB, supplyB, maxDeviation,
                        outdoorBelow, options, zone),
                (zone, state) -> {
                    HeatingCurveDetector d = new HeatingCurveDetector(supply, outdoor, outdoorA, supplyA, outdoorB, supplyB,
                            maxDeviation, outdoorBelow, options, zone);
                    d.restoreState(state);
                    return d;
                }, average);
    }

    /**
     * An optional {@code {from: "HH:MM", to: "HH:MM"}} as local minutes of the day; {@code {-1, -1}}
     * when absent, {@code null} on error.
     */
    private static int[] localHours(DetectorParams params, String key) {
        MappingReader hours = params.mapping(key, false);
        if (hours == null) {
            return params.has(key) ? null : new int[] {-1, -1};
        }
        String from = hours.matching("from", HH_MM, "a local time such as 22:00");
        String to = hours.matching("to", HH_MM, "a local time such as 06:00");
        hours.finish();
        if (from == null || to == null) {
            return null;
        }
        int a = minutes(from);
        int b = minutes(to);
        if (a == b) {
            params.error(key, "from and to must differ");
            return null;
        }
        return new int[] {a, b};
    }

    private static final java.util.regex.Pattern HH_MM = java.util.regex.Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");

    private static int minutes(String hhmm) {
        return Integer.parseInt(hhmm.substring(0, 2)) * 60 + Integer.parseInt(hhmm.substring(3, 5));
    }

    /**
     * {@code degree-day}: {@code consumption}, {@code outdoor}, {@code days} [7], {@code ratio}
     * [1.3], {@code cumulative} [true].
     */
    static DetectorFactory degreeDay(DetectorParams params) {
        String consumption = params.input("consumption");
        String outdoor = params.input("outdoor");
        int days = wholeNumber(params, "days", 3, 366, 7);
        double ratio = params.number("ratio", 1.3);
        Boolean cumulative = bool(params, "cumulative", true);
        if (!(ratio > 1)) {
            params.error("ratio", "must be greater than 1, got " + ratio);
        }
        if (consumption == null || outdoor == null || days < 0 || cumulative == null || !(ratio > 1)) {
            return null;
        }
        return new KindFactory(orderedSet(consumption, outdoor), names("per_degree_day", "baseline", "degree_days", "ratio"),
                zone -> new DegreeDayConsumptionDetector(consumption, outdoor, zone, days, ratio, cumulative),
                (zone, state) -> DegreeDayConsumptionDetector.restore(consumption, outdoor, zone, days, ratio, cumulative, state));
    }

    /** An integer parameter from min to max; the fallback when absent (-1: required); -1 on error. */
    private static int wholeNumber(DetectorParams params, String key, int min, int max, int fallback) {
        if (!params.has(key) && fallback >= 0) {
            return fallback;
        }
        double value = params.number(key);
        if (Double.isNaN(value)) {
            return -1;
        }
        if (value != Math.rint(value) || value < min || value > max) {
            params.error(key, "expected a whole number from " + min + " to " + max + ", got " + value);
            return -1;
        }
        return (int) value;
    }

    /** A true/false parameter; null (reported) when it is something else. */
    private static Boolean bool(DetectorParams params, String key, boolean fallback) {
        String text = params.string(key, Boolean.toString(fallback));
        if (text == null) {
            return null;
        }
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                params.error(key, "expected true or false, got \"" + text + "\"");
                yield null;
            }
        };
    }

    private static Set<String> names(String... names) {
        return new LinkedHashSet<>(List.of(names));
    }

    private static Set<String> orderedSet(String a, String b) {
        return new LinkedHashSet<>(List.of(a, b));
    }
}
