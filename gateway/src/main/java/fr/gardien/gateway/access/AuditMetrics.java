package fr.gardien.gateway.access;

/** What the audit log counts; {@link #NOOP} when nothing is measured. */
public interface AuditMetrics {

    AuditMetrics NOOP = new AuditMetrics() {
        @Override
        public void written(int entries) {
        }

        @Override
        public void dropped() {
        }

        @Override
        public void refused() {
        }
    };

    /** Entries committed to the database. */
    void written(int entries);

    /** An entry lost because the queue was full between admission and the response. */
    void dropped();

    /** A request answered 503 because the audit queue was full. */
    void refused();
}
