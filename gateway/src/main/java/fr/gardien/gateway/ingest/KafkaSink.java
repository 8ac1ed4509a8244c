package fr.gardien.gateway.ingest;

import fr.gardien.cluster.PackProducer;

/**
 * The {@link PackSink} of an edge (issue 13): each pack becomes a record of the readings log,
 * keyed by its site, and is durable once Kafka acknowledged it on its in-sync replicas; a worker
 * stores it. Full while the producer has no room or Kafka is unavailable, so the front-ends
 * apply the same back-pressure as before a busy writer (PUBACK withheld, CoAP 5.03, HTTP 503).
 */
public final class KafkaSink implements PackSink {

    private final PackProducer producer;
    private final IngestMetrics metrics;

    public KafkaSink(PackProducer producer, IngestMetrics metrics) {
        this.producer = producer;
        this.metrics = metrics;
    }

    @Override
    public Offer offer(PreparedPack pack) {
        // Durable once Kafka has it: the worker that stores it tells the rule engine.
        return Offer.of(pack, producer.offer(pack.key(), pack.batch()), metrics, () -> { });
    }

    @Override
    public void onDrain(Runnable listener) {
        producer.onDrain(listener);
    }

    @Override
    public void requestDrainSignal() {
        producer.requestDrainSignal();
    }

    @Override
    public boolean drained() {
        return producer.available() && producer.queuedRows() <= producer.capacityRows() / 2;
    }
}
