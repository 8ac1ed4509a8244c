package fr.gardien.rules.detect;

import java.util.Map;

/**
 * Turns the inputs of one rule instance (a rule applied to one piece of equipment) into a
 * {@link Condition} at event time. A detector is one small, composable piece of logic (a
 * threshold, a rate of change, a flatline, …); the engine around it handles how long a condition
 * must hold before an alert is raised and how long it must clear before the alert is resolved.
 *
 * <p>Stateful and single-threaded: the engine calls one instance from one thread, with the
 * readings of its inputs in event-time order (late readings within the allowed lateness are
 * reordered before they get here). Times are microseconds since the Unix epoch, the readings'
 * own timestamps. Pure: no I/O, no clock of its own.
 */
public interface Detector {

    /**
     * One reading of one of the instance's inputs.
     *
     * @param input the input's role name in the rule (e.g. {@code supply}, {@code outdoor})
     * @return the condition after this reading
     */
    Condition onReading(String input, long epochMicros, double value);

    /**
     * Event time advanced to {@code epochMicros} without a reading of this instance's inputs
     * (driven by the scheduler and by other readings of the same site). Only time-driven
     * detectors, such as missing data, change their answer here.
     *
     * @return the condition at that time
     */
    default Condition onTime(long epochMicros) {
        return Condition.UNKNOWN;
    }

    /**
     * Whether an {@link Condition#UNKNOWN} from {@link #onTime} withdraws the detector's previous
     * answer. By default it does not: most detectors judge readings, and time alone tells them
     * nothing new. A detector that judges the readings of a window ending now answers true: time
     * that empties its window leaves it nothing to judge, and the engine must stop holding its last
     * answer (a stale TRUE would otherwise go on counting toward the rule's {@code for}).
     */
    default boolean unknownWithdraws() {
        return false;
    }

    /**
     * Aggregated figures that explain the current answer, for the alert's explanation and
     * summary placeholders: for example {@code value}, {@code threshold}, {@code min},
     * {@code mean}, {@code outdoor}, {@code starts_per_hour}. Never a raw series.
     */
    Map<String, Double> figures();

    /**
     * An independent copy of this detector, in the same state: it answers every later call as this
     * one would, and neither shares mutable state with the other. The engine takes one at each
     * lateness checkpoint (see {@code LateHistory}), so it should be cheap; {@code null} (the
     * default) when the detector has none, and the engine goes through {@link #state()} and its
     * factory's {@code restore} instead.
     */
    default Detector copy() {
        return null;
    }

    /** The detector's state, for a snapshot that survives a restart; restored by its factory. */
    default Map<String, Object> state() {
        return Map.of();
    }
}
