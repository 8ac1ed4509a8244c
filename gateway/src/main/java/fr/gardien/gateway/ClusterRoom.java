package fr.gardien.gateway;

import fr.gardien.cluster.KafkaSettings;
import fr.gardien.cluster.PackConsumer;
import fr.gardien.cluster.PackProducer;
import fr.gardien.cluster.ReadingsTopic;
import fr.gardien.gateway.config.GardienConfig;
import fr.gardien.gateway.ops.GatewayMetrics;
import fr.gardien.gateway.rules.RulesService;
import fr.gardien.model.Reading;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster room (issue 13): on an edge, the producer that puts each pack on the readings log;
 * on a worker, the consumer that stores the log's packs under its partitions' leases and feeds
 * the rule engine, which keeps, checkpoints and ticks only the sites of those partitions. The topic is created
 * when missing. Metrics: {@code gardien.cluster.producer.*} and
 * {@code gardien.cluster.consumer.lag.records{partition}}.
 */
final class ClusterRoom {

    private static final Logger log = LoggerFactory.getLogger(ClusterRoom.class);
    private static final Duration KAFKA_START_TIMEOUT = Duration.ofSeconds(30);
    /** Tells apart the gateways of one JVM (tests) in Kafka and in the leases. */
    private static final AtomicInteger instances = new AtomicInteger();

    private ClusterRoom() {
    }

    /** The edge's producer, its capacity that of the writer queue it stands for; blocking (checks the topic). */
    static PackProducer edge(GardienConfig config, GatewayMetrics metrics) {
        KafkaSettings kafka = config.cluster().kafka();
        ReadingsTopic.ensure(kafka, KAFKA_START_TIMEOUT);
        PackProducer producer = new PackProducer(kafka, config.writer().queueCapacity(), "gardien-edge-" + processName());
        metrics.gauge("gardien.cluster.producer.unacknowledged.readings", "Readings sent to Kafka and not acknowledged yet",
                producer::queuedRows);
        metrics.gauge("gardien.cluster.producer.available", "1 while Kafka takes packs, 0 while the edge refuses them",
                () -> producer.available() ? 1 : 0);
        log.info("edge: packs go to Kafka [{}]", kafka.describe());
        return producer;
    }

    /** The worker's consumer, started; blocking (checks the topic). */
    static PackConsumer worker(GardienConfig config, Storage storage, RulesService rules, GatewayMetrics metrics) {
        KafkaSettings kafka = config.cluster().kafka();
        int partitions = ReadingsTopic.ensure(kafka, KAFKA_START_TIMEOUT);
        // Rule state per partition: only the holder of a site's partition evaluates and ticks it, and writes its alerts.
        rules.partitioned(kafka.topic(), site -> ReadingsTopic.partitionOf(site, partitions));
        PackConsumer consumer = new PackConsumer(kafka, storage.database().writerDataSource(), storage.database().partitions(),
                "gardien-worker-" + processName(), new PackConsumer.Listener() {
                    @Override
                    public void stored(int partition, long nextOffset, List<Reading> readings) {
                        rules.accept(partition, nextOffset, readings);
                    }

                    @Override
                    public long assigned(int partition, long epoch, long storedOffset) {
                        return rules.assign(partition, epoch, storedOffset);
                    }

                    @Override
                    public void released(Set<Integer> released) {
                        rules.release(released);
                    }
                });
        for (int p = 0; p < partitions; p++) {
            int partition = p;
            Gauge.builder("gardien.cluster.consumer.lag.records", () -> consumer.lag().getOrDefault(partition, 0L))
                    .description("Records of the readings log not stored yet, per partition this worker holds (0 otherwise)")
                    .tag("partition", Integer.toString(partition)).strongReference(true).register(metrics.registry());
        }
        metrics.gauge("gardien.cluster.consumer.partitions", "Partitions of the readings log this worker holds",
                () -> consumer.partitions().size());
        // With the edges' committed readings, when the workers have caught up (bench/cluster.sh).
        FunctionCounter.builder("gardien.cluster.consumer.stored.readings", consumer, PackConsumer::storedReadings)
                .description("Readings this worker stored from the log since it started").register(metrics.registry());
        metrics.gauge("gardien.cluster.consumer.fenced.batches", "Batches refused because their partition had moved",
                consumer::fencedBatches);
        consumer.start();
        log.info("worker: storing packs from Kafka [{}, partitions: {}]", kafka.describe(), partitions);
        return consumer;
    }

    /** Host and process id: names this process in Kafka and in the partition leases. */
    private static String processName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown";
        }
        return host + "-" + ProcessHandle.current().pid() + "-" + instances.incrementAndGet();
    }
}
