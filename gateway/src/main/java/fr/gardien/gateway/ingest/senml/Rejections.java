package fr.gardien.gateway.ingest.senml;

/**
 * The stable, lower-case codes of everything the SenML decoder refuses. They are counted per
 * code and shown in the quarantine, so they never change once published.
 */
public final class Rejections {

    // Pack level: SenmlPack.packError, the whole pack is refused.

    /** Not parseable as the media type, not an array, an empty array, or content after the array. */
    public static final String MALFORMED_PAYLOAD = "malformed-payload";
    /** More records than {@link SenmlLimits#maxRecords()}; decoding stopped there. */
    public static final String TOO_MANY_RECORDS = "too-many-records";

    // Record level: SenmlRejection.reason, the other records are still decoded.

    /**
     * Not an object, a field of the wrong type, more than one value field among v/vs/vb/vd, or a
     * base field it relies on was of the wrong type in an earlier record.
     */
    public static final String MALFORMED_RECORD = "malformed-record";
    /** Resolved name empty or not matching RFC 8428 §4.5.1. */
    public static final String INVALID_NAME = "invalid-name";
    /** None of v, vs or vb; a record carrying only a sum ({@code s}) is also no-value. */
    public static final String NO_VALUE = "no-value";
    /** A data value ({@code vd}), which the gateway does not store. */
    public static final String UNSUPPORTED_VALUE = "unsupported-value";
    /** Resolved time not finite, before 1970 or after 9999. */
    public static final String INVALID_TIME = "invalid-time";
    /** A must-understand field (name ending in {@code _}, RFC 8428 §4.4), or {@code bver} above 10. */
    public static final String UNSUPPORTED_FIELD = "unsupported-field";

    /** Longest detail (and rejected name) kept, so a quarantine entry never holds a payload. */
    public static final int MAX_TEXT_CHARS = 200;

    private Rejections() {
    }

    static String cut(String text) {
        return text == null || text.length() <= MAX_TEXT_CHARS ? text : text.substring(0, MAX_TEXT_CHARS - 1) + "…";
    }
}
