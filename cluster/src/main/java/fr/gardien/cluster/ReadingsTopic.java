package fr.gardien.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the readings topic when it is missing: {@link KafkaSettings#partitions()} partitions,
 * replicated on up to three brokers, with {@code min.insync.replicas} one less than the
 * replication (at least 1), so that an {@code acks=all} pack survives the loss of a broker once
 * the cluster has three. An existing topic is left as it is (its partition count decides).
 */
public final class ReadingsTopic {

    private static final Logger log = LoggerFactory.getLogger(ReadingsTopic.class);

    private ReadingsTopic() {
    }

    /**
     * The partition of a key, as the producers' default partitioner chooses it (murmur2 of the
     * key's UTF-8 bytes): which worker evaluates a site.
     */
    public static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The topic's partition count; a topic just created may take a moment to be known to every broker. */
    private static int describe(Admin admin, String topic, long deadlineNanos)
            throws InterruptedException, ExecutionException, TimeoutException {
        while (true) {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
            try {
                return admin.describeTopics(Set.of(topic)).allTopicNames().get(left, TimeUnit.MILLISECONDS).get(topic)
                        .partitions().size();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadlineNanos) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    /**
     * Blocking, at most about {@code timeout}.
     *
     * @return the topic's partition count
     * @throws IllegalStateException when Kafka cannot be reached in time or refuses
     */
    public static int ensure(KafkaSettings settings, Duration timeout) {
        try (Admin admin = Admin.create(settings.clientProperties("gardien-admin"))) {
            long ms = timeout.toMillis();
            int brokers = admin.describeCluster().nodes().get(ms, TimeUnit.MILLISECONDS).size();
            short replication = (short) Math.max(1, Math.min(3, brokers));
            NewTopic topic = new NewTopic(settings.topic(), settings.partitions(), replication)
                    .configs(Map.of("min.insync.replicas", String.valueOf(Math.max(1, replication - 1))));
            try {
                admin.createTopics(Set.of(topic)).all().get(ms, TimeUnit.MILLISECONDS);
                log.info("readings topic created [topic: {}, partitions: {}, replication: {}]", settings.topic(),
                        settings.partitions(), replication);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            int partitions = describe(admin, settings.topic(), System.nanoTime() + timeout.toNanos());
            if (partitions != settings.partitions()) {
                log.info("readings topic exists with its own partition count [topic: {}, partitions: {}, configured: {}]",
                        settings.topic(), partitions, settings.partitions());
            }
            return partitions;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing the readings topic", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("Kafka at " + settings.bootstrapServers() + " did not answer within " + timeout
                    + " / Kafka ne répond pas (" + cause + ")", cause);
        }
    }
}
