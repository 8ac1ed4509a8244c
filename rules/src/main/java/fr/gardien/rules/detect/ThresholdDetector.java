package fr.gardien.rules.detect;

import java.util.HashMap;
import java.util.Map;

/**
 * A signal beyond a threshold, with hysteresis. {@code above: X}: TRUE when the value is
 * strictly greater than X, and once TRUE, FALSE again only when strictly less than
 * X − hysteresis. {@code below: X}: TRUE when strictly less than X, FALSE again when strictly
 * greater than X + hysteresis. Exactly at X never triggers; exactly at X ∓ hysteresis never
 * clears: a value on a boundary keeps the current answer.
 *
 * <p>Parameters: {@code signal}, exactly one of {@code above} / {@code below}, and
 * {@code hysteresis} (≥ 0, default 0). Also used for a rule's {@code when:} guard.
 */
public final class ThresholdDetector implements Detector {

    private final Config config;
    private final SignalSpec.Signal signal;
    private boolean active;
    private boolean known;

    private ThresholdDetector(Config config) {
        this.config = config;
        this.signal = config.signal.create();
    }

    /** The {@code threshold} kind. */
    public static DetectorFactory configure(DetectorParams params) {
        SignalSpec signal = params.signal("signal");
        boolean above = params.has("above");
        boolean below = params.has("below");
        if (above == below) {
            params.error("signal", "give exactly one of \"above\" or \"below\"");
        }
        double threshold = above ? params.number("above") : below ? params.number("below") : Double.NaN;
        double hysteresis = params.number("hysteresis", 0);
        if (hysteresis < 0) {
            params.error("hysteresis", "must not be negative, got " + hysteresis);
        }
        if (signal == null || above == below || Double.isNaN(threshold) || !(hysteresis >= 0)) {
            return null;
        }
        Config config = new Config(signal, above, threshold, hysteresis);
        return new KindFactory(signal.inputs(), signal.figureNamesWith("value", "threshold"),
                zone -> new ThresholdDetector(config), (zone, state) -> restore(config, state));
    }

    private static ThresholdDetector restore(Config config, Map<String, Object> state) {
        ThresholdDetector detector = new ThresholdDetector(config);
        detector.signal.restore(States.nested(state, "signal"));
        detector.active = States.flag(state, "active");
        detector.known = States.flag(state, "known");
        return detector;
    }

    @Override
    public Condition onReading(String input, long epochMicros, double value) {
        if (signal.accept(input, value)) {
            double v = signal.value();
            if (!known) {
                known = true;
                active = beyond(v);
            } else if (active) {
                active = !(config.above ? v < config.threshold - config.hysteresis
                        : v > config.threshold + config.hysteresis);
            } else {
                active = beyond(v);
            }
        }
        return known ? (active ? Condition.TRUE : Condition.FALSE) : Condition.UNKNOWN;
    }

    private boolean beyond(double v) {
        return config.above ? v > config.threshold : v < config.threshold;
    }

    @Override
    public Map<String, Double> figures() {
        Map<String, Double> out = new HashMap<>();
        signal.figures(out);
        if (known) {
            out.put("value", signal.value());
        }
        out.put("threshold", config.threshold);
        return out;
    }

    @Override
    public Detector copy() {
        ThresholdDetector d = new ThresholdDetector(config);
        d.signal.copyFrom(signal);
        d.active = active;
        d.known = known;
        return d;
    }

    @Override
    public Map<String, Object> state() {
        return Map.of("signal", signal.state(), "active", active, "known", known);
    }

    private record Config(SignalSpec signal, boolean above, double threshold, double hysteresis) {
    }
}
