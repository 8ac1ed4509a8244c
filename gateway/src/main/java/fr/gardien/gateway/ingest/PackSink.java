package fr.gardien.gateway.ingest;

import io.vertx.core.Future;

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
