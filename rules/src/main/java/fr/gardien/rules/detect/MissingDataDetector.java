package fr.gardien.rules.detect;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * A sensor gone quiet: TRUE when event time has advanced more than {@code factor} × {@code interval}
 * past the input's last reading (strictly more: a gap of exactly that length is still FALSE).
 * Driven by {@link #onTime}, since the point of the rule is that no reading arrives; UNKNOWN
 * until the first reading. Parameters: {@code input}, {@code interval} (the expected period),
 * {@code factor} (default 3).
 */
public final class MissingDataDetector implements Detector {

    private static final double MICROS_PER_MINUTE = 60_000_000d;

    private final Config config;
    private long lastReading = Long.MIN_VALUE;
    private long now = Long.MIN_VALUE;

    private MissingDataDetector(Config config) {
        this.config = config;
    }

    /** The {@code missing-data} kind. */
    public static DetectorFactory configure(DetectorParams params) {
        String input = params.input("input");
        Duration interval = params.duration("interval");
        double factor = params.number("factor", 3);
        if (interval != null && interval.isZero()) {
            params.error("interval", "must be longer than zero");
            return null;
        }
        if (!(factor > 0)) {
            params.error("factor", "must be greater than zero, got " + factor);
            return null;
        }
        if (input == null || interval == null) {
            return null;
        }
        Config config = new Config(input, (long) (interval.toNanos() / 1000 * factor), interval);
        return new KindFactory(Set.of(input), Set.of("silent_minutes", "limit_minutes", "interval_minutes"),
                zone -> new MissingDataDetector(config), (zone, state) -> restore(config, state),
                KindFactory.micros(config.limitMicros));
    }

    private static MissingDataDetector restore(Config config, Map<String, Object> state) {
        MissingDataDetector detector = new MissingDataDetector(config);
        detector.lastReading = States.integer(state, "last", Long.MIN_VALUE);
        detector.now = States.integer(state, "now", Long.MIN_VALUE);
        return detector;
    }

    @Override
    public Condition onReading(String input, long epochMicros, double value) {
        if (config.input.equals(input)) {
            lastReading = Math.max(lastReading, epochMicros);
        }
        now = Math.max(now, epochMicros);
        return condition();
    }

    @Override
    public Condition onTime(long epochMicros) {
        now = Math.max(now, epochMicros);
        return condition();
    }

    private Condition condition() {
        if (lastReading == Long.MIN_VALUE) {
            return Condition.UNKNOWN;
        }
        return now - lastReading > config.limitMicros ? Condition.TRUE : Condition.FALSE;
    }

    @Override
    public Map<String, Double> figures() {
        if (lastReading == Long.MIN_VALUE) {
            return Map.of("limit_minutes", config.limitMicros / MICROS_PER_MINUTE);
        }
        return Map.of("silent_minutes", (now - lastReading) / MICROS_PER_MINUTE,
                "limit_minutes", config.limitMicros / MICROS_PER_MINUTE,
                "interval_minutes", config.interval.toSeconds() / 60d);
    }

    @Override
    public Detector copy() {
        MissingDataDetector d = new MissingDataDetector(config);
        d.lastReading = lastReading;
        d.now = now;
        return d;
    }

    @Override
    public Map<String, Object> state() {
        return Map.of("last", lastReading, "now", now);
    }

    private record Config(String input, long limitMicros, Duration interval) {
    }
}
