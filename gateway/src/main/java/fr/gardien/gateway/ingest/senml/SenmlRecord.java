package fr.gardien.gateway.ingest.senml;

/**
 * One resolved SenML record: the base fields of its pack are already applied (RFC 8428 §4.6).
 *
 * @param index its position in the pack, 0-based
 * @param name the resolved name ({@code bn + n}), valid per RFC 8428 §4.5.1
 * @param epochMicros the resolved absolute time in microseconds since the Unix epoch; relative
 *     times (below 2^28 s) are already added to the receive time
 * @param unit the resolved unit ({@code u}, else {@code bu}), or {@code null}
 * @param kind which value the record carried
 * @param value {@code bv + v} for {@link ValueKind#NUMBER}, 1.0/0.0 for {@link ValueKind#BOOLEAN},
 *     NaN for {@link ValueKind#STRING}; always finite for the first two
 * @param text the {@code vs} value for {@link ValueKind#STRING}, else {@code null}
 */
public record SenmlRecord(int index, String name, long epochMicros, String unit, ValueKind kind, double value,
        String text) {
}
