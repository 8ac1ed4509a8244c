package fr.gardien.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The Kafka broker of a test JVM: a {@link KafkaBroker} in a temporary directory, started on
 * first use and stopped at JVM exit. Tests isolate themselves with {@link #newTopic}: a topic of
 * their own (and so a consumer group of its own).
 */
public final class TestKafka {

    private static TestKafka shared;
    private static final AtomicInteger topics = new AtomicInteger();

    private final KafkaBroker broker;

    private TestKafka(KafkaBroker broker) {
        this.broker = broker;
    }

    public static synchronized TestKafka shared() {
        if (shared == null) {
            Path dir = tempDir();
            KafkaBroker broker = KafkaBroker.start(dir, "127.0.0.1", 0);
            shared = new TestKafka(broker);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                broker.close();
                delete(dir);
            }, "gardien-test-kafka-stop"));
        }
        return shared;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Settings on a new, created topic of {@code partitions} partitions. */
    public KafkaSettings newTopic(int partitions) {
        return newTopic(bootstrapServers(), partitions);
    }

    /** Settings on a new, created topic of a given broker. */
    public static KafkaSettings newTopic(String bootstrapServers, int partitions) {
        KafkaSettings settings = new KafkaSettings(bootstrapServers, "test-readings-" + ProcessHandle.current().pid() + "-"
                + topics.incrementAndGet(), partitions, java.util.Map.of());
        ReadingsTopic.ensure(settings, Duration.ofSeconds(30));
        return settings;
    }

    public static Path tempDir() {
        try {
            return Files.createTempDirectory("gardien-kafka-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary directory: what remains goes with the machine's cleanup.
        }
    }
}
