package fr.gardien.rules.detect;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A signal changing too fast: the change per hour over the last {@code window}, measured from the
 * newest reading at or before (now − window) to the newest reading, strictly above {@code above}
 * or strictly below {@code below} (e.g. {@code below: -0.2} for a pressure falling faster than
 * 0.2 bar/h). UNKNOWN until the readings span the window. Parameters: {@code signal},
 * {@code window}, exactly one of {@code above} / {@code below} (per hour), and optionally
 * {@code ignore-below}: readings under it are left out, as not measuring what the rule watches
 * (a filter's pressure drop while its fan is stopped), so that a stop and a restart do not look
 * like a trend.
 *
 * <p>Memory is bounded whatever the rate: readings closer than {@code window / 1024} to the one
 * before are not all kept (the newest of such a run replaces the previous newest), so the ring
 * holds about a thousand readings at most and the base may be up to {@code window / 1024} older
 * than (now − window), which changes the rate by under 0.1 %. At a reading a minute over a window
 * of hours, every reading is kept.
 */
public final class RateOfChangeDetector implements Detector {

    private static final double MICROS_PER_HOUR = 3_600_000_000d;
    /** The window over this: the spacing under which readings are thinned (see the class comment). */
    static final int THINNING = 1024;

    private final Config config;
    private final SignalSpec.Signal signal;
    // A ring buffer of the readings within the window plus the one just before it.
    private TimedRing window = new TimedRing(8);
    private Condition condition = Condition.UNKNOWN;
    private double rate = Double.NaN;

    private RateOfChangeDetector(Config config) {
        this.config = config;
        this.signal = config.signal.create();
    }

    /** The {@code rate-of-change} kind. */
    public static DetectorFactory configure(DetectorParams params) {
        SignalSpec signal = params.signal("signal");
        Duration window = params.duration("window");
        boolean above = params.has("above");
        if (above == params.has("below")) {
            params.error("signal", "give exactly one of \"above\" or \"below\" (change per hour)");
            return null;
        }
        double limit = params.number(above ? "above" : "below");
        double ignoreBelow = params.number("ignore-below", Double.NEGATIVE_INFINITY);
        if (window != null && window.isZero()) {
            params.error("window", "must be longer than zero");
            return null;
        }
        if (signal == null || window == null || Double.isNaN(limit)) {
            return null;
        }
        Config config = new Config(signal, window.toNanos() / 1000, above, limit, ignoreBelow);
        return new KindFactory(signal.inputs(),
                signal.figureNamesWith("value", "rate_per_hour", "threshold", "window_hours"),
                zone -> new RateOfChangeDetector(config), (zone, state) -> restore(config, state),
                KindFactory.micros(config.windowMicros));
    }

    private static RateOfChangeDetector restore(Config config, Map<String, Object> state) {
        RateOfChangeDetector detector = new RateOfChangeDetector(config);
        detector.signal.restore(States.nested(state, "signal"));
        detector.window = TimedRing.of(States.longs(state, "t"), States.doubles(state, "v"), 8);
        detector.condition = Condition.valueOf(String.valueOf(state.getOrDefault("condition", "UNKNOWN")));
        detector.rate = States.number(state, "rate", Double.NaN);
        return detector;
    }

    @Override
    public Condition onReading(String input, long epochMicros, double value) {
        if (!signal.accept(input, value) || signal.value() < config.ignoreBelow) {
            return condition;
        }
        // The reading before the newest is replaced rather than kept when it is closer than the
        // spacing to its predecessor: the ring stays ~1,024 readings long at any rate.
        if (window.size() >= 2 && epochMicros - window.time(window.size() - 2) < config.windowMicros / THINNING) {
            window.removeLast();
        }
        window.append(epochMicros, signal.value());
        long start = epochMicros - config.windowMicros;
        // Keep the newest reading at or before the window's start as the base.
        while (window.size() >= 2 && window.time(1) <= start) {
            window.removeFirst();
        }
        long baseTime = window.time(0);
        if (window.size() < 2 || baseTime > start) {
            condition = Condition.UNKNOWN;
            rate = Double.NaN;
        } else {
            rate = (signal.value() - window.value(0)) / ((epochMicros - baseTime) / MICROS_PER_HOUR);
            condition = (config.above ? rate > config.limit : rate < config.limit) ? Condition.TRUE : Condition.FALSE;
        }
        return condition;
    }

    @Override
    public Map<String, Double> figures() {
        Map<String, Double> out = new HashMap<>();
        signal.figures(out);
        if (window.size() > 0) {
            out.put("value", signal.value());
        }
        if (!Double.isNaN(rate)) {
            out.put("rate_per_hour", rate);
        }
        out.put("threshold", config.limit);
        out.put("window_hours", config.windowMicros / MICROS_PER_HOUR);
        return out;
    }

    @Override
    public Detector copy() {
        RateOfChangeDetector d = new RateOfChangeDetector(config);
        d.signal.copyFrom(signal);
        d.window = window.copy();
        d.condition = condition;
        d.rate = rate;
        return d;
    }

    @Override
    public Map<String, Object> state() {
        return Map.of("signal", signal.state(), "t", window.times(), "v", window.values(), "condition", condition.name(),
                "rate", rate);
    }

    private record Config(SignalSpec signal, long windowMicros, boolean above, double limit, double ignoreBelow) {
    }
}
