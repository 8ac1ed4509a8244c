package fr.gardien.gateway.ingest.senml;

/** Which SenML value field a record carried: {@code v}, {@code vb} or {@code vs}. */
public enum ValueKind {
    /** {@code v} (plus {@code bv}): {@link SenmlRecord#value()} holds it. */
    NUMBER,
    /** {@code vb}: {@link SenmlRecord#value()} is 1.0 for true, 0.0 for false. */
    BOOLEAN,
    /** {@code vs}: {@link SenmlRecord#text()} holds it and {@link SenmlRecord#value()} is NaN. */
    STRING
}
