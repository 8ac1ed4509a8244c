package fr.gardien.gateway.ingest;

import fr.gardien.model.Reading;
import fr.gardien.storage.write.BatchWriter;
import io.vertx.core.Promise;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
        CompletableFuture<Void> queued = writer.offer(pack.batch());
        if (queued == null) {
            return Offer.FULL;
        }
        // A promise without a context: its listeners run on the writer's thread, as the
        // front-ends expect; each hops to its own event loop once, as before.
        Promise<Void> committed = Promise.promise();
        queued.whenComplete((ok, failure) -> {
            if (failure == null) {
                metrics.readings(pack.protocol(), "committed", pack.accepted());
                metrics.readings(pack.protocol(), "rejected", pack.rejected());
                onCommitted.accept(pack.batch().readings());
                committed.complete();
            } else {
                metrics.readings(pack.protocol(), "failed", pack.accepted());
                committed.fail(failure);
            }
        });
        return new Offer(committed.future());
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
