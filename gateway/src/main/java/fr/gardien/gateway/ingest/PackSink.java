package fr.gardien.gateway.ingest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.CompletableFuture;

/**
 * Where the protocol front-ends (MQTT, CoAP, HTTP) hand their checked packs: today the database
 * writer ({@link WriterSink}). A sink has a bounded queue: {@link #offer} never blocks and says
 * when it is full, and the front-end then applies its protocol's back-pressure (PUBACK withheld,
 * CoAP 5.03, HTTP 503) or drops a QoS 0 message; {@link Backpressure} waits for room through
 * {@link #onDrain} and {@link #requestDrainSignal}.
 */
public interface PackSink {

    /**
     * What became of an offer: queued, with the future of its commit, or {@link #FULL}.
     *
     * @param committed completes once the pack is durable (for the database writer: after the
     *     transaction that holds it committed), on the sink's own thread; fails when it could not
     *     be made durable. {@code null} only in {@link #FULL}.
     */
    record Offer(Future<Void> committed) {

        /** The sink had no room: nothing was queued. */
        public static final Offer FULL = new Offer(null);

        /** Whether the sink refused the pack for lack of room. */
        public boolean full() {
            return committed == null;
        }

        /**
         * The offer of a pack queued by a sink's backend: counts its readings by outcome once
         * {@code queued} completes, runs {@code durable} on success (before the front-end hears),
         * and completes on the backend's thread, without a context, as the front-ends expect
         * (each hops to its own event loop once). {@link #FULL} when {@code queued} is null.
         */
        static Offer of(PreparedPack pack, CompletableFuture<Void> queued, IngestMetrics metrics, Runnable durable) {
            if (queued == null) {
                return FULL;
            }
            Promise<Void> committed = Promise.promise();
            queued.whenComplete((ok, failure) -> {
                if (failure == null) {
                    metrics.readings(pack.protocol(), "committed", pack.accepted());
                    metrics.readings(pack.protocol(), "rejected", pack.rejected());
                    durable.run();
                    committed.complete();
                } else {
                    metrics.readings(pack.protocol(), "failed", pack.accepted());
                    committed.fail(failure);
                }
            });
            return new Offer(committed.future());
        }
    }

    /** Queues a pack; never blocks. */
    Offer offer(PreparedPack pack);

    /**
     * Registers a listener told, on the sink's thread, when the queue has room again after a
     * {@link #requestDrainSignal()}; it must not block.
     */
    void onDrain(Runnable listener);

    /** Asks for one drain signal once the queue is down to half its capacity. */
    void requestDrainSignal();

    /** Whether the queue is down to half its capacity or less, now. */
    boolean drained();
}
