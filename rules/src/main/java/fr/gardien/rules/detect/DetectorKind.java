package fr.gardien.rules.detect;

/**
 * One kind of detector as named by a rule's {@code detector:} field: reads and validates the
 * rule's {@code params:} into a {@link DetectorFactory}. Registered in {@link DetectorRegistry}.
 */
@FunctionalInterface
public interface DetectorKind {

    /**
     * Reads the parameters, reporting each problem through {@code params} (its getters already
     * report missing and ill-typed fields; unknown fields are reported by the loader).
     *
     * @return the factory, or {@code null} when the parameters had errors
     */
    DetectorFactory configure(DetectorParams params);
}
