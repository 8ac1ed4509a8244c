package fr.gardien.rules.lifecycle;

import java.time.Instant;
import java.util.Objects;

/**
 * What the alert lifecycle needs to know of a stored alert to decide its next transition.
 *
 * @param occurrences how many times its condition was raised
 * @param flaps how many times it was reopened shortly after an automatic resolution
 * @param lastFlapAt event time of the latest flap (reopen, or raise while kept open); {@code null}: none
 * @param clearedAt event time its condition cleared while the alert was kept open (flapping);
 *     {@code null}: not cleared
 * @param autoResolved whether it was resolved automatically (not by hand, not by a ticket)
 * @param resolvedAt when it was resolved; {@code null} unless resolved
 * @param lastSeen event time of its latest raise; {@code null}: not known (nothing is then taken as already applied)
 */
public record AlertFacts(State state, int occurrences, int flaps, Instant lastFlapAt, Instant clearedAt,
        boolean autoResolved, Instant resolvedAt, Instant lastSeen) {

    public enum State { OPEN, ACKNOWLEDGED, RESOLVED }

    public AlertFacts {
        Objects.requireNonNull(state, "state");
    }

    /** Facts without the time of the latest raise. */
    public AlertFacts(State state, int occurrences, int flaps, Instant lastFlapAt, Instant clearedAt, boolean autoResolved,
            Instant resolvedAt) {
        this(state, occurrences, flaps, lastFlapAt, clearedAt, autoResolved, resolvedAt, null);
    }

    public boolean active() {
        return state != State.RESOLVED;
    }
}
