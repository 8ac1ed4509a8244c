package fr.gardien.rules.detect;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A stuck sensor: readings keep arriving but the signal has stayed within a band of width
 * {@code epsilon} (max − min ≤ epsilon) for at least {@code duration}. TRUE from the first
 * reading at which the run of unchanged readings spans {@code duration} (inclusive), FALSE as soon
 * as a reading leaves the band (that reading starts a new run). Evaluated on readings only: when
 * readings stop, the missing-data rule speaks. Parameters: {@code signal}, {@code duration},
 * {@code epsilon} (default 0: any change at all ends the run).
 */
public final class FlatlineDetector implements Detector {

    private static final double MICROS_PER_MINUTE = 60_000_000d;

    private final Config config;
    private final SignalSpec.Signal signal;
    private boolean known;
    private long runStart;
    private long last;
    private double min;
    private double max;

    private FlatlineDetector(Config config) {
        this.config = config;
        this.signal = config.signal.create();
    }

    /** The {@code flatline} kind. */
    public static DetectorFactory configure(DetectorParams params) {
        SignalSpec signal = params.signal("signal");
        Duration duration = params.duration("duration");
        double epsilon = params.number("epsilon", 0);
        if (epsilon < 0) {
            params.error("epsilon", "must not be negative, got " + epsilon);
            return null;
        }
        if (signal == null || duration == null || Double.isNaN(epsilon)) {
            return null;
        }
        Config config = new Config(signal, duration.toNanos() / 1000, epsilon);
        return new KindFactory(signal.inputs(), signal.figureNamesWith("value", "unchanged_minutes", "epsilon"),
                zone -> new FlatlineDetector(config), (zone, state) -> restore(config, state),
                KindFactory.micros(config.durationMicros));
    }

    private static FlatlineDetector restore(Config config, Map<String, Object> state) {
        FlatlineDetector detector = new FlatlineDetector(config);
        detector.signal.restore(States.nested(state, "signal"));
        detector.known = States.flag(state, "known");
        detector.runStart = States.integer(state, "start", 0);
        detector.last = States.integer(state, "last", 0);
        detector.min = States.number(state, "min", 0);
        detector.max = States.number(state, "max", 0);
        return detector;
    }

    @Override
    public Condition onReading(String input, long epochMicros, double value) {
        if (!signal.accept(input, value)) {
            return condition();
        }
        double v = signal.value();
        if (!known || Math.max(max, v) - Math.min(min, v) > config.epsilon) {
            known = true;
            runStart = epochMicros;
            min = v;
            max = v;
        } else {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        last = epochMicros;
        return condition();
    }

    private Condition condition() {
        if (!known) {
            return Condition.UNKNOWN;
        }
        // Yes, >= : a run that spans exactly the duration is flat for "at least" that long.
        return last - runStart >= config.durationMicros ? Condition.TRUE : Condition.FALSE;
    }

    @Override
    public Map<String, Double> figures() {
        Map<String, Double> out = new HashMap<>();
        signal.figures(out);
        if (known) {
            out.put("value", signal.value());
            out.put("unchanged_minutes", (last - runStart) / MICROS_PER_MINUTE);
        }
        out.put("epsilon", config.epsilon);
        return out;
    }

    @Override
    public Detector copy() {
        FlatlineDetector d = new FlatlineDetector(config);
        d.signal.copyFrom(signal);
        d.known = known;
        d.runStart = runStart;
        d.last = last;
        d.min = min;
        d.max = max;
        return d;
    }

    @Override
    public Map<String, Object> state() {
        return Map.of("signal", signal.state(), "known", known, "start", runStart, "last", last, "min", min,
                "max", max);
    }

    private record Config(SignalSpec signal, long durationMicros, double epsilon) {
    }
}
