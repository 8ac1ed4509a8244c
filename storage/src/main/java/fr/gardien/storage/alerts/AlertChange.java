package fr.gardien.storage.alerts;

/**
 * What one {@link AlertStore} operation did.
 *
 * @param alert the alert after the operation; {@code null} only for {@link Kind#SUPPRESSED} and
 *     {@link Kind#IGNORED}
 * @param transition the transition written, or {@code null} when none was (suppressed,
 *     ignored, kept open, unchanged)
 */
public record AlertChange(Kind kind, Alert alert, AlertTransition transition) {

    public enum Kind {
        /** A new alert was opened. */
        OPENED,
        /** The active alert was raised again: occurrences and last seen moved. */
        RETRIGGERED,
        /** An alert auto-resolved less than a flap window ago was reopened. */
        REOPENED,
        /** Someone acknowledged the alert. */
        ACKNOWLEDGED,
        /** The alert was resolved, automatically or by someone. */
        RESOLVED,
        /** A silence covered the raise: nothing was opened. */
        SUPPRESSED,
        /** The condition cleared but the alert is flapping: it stays open (no transition). */
        KEPT_OPEN,
        /** A clear with no active alert (e.g. its raise was silenced): nothing to do. */
        IGNORED,
        /**
         * Acknowledging an acknowledged alert, resolving a resolved one, a signal the alert already
         * reflects (replayed after a takeover, issue 13): nothing changed.
         */
        UNCHANGED,
        /** The worker no longer holds the partition of the signal's site (issue 13): nothing written. */
        FENCED
    }

    /** True when a transition was written (and so an outbox row and a live event). */
    public boolean transitioned() {
        return transition != null;
    }
}
