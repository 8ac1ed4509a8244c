package fr.gardien.rules.detect;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The detector kinds a rule file may name, keyed by the YAML {@code detector:} value. Adding a
 * kind is one line in {@link #standard()}. Immutable: {@link #with} returns a new registry.
 */
public final class DetectorRegistry {

    private final Map<String, DetectorKind> kinds;

    private DetectorRegistry(Map<String, DetectorKind> kinds) {
        this.kinds = Collections.unmodifiableMap(kinds);
    }

    /** The built-in kinds. */
    public static DetectorRegistry standard() {
        return empty()
                .with("threshold", ThresholdDetector::configure)
                .with("impossible", ImpossibleDetector::configure)
                .with("missing-data", MissingDataDetector::configure)
                .with("flatline", FlatlineDetector::configure)
                .with("rate-of-change", RateOfChangeDetector::configure)
                .with("floor-baseline", FloorBaselineDetector::configure)
                .with("counter-wear", TrendKinds::counterWear)
                .with("counter-ratio", TrendKinds::counterRatio)
                .with("short-cycling", TrendKinds::shortCycling)
                .with("baseline-anomaly", TrendKinds::baselineAnomaly)
                .with("heating-curve", TrendKinds::heatingCurve)
                .with("degree-day", TrendKinds::degreeDay);
    }

    public static DetectorRegistry empty() {
        return new DetectorRegistry(new LinkedHashMap<>());
    }

    /** This registry plus one kind (replacing a kind of the same name). */
    public DetectorRegistry with(String name, DetectorKind kind) {
        Map<String, DetectorKind> copy = new LinkedHashMap<>(kinds);
        copy.put(name, kind);
        return new DetectorRegistry(copy);
    }

    /** The kind of that name, or {@code null}. */
    public DetectorKind kind(String name) {
        return kinds.get(name);
    }

    public Set<String> names() {
        return kinds.keySet();
    }
}
