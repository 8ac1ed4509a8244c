package fr.gardien.gateway.ingest.senml;

/**
 * Limits applied while decoding a SenML pack, validated once at construction.
 *
 * @param maxRecords records per pack beyond which the whole pack is refused
 *     ({@link Rejections#TOO_MANY_RECORDS}); at least 1
 */
public record SenmlLimits(int maxRecords) {

    public SenmlLimits {
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords must be at least 1, was " + maxRecords);
        }
    }
}
