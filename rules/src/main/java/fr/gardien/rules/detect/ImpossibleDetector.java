package fr.gardien.rules.detect;

import java.util.HashMap;
import java.util.Map;

/**
 * A physically impossible value: TRUE at once when the signal is strictly below {@code min} or
 * strictly above {@code max} (the bounds themselves are possible), FALSE with the next possible
 * value. Parameters: {@code signal} and at least one of {@code min} / {@code max}.
 */
public final class ImpossibleDetector implements Detector {

    private final Config config;
    private final SignalSpec.Signal signal;
    private Condition condition = Condition.UNKNOWN;

    private ImpossibleDetector(Config config) {
        this.config = config;
        this.signal = config.signal.create();
    }

    /** The {@code impossible} kind. */
    public static DetectorFactory configure(DetectorParams params) {
        SignalSpec signal = params.signal("signal");
        double min = params.number("min", Double.NEGATIVE_INFINITY);
        double max = params.number("max", Double.POSITIVE_INFINITY);
        if (!params.has("min") && !params.has("max")) {
            params.error("signal", "give \"min\", \"max\" or both");
            return null;
        }
        if (min >= max) {
            params.error("max", "must be greater than min (" + min + "), got " + max);
            return null;
        }
        if (signal == null || Double.isNaN(min) || Double.isNaN(max)) {
            return null;
        }
        Config config = new Config(signal, min, max);
        return new KindFactory(signal.inputs(), signal.figureNamesWith("value", "min", "max"),
                zone -> new ImpossibleDetector(config), (zone, state) -> restore(config, state));
    }

    private static ImpossibleDetector restore(Config config, Map<String, Object> state) {
        ImpossibleDetector detector = new ImpossibleDetector(config);
        detector.signal.restore(States.nested(state, "signal"));
        detector.condition = Condition.valueOf(String.valueOf(state.getOrDefault("condition", "UNKNOWN")));
        return detector;
    }

    @Override
    public Condition onReading(String input, long epochMicros, double value) {
        if (signal.accept(input, value)) {
            double v = signal.value();
            condition = v < config.min || v > config.max ? Condition.TRUE : Condition.FALSE;
        }
        return condition;
    }

    @Override
    public Map<String, Double> figures() {
        Map<String, Double> out = new HashMap<>();
        signal.figures(out);
        if (condition != Condition.UNKNOWN) {
            out.put("value", signal.value());
        }
        if (Double.isFinite(config.min)) {
            out.put("min", config.min);
        }
        if (Double.isFinite(config.max)) {
            out.put("max", config.max);
        }
        return out;
    }

    @Override
    public Detector copy() {
        ImpossibleDetector d = new ImpossibleDetector(config);
        d.signal.copyFrom(signal);
        d.condition = condition;
        return d;
    }

    @Override
    public Map<String, Object> state() {
        return Map.of("signal", signal.state(), "condition", condition.name());
    }

    private record Config(SignalSpec signal, double min, double max) {
    }
}
