package fr.gardien.rules;

import java.time.Instant;

/**
 * What the rule engine tells the alert lifecycle about one rule instance (a rule on one piece of
 * equipment).
 *
 * @param kind {@link Kind#RAISED} when the condition has held for the rule's duration (once per
 *     onset), {@link Kind#CLEARED} when it has been false for the rule's clear duration after
 *     having been raised
 * @param at the event time of the transition
 */
public record RuleSignal(Kind kind, String ruleId, String site, String equipment, Severity severity, String category,
        Urgency urgency, Instant at, Explanation explanation) {

    public enum Kind { RAISED, CLEARED }
}
