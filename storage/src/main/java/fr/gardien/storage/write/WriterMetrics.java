package fr.gardien.storage.write;

/**
 * What the {@link BatchWriter} reports about its transactions. Called on writer threads;
 * implementations must be quick and thread-safe.
 */
public interface WriterMetrics {

    /** Reports nothing. */
    WriterMetrics NOOP = new WriterMetrics() {
        @Override
        public void committed(int batches, int readings, long commitNanos) {
        }

        @Override
        public void failed(int batches, int readings, Throwable cause) {
        }
    };

    /** One transaction committed: how many WriteBatches it grouped, how many readings, how long the COPY + commit took. */
    void committed(int batches, int readings, long commitNanos);

    /** One transaction failed (rolled back); its batches' futures fail. */
    void failed(int batches, int readings, Throwable cause);
}
