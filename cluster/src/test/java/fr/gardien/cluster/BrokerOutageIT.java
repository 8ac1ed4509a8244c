package fr.gardien.cluster;

import static fr.gardien.cluster.Packs.assertStoredExactlyOnce;
import static fr.gardien.cluster.Packs.await;
import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.storage.db.Database;
import fr.gardien.storage.write.WriteBatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The broker stopped under load and started again on the same port and log directory: the edge
 * stops taking packs (its producer answers "no room"), takes them again by itself once Kafka is
 * back, and nothing it acknowledged is lost or stored twice.
 */
@Timeout(150)
class BrokerOutageIT {

    @Test
    void anEdgeRefusesWhileKafkaIsDownAndRecoversByItself() throws Exception {
        Path dir = TestKafka.tempDir();
        KafkaBroker broker = KafkaBroker.start(dir, "127.0.0.1", 0);
        int port = broker.port();
        Packs packs = new Packs();
        List<WriteBatch> acked = Collections.synchronizedList(new ArrayList<>());
        try (Database db = Packs.freshDatabase()) {
            KafkaSettings settings = TestKafka.newTopic(broker.bootstrapServers(), 3);
            try (PackProducer edge = new PackProducer(settings, 500, "edge-1");
                    PackConsumer worker = new PackConsumer(settings, db.writerDataSource(), db.partitions(), "worker-1",
                            PackConsumer.Listener.NONE)) {
                worker.start();
                AtomicInteger drains = new AtomicInteger();
                edge.onDrain(drains::incrementAndGet);
                for (int i = 0; i < 20; i++) {
                    send(edge, packs, i, acked).get(20, TimeUnit.SECONDS);
                }
                await(Duration.ofSeconds(30), () -> worker.storedReadings() == 100, "stored before the outage");

                broker.close();
                List<CompletableFuture<Void>> during = new ArrayList<>();
                long refusedAfter = -1;
                long start = System.nanoTime();
                for (int i = 0; System.nanoTime() - start < TimeUnit.SECONDS.toNanos(25); i++) {
                    CompletableFuture<Void> sent = send(edge, packs, i, acked);
                    if (sent == null) {
                        refusedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                        break;
                    }
                    during.add(sent);
                    Thread.sleep(20);
                }
                assertThat(refusedAfter).as("the edge refuses packs while Kafka is down").isNotNegative();
                for (CompletableFuture<Void> f : during) {
                    // Each either failed (not acknowledged: the device sends it again) or went through.
                    f.handle((ok, e) -> null).get(40, TimeUnit.SECONDS);
                }
                assertThat(during).as("packs sent into the outage are not acknowledged")
                        .allMatch(CompletableFuture::isCompletedExceptionally);

                broker = KafkaBroker.start(dir, "127.0.0.1", port);
                await(Duration.ofSeconds(30), edge::available, "the edge takes packs again");
                await(Duration.ofSeconds(5), () -> drains.get() > 0, "waiting devices told");
                for (int i = 0; i < 20; i++) {
                    send(edge, packs, i, acked).get(20, TimeUnit.SECONDS);
                }
                await(Duration.ofSeconds(30), () -> worker.storedReadings() >= acked.size() * 5L, "stored after the outage");
                assertStoredExactlyOnce(db.dataSource(), acked);
            }
        } finally {
            broker.close();
            TestKafka.delete(dir);
        }
    }

    private static CompletableFuture<Void> send(PackProducer edge, Packs packs, int i, List<WriteBatch> acked) {
        WriteBatch pack = packs.pack(i % 5);
        CompletableFuture<Void> sent = edge.offer(Packs.siteKey(i % 5), pack);
        return sent == null ? null : sent.thenRun(() -> acked.add(pack));
    }
}
