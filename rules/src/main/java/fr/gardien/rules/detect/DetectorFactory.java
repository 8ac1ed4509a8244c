package fr.gardien.rules.detect;

import java.time.ZoneId;
import java.util.Map;
import java.util.Set;

/**
 * A detector kind configured with one rule's parameters: makes the per-instance
 * {@link Detector}s of that rule. Immutable, validated when the rule file is loaded.
 */
public interface DetectorFactory {

    /** The rule input roles the detectors read (each must be declared in the rule's inputs). */
    Set<String> inputs();

    /** The names of the figures the detectors report, usable as summary placeholders. */
    Set<String> figureNames();

    Detector create();

    /**
     * A detector for equipment in {@code zone}, the site's time zone: detectors that work in
     * local time (hours, days) need it; the others ignore it.
     */
    default Detector create(ZoneId zone) {
        return create();
    }

    /** A detector continuing from {@link Detector#state()} (possibly after a JSON round trip, see {@link States}). */
    Detector restore(Map<String, Object> state);

    /** Like {@link #restore(Map)}, for equipment in {@code zone}. */
    default Detector restore(ZoneId zone, Map<String, Object> state) {
        return restore(state);
    }
}
