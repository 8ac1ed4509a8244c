package fr.gardien.rules.detect;

import java.time.Duration;
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
     * How long the detector must watch, by its own parameters, before its answer can turn TRUE:
     * the span its measure covers (missing data: {@code interval} × {@code factor}; flatline:
     * {@code duration}; rate of change, floor baseline and counter ratio: {@code window}; short cycling: the
     * rolling hour of its {@code max-starts-per-hour}). Zero for detectors that judge one reading,
     * or whose delay depends on the calendar (the end of an hour, a day's history) rather than on a
     * parameter. A rule's least time to raise is this plus its {@code for}.
     */
    default Duration minimumSpan() {
        return Duration.ZERO;
    }

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
