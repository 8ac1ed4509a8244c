package fr.gardien.cluster;

import fr.gardien.storage.write.WriteBatch;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's way to durability: each pack becomes one record of the readings topic, keyed by its
 * site, and its future completes once Kafka has it on every in-sync replica ({@code acks=all},
 * idempotent producer, so a retried send is not written twice and a site's packs keep their
 * order). Only then may the device be acknowledged.
 *
 * <p>Like the single-process writer, {@link #offer} never blocks and answers {@code null} when
 * there is no room: when the packs sent and not yet acknowledged reach {@code capacityRows}, or
 * while Kafka is <em>unavailable</em> (a delivery failed, and no check since has found every
 * partition of the topic led). The caller withholds the acknowledgement (MQTT parks, HTTP 503,
 * CoAP 5.03) and waits for {@link #onDrain}, which fires once there is room again or Kafka is
 * back. A thread named {@code gardien-kafka-sender} calls the producer, whose {@code send} may
 * block while it has no metadata (2 s at most); packs still queued when Kafka turns out
 * unavailable fail at once rather than each waiting in turn. A thread {@code gardien-kafka-probe}
 * checks the topic once a second while unavailable.
 */
public final class PackProducer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PackProducer.class);
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    /** A pack not on the replicas within this time fails (the device is not acknowledged and sends it again). */
    public static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(20);

    private final KafkaSettings settings;
    private final int capacityRows;
    private final Properties producerProperties;
    /** Replaced when Kafka comes back: an idempotent producer whose batches expired may wait forever for a new id. */
    private volatile KafkaProducer<String, byte[]> producer;
    private final Admin admin;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger queuedRows = new AtomicInteger();
    private final AtomicBoolean refused = new AtomicBoolean();
    private final List<Runnable> drainListeners = new CopyOnWriteArrayList<>();
    private final Thread sender;
    private final Thread probe;
    private volatile boolean available = true;
    private volatile boolean closing;

    /**
     * @param capacityRows readings and quarantined records sent and not yet acknowledged by Kafka,
     *     at most
     * @param clientId names this process in the broker's logs and quotas
     */
    public PackProducer(KafkaSettings settings, int capacityRows, String clientId) {
        this.settings = Objects.requireNonNull(settings, "settings");
        if (capacityRows < 1) {
            throw new IllegalArgumentException("capacityRows must be positive");
        }
        this.capacityRows = capacityRows;
        Properties p = settings.clientProperties(clientId);
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("max.in.flight.requests.per.connection", "5");
        p.put("linger.ms", "2");
        p.put("request.timeout.ms", "5000");
        p.put("delivery.timeout.ms", String.valueOf(DELIVERY_TIMEOUT.toMillis()));
        // send() waits for metadata at most this long; on the sender thread, never an event loop.
        p.put("max.block.ms", "2000");
        p.put("reconnect.backoff.max.ms", "1000");
        this.producerProperties = p;
        this.producer = newProducer();
        this.admin = Admin.create(settings.clientProperties(clientId + "-probe"));
        this.sender = new Thread(this::sendLoop, "gardien-kafka-sender");
        this.probe = new Thread(this::probeLoop, "gardien-kafka-probe");
        sender.setDaemon(true);
        probe.setDaemon(true);
        sender.start();
        probe.start();
    }

    /**
     * Sends a pack, keyed by {@code key} (its site). Never blocks.
     *
     * @return a future completed once Kafka acknowledged the record (failed with the cause when
     *     it did not within {@link #DELIVERY_TIMEOUT}); {@code null} when there is no room or Kafka
     *     is unavailable: apply the protocol's back-pressure and wait for {@link #onDrain}
     */
    public CompletableFuture<Void> offer(String key, WriteBatch batch) {
        Objects.requireNonNull(key, "key");
        if (closing) {
            return CompletableFuture.failedFuture(new IllegalStateException("Kafka producer is closed"));
        }
        int rows = batch.rows();
        if (rows == 0) {
            return CompletableFuture.completedFuture(null);
        }
        if (!available) {
            refused.set(true);
            return null;
        }
        int queued;
        do {
            queued = queuedRows.get();
            // A pack larger than the whole capacity still goes when nothing else waits.
            if (queued > 0 && queued + rows > capacityRows) {
                refused.set(true);
                return null;
            }
        } while (!queuedRows.compareAndSet(queued, queued + rows));
        Pending pending = new Pending(key, PackRecord.encode(batch), rows, new CompletableFuture<>());
        queue.add(pending);
        return pending.future();
    }

    /** Rows sent (or about to be) and not acknowledged by Kafka yet. */
    public int queuedRows() {
        return queuedRows.get();
    }

    public int capacityRows() {
        return capacityRows;
    }

    /** False from a failed delivery until the topic has a leader for every partition again. */
    public boolean available() {
        return available;
    }

    private KafkaProducer<String, byte[]> newProducer() {
        return new KafkaProducer<>(producerProperties, new StringSerializer(), new ByteArraySerializer());
    }

    /** Registers a listener run (quickly: on a Kafka or probe thread) when room or Kafka comes back after a refusal. */
    public void onDrain(Runnable listener) {
        drainListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** As {@code BatchWriter#requestDrainSignal}: asks for a signal even if no offer was refused since the last. */
    public void requestDrainSignal() {
        refused.set(true);
        signalDrainIfDue();
    }

    /**
     * Stops taking packs, waits up to the delivery timeout for those sent, then closes the
     * clients; packs still queued fail. Blocking.
     */
    @Override
    public void close() {
        closing = true;
        sender.interrupt();
        probe.interrupt();
        Threads.join(sender, DELIVERY_TIMEOUT);
        for (Pending p; (p = queue.poll()) != null; ) {
            queuedRows.addAndGet(-p.rows());
            p.future().completeExceptionally(new IllegalStateException("Kafka producer closed before this pack was sent"));
        }
        producer.close(DELIVERY_TIMEOUT);
        admin.close(Duration.ofSeconds(1));
    }

    private void sendLoop() {
        while (!closing || !queue.isEmpty()) {
            Pending p;
            try {
                p = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                if (closing) {
                    continue;
                }
                return;
            }
            if (p == null) {
                continue;
            }
            if (!available) {
                // Each send would wait for metadata in turn: fail fast, the devices send again.
                queuedRows.addAndGet(-p.rows());
                p.future().completeExceptionally(new IllegalStateException("Kafka unavailable"));
                signalDrainIfDue();
                continue;
            }
            KafkaProducer<String, byte[]> current = producer;
            try {
                current.send(new ProducerRecord<>(settings.topic(), p.key(), p.value()), (metadata, failure) -> {
                    queuedRows.addAndGet(-p.rows());
                    if (failure == null) {
                        p.future().complete(null);
                    } else {
                        if (current == producer) {
                            unavailable(failure);
                        }
                        p.future().completeExceptionally(failure);
                    }
                    signalDrainIfDue();
                });
            } catch (RuntimeException e) {
                // Metadata not available within max.block.ms, or the producer closed (replaced).
                queuedRows.addAndGet(-p.rows());
                if (current == producer) {
                    unavailable(e);
                }
                p.future().completeExceptionally(e);
            }
        }
    }

    private void unavailable(Throwable cause) {
        if (available) {
            available = false;
            log.warn("Kafka unavailable, packs refused until it is back [servers: {}, cause: {}]",
                    settings.bootstrapServers(), cause.toString());
        }
    }

    private void probeLoop() {
        while (!closing) {
            try {
                Thread.sleep(PROBE_INTERVAL.toMillis());
                if (!available && topicLed()) {
                    KafkaProducer<String, byte[]> stale = producer;
                    producer = newProducer();
                    // Its packs not acknowledged yet fail now: their devices were not acknowledged and send again.
                    stale.close(Duration.ZERO);
                    available = true;
                    log.info("Kafka available again, packs accepted [servers: {}]", settings.bootstrapServers());
                    requestDrainSignal();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Every partition of the topic has a leader, as a broker answering within a second says. */
    private boolean topicLed() throws InterruptedException {
        try {
            TopicDescription topic = admin.describeTopics(Set.of(settings.topic())).allTopicNames()
                    .get(PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS).get(settings.topic());
            return topic.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.debug("Kafka probe failed [cause: {}]", e.toString());
            return false;
        }
    }

    private void signalDrainIfDue() {
        if (available && refused.get() && queuedRows.get() <= capacityRows / 2 && refused.compareAndSet(true, false)) {
            for (Runnable listener : drainListeners) {
                try {
                    listener.run();
                } catch (RuntimeException e) {
                    log.warn("drain listener failed [cause: {}]", e.toString());
                }
            }
        }
    }

    private record Pending(String key, byte[] value, int rows, CompletableFuture<Void> future) {
    }
}
