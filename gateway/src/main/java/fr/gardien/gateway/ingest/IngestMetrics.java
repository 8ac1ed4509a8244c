package fr.gardien.gateway.ingest;

/**
 * What ingestion reports. Tags stay low-cardinality: protocol, outcome, reason; never a device
 * or point id.
 */
public interface IngestMetrics {

    /** Reports nothing, so that no code has to test for null. */
    IngestMetrics NOOP = new IngestMetrics() {
        @Override
        public void readings(String protocol, String outcome, int count) {
        }

        @Override
        public void rejected(String protocol, String reason) {
        }

        @Override
        public void messages(String protocol, String outcome) {
        }

        @Override
        public void connectionOpened(String protocol) {
        }

        @Override
        public void connectionClosed(String protocol) {
        }
    };

    /** Readings counted by outcome: {@code committed}, {@code rejected}, {@code dropped}, {@code failed}. */
    void readings(String protocol, String outcome, int count);

    /** One record rejected, by reason (the quarantine reason code). */
    void rejected(String protocol, String reason);

    /**
     * One message (MQTT publish, HTTP request) by outcome: {@code committed}, {@code rejected},
     * {@code overloaded}, {@code dropped}, {@code failed}, {@code unauthorized}, {@code malformed}
     * (an MQTT packet that could not be decoded or held a forbidden string: its connection was closed).
     */
    void messages(String protocol, String outcome);

    void connectionOpened(String protocol);

    void connectionClosed(String protocol);
}
