package fr.gardien.rules.detect;

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

    /** A detector continuing from {@link Detector#state()} (possibly after a JSON round trip, see {@link States}). */
    Detector restore(Map<String, Object> state);
}
