package fr.gardien.gateway.ingest;

/** What became of a pack as a whole; each protocol turns it into its own status. */
public enum Verdict {
    /** Every record is valid. */
    ACCEPTED,
    /** Some records are valid, the others are quarantined. */
    PARTIAL,
    /** No record is valid and at least one was unreadable or invalid. */
    INVALID,
    /** No record is valid: every one was for a point the device may not publish. */
    FORBIDDEN,
    /** The pack exceeded a size limit and was not decoded. */
    TOO_LARGE
}
