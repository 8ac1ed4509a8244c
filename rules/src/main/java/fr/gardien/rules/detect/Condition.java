package fr.gardien.rules.detect;

/** What a detector says of its condition at a point in event time. */
public enum Condition {
    /** The fault condition holds. */
    TRUE,
    /** The condition does not hold. */
    FALSE,
    /** Not enough data to say (no reading yet, a guard input missing, outside the rule's window). */
    UNKNOWN
}
