package fr.gardien.storage.alerts;

import fr.gardien.rules.Explanation;
import fr.gardien.rules.Severity;
import fr.gardien.rules.Urgency;
import java.time.Instant;
import java.util.Locale;

/**
 * An alert as stored: one per onset of a rule's condition on a piece of equipment, kept while
 * it is not resolved (then it is the only active alert of its rule, site and equipment).
 *
 * @param explanation the latest explanation (what was observed, over which period, figures) with
 *     both summaries
 * @param firstSeen event time the alert was opened
 * @param lastSeen event time of the latest raise (open, retrigger or reopen)
 * @param occurrences how many times the condition was raised for this alert
 * @param flaps how many times it was reopened shortly after an automatic resolution
 * @param resolution how it was resolved; {@code null} unless resolved
 * @param ticket the ticket opened for it (issue 4); {@code null} when none
 * @param updatedAt wall-clock time of the latest transition
 */
public record Alert(long id, String ruleId, String site, String equipment, Severity severity, String category,
        Urgency urgency, State state, Explanation explanation, Instant firstSeen, Instant lastSeen, int occurrences,
        int flaps, String acknowledgedBy, Instant acknowledgedAt, String resolvedBy, Instant resolvedAt,
        Resolution resolution, String resolutionNote, Ticket ticket, Instant updatedAt) {

    public enum State {
        OPEN, ACKNOWLEDGED, RESOLVED;

        /** The stored and serialised name: {@code open}, {@code acknowledged}, {@code resolved}. */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @throws IllegalArgumentException for any other text */
        public static State of(String code) {
            return valueOf(code.toUpperCase(Locale.ROOT));
        }
    }

    public enum Resolution {
        /** The condition cleared for the rule's clear duration. */
        AUTO,
        /** Someone resolved it through the API. */
        MANUAL,
        /** The ticketing system closed it (issue 4). */
        TICKET;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Resolution of(String code) {
            return code == null ? null : valueOf(code.toUpperCase(Locale.ROOT));
        }
    }

    /** The ticket of an alert in the landlord's tools. */
    public record Ticket(String connector, String ref, String status) {
    }

    public boolean active() {
        return state != State.RESOLVED;
    }

    /** {@code critical}, {@code major}, … as stored and serialised. */
    public static String code(Severity severity) {
        return severity.name().toLowerCase(Locale.ROOT);
    }

    /** {@code immediate}, {@code within-days}, {@code planned} as stored and serialised. */
    public static String code(Urgency urgency) {
        return urgency.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Severity severity(String code) {
        return Severity.valueOf(code.toUpperCase(Locale.ROOT));
    }

    static Urgency urgency(String code) {
        return Urgency.valueOf(code.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
