package fr.gardien.gateway.ingest;

import fr.gardien.model.Reading;
import fr.gardien.storage.write.BatchWriter;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@link PackSink} of a gateway that writes its own readings: the batch writer's group
 * commit. Counts each pack's readings once its transaction ended, and tells the rule engine of
 * the committed readings.
 */
public final class WriterSink implements PackSink {

    private final BatchWriter writer;
    private final IngestMetrics metrics;
    private final Consumer<List<Reading>> onCommitted;

    /**
     * @param committed told of the readings of each pack once committed (the rule engine), on
     *     the writer's thread: it must not block
     */
    public WriterSink(BatchWriter writer, IngestMetrics metrics, Consumer<List<Reading>> committed) {
        this.writer = writer;
        this.metrics = metrics;
        this.onCommitted = committed;
    }

    @Override
    public Offer offer(PreparedPack pack) {
        return Offer.of(pack, writer.offer(pack.batch()), metrics, () -> onCommitted.accept(pack.batch().readings()));
    }

    @Override
    public void onDrain(Runnable listener) {
        writer.onDrain(listener);
    }

    @Override
    public void requestDrainSignal() {
        writer.requestDrainSignal();
    }

    @Override
    public boolean drained() {
        return writer.queuedRows() <= writer.capacityRows() / 2;
    }
}
