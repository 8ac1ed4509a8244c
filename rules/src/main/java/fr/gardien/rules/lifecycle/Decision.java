package fr.gardien.rules.lifecycle;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the alert lifecycle decided; the store writes it.
 *
 * @param at the time of the transition: the signal's event time for the rule engine's steps,
 *     the wall clock for acknowledgement and manual resolution; for {@link Step#KEEP_OPEN}, the
 *     time the condition cleared
 * @param by who: a token name, or {@value AlertLifecycle#ENGINE}; {@code null} when no transition is written
 * @param flap for {@link Step#RETRIGGER}: the alert was kept open after a clear, so this raise is another flap
 * @param detail the transition's small facts (occurrences, flaps, resolution, note), in the
 *     order they are recorded; empty when no transition is written
 */
public record Decision(Step step, Instant at, String by, boolean flap, Map<String, Object> detail) {

    public enum Step {
        /** Open a new alert. */
        OPEN,
        /** Raise the active alert again: occurrences and last seen move. */
        RETRIGGER,
        /** Reopen the alert auto-resolved less than a flap window ago. */
        REOPEN,
        /** A silence covers the raise: open nothing. */
        SUPPRESS,
        /** A clear with no active alert: nothing to do. */
        IGNORE,
        /** The condition cleared but the alert is flapping: keep it open, note when it cleared. */
        KEEP_OPEN,
        /** Resolve automatically (the condition cleared, or a flapping alert stayed quiet). */
        AUTO_RESOLVE,
        /** Someone acknowledged the alert. */
        ACKNOWLEDGE,
        /** Someone resolved the alert by hand. */
        MANUAL_RESOLVE,
        /** Nothing changes (acknowledging an acknowledged alert, resolving a resolved one, settling too early). */
        UNCHANGED,
        /** The request contradicts the alert's state (acknowledging a resolved alert). */
        REFUSE
    }

    public Decision {
        detail = detail == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(detail));
    }

    /** Whether the store writes a transition (and so an outbox row and a live event). */
    public boolean transitions() {
        return switch (step) {
            case OPEN, RETRIGGER, REOPEN, AUTO_RESOLVE, ACKNOWLEDGE, MANUAL_RESOLVE -> true;
            default -> false;
        };
    }

    static Decision nothing(Step step) {
        return new Decision(step, null, null, false, Map.of());
    }
}
