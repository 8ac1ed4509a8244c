package fr.gardien.cluster;

import static fr.gardien.cluster.Packs.await;
import static fr.gardien.cluster.Packs.count;
import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.model.Reading;
import fr.gardien.rules.Explanation;
import fr.gardien.rules.RuleSignal;
import fr.gardien.rules.Severity;
import fr.gardien.rules.Urgency;
import fr.gardien.storage.alerts.AlertChange;
import fr.gardien.storage.alerts.AlertStore;
import fr.gardien.storage.alerts.LeaseFence;
import fr.gardien.storage.db.Database;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker paused past its poll interval (a long GC pause, a frozen VM) while it evaluates a
 * partition's readings (issue 13): another worker takes the partition over, and the alert
 * transition the paused one decided on is refused when it resumes; the new holder's is written.
 */
@Timeout(120)
class PausedWorkerAlertIT {

    private Database db;

    @BeforeEach
    void database() {
        db = Packs.freshDatabase();
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static RuleSignal raised(String site) {
        Instant at = Instant.parse("2026-11-20T06:00:00Z");
        return new RuleSignal(RuleSignal.Kind.RAISED, "hot-water-storage-cold", site, "ecs-1", Severity.CRITICAL, "hot-water",
                Urgency.IMMEDIATE, at, new Explanation(at.minus(Duration.ofHours(1)), at, Map.of("value", 48.0),
                        "Ballon à 48 °C", "Storage at 48 °C"));
    }

    @Test
    void aWorkerPausedPastItsPollIntervalCannotWriteAnAlertTransition() throws Exception {
        KafkaSettings settings = TestKafka.shared().newTopic(2);
        String site = Packs.siteKey(0);
        int partition = ReadingsTopic.partitionOf(site, 2);
        AlertStore alerts = new AlertStore(db.dataSource());
        Map<Integer, Long> zombieEpochs = new ConcurrentHashMap<>();
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        AtomicReference<AlertChange> zombieChange = new AtomicReference<>();
        try (PackProducer edge = new PackProducer(settings, 10_000, "edge-1");
                PackConsumer zombie = new PackConsumer(settings, db.writerDataSource(), db.partitions(), "zombie",
                        new PackConsumer.Listener() {
                            @Override
                            public long assigned(int p, long epoch, long storedOffset) {
                                zombieEpochs.put(p, epoch);
                                return storedOffset;
                            }

                            @Override
                            public void stored(int p, long nextOffset, List<Reading> readings) {
                                // The rules found the raise; then the process freezes before writing it.
                                paused.countDown();
                                try {
                                    resume.await(60, TimeUnit.SECONDS);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                                zombieChange.set(alerts.apply(raised(site), new LeaseFence(settings.topic(), p, zombieEpochs.get(p))));
                            }
                        }, Duration.ofSeconds(3))) {
            zombie.start();
            edge.offer(site, new Packs().pack(0)).get(20, TimeUnit.SECONDS);
            assertThat(paused.await(30, TimeUnit.SECONDS)).as("the zombie evaluates the pack").isTrue();

            Map<Integer, Long> successorEpochs = new ConcurrentHashMap<>();
            try (PackConsumer successor = new PackConsumer(settings, db.writerDataSource(), db.partitions(), "successor",
                    new PackConsumer.Listener() {
                        @Override
                        public long assigned(int p, long epoch, long storedOffset) {
                            successorEpochs.put(p, epoch);
                            return storedOffset;
                        }
                    }, Duration.ofSeconds(3))) {
                successor.start();
                await(Duration.ofSeconds(30), () -> successor.partitions().contains(partition),
                        "the successor takes the paused worker's partition");

                resume.countDown();
                await(Duration.ofSeconds(10), () -> zombieChange.get() != null, "the zombie resumes");
                assertThat(zombieChange.get().kind()).isEqualTo(AlertChange.Kind.FENCED);
                assertThat(count(db.dataSource(), "SELECT count(*) FROM alerts")).isZero();
                assertThat(count(db.dataSource(), "SELECT count(*) FROM alert_transitions")).isZero();

                // Back from its pause the zombie rejoins and may be given the partition again, under a newer
                // epoch: it leaves, and the successor writes under the epoch of its lease then.
                zombie.close();
                await(Duration.ofSeconds(30), () -> successor.partitions().contains(partition),
                        "the successor holds the partition once the zombie left");
                AlertChange holder = alerts.apply(raised(site), new LeaseFence(settings.topic(), partition,
                        successorEpochs.get(partition)));
                assertThat(holder.kind()).isEqualTo(AlertChange.Kind.OPENED);
                assertThat(count(db.dataSource(), "SELECT count(*) FROM readings")).isEqualTo(Packs.READINGS_PER_PACK);
            }
        } finally {
            resume.countDown();
        }
    }
}
