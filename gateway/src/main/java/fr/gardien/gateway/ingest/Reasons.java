package fr.gardien.gateway.ingest;

/**
 * Rejection reasons added by the gateway's checks, beside the SenML decoder's own
 * ({@link fr.gardien.gateway.ingest.senml.Rejections}). Stable codes: they are metric tags and
 * quarantine entries.
 */
public final class Reasons {
    /** The resolved name is not a point of the registry. */
    public static final String UNKNOWN_POINT = "unknown-point";
    /** The point belongs to another site than the device's. */
    public static final String NOT_DEVICE_SITE = "not-device-site";
    /** The record's unit is not the point's declared unit. */
    public static final String WRONG_UNIT = "wrong-unit";
    /** The reading is timestamped too far in the future ({@code ingest.max-future}). */
    public static final String FUTURE_TIMESTAMP = "future-timestamp";
    /** The reading is older than the retention period ({@code storage.retention}). */
    public static final String TOO_OLD = "too-old";
    /** An MQTT publish to another topic than {@code telemetry/{own device id}}. */
    public static final String WRONG_TOPIC = "wrong-topic";
    /** The payload is larger than {@code ingest.max-payload-bytes}. */
    public static final String PAYLOAD_TOO_LARGE = "payload-too-large";

    private Reasons() {
    }
}
