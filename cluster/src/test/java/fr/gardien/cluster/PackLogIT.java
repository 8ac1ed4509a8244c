package fr.gardien.cluster;

import static fr.gardien.cluster.Packs.assertStoredExactlyOnce;
import static fr.gardien.cluster.Packs.await;
import static fr.gardien.cluster.Packs.count;
import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.model.Reading;
import fr.gardien.storage.db.Database;
import fr.gardien.storage.write.WriteBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Edges' producers and workers' consumers against a real broker and a real PostgreSQL: what a
 * producer's future acknowledges is stored exactly once, whoever holds the partitions.
 */
@Timeout(120)
class PackLogIT {

    private final Packs packs = new Packs();
    private final List<AutoCloseable> open = new ArrayList<>();
    private Database db;

    @BeforeEach
    void database() {
        db = Packs.freshDatabase();
    }

    @AfterEach
    void close() throws Exception {
        Collections.reverse(open);
        for (AutoCloseable c : open) {
            c.close();
        }
        db.close();
    }

    private <T extends AutoCloseable> T opened(T closeable) {
        open.add(closeable);
        return closeable;
    }

    private PackConsumer worker(KafkaSettings settings, String id, PackConsumer.Listener listener) {
        // Longer than a store can take on a loaded machine: these workers leave only when a test closes them.
        PackConsumer worker = opened(new PackConsumer(settings, db.writerDataSource(), db.partitions(), id, listener,
                Duration.ofSeconds(15)));
        worker.start();
        return worker;
    }

    private static WriteBatch sendAndWait(PackProducer edge, int site, WriteBatch pack) throws Exception {
        CompletableFuture<Void> acked = edge.offer(Packs.siteKey(site), pack);
        assertThat(acked).as("room in the producer").isNotNull();
        acked.get(20, TimeUnit.SECONDS);
        return pack;
    }

    /** 100 packs at once then 100 ms of pause; one pack per 10 ms while {@code waiting}. */
    private static void pace(int sent, boolean waiting) throws InterruptedException {
        if (waiting) {
            Thread.sleep(10);
        } else if (sent % 100 == 0) {
            Thread.sleep(100);
        }
    }

    /** A pack Kafka acknowledged is in PostgreSQL once, with its quarantined record, and the lease holds its offset. */
    @Test
    void anAcknowledgedPackIsStoredOnceWithItsQuarantine() throws Exception {
        KafkaSettings settings = TestKafka.shared().newTopic(4);
        PackProducer edge = opened(new PackProducer(settings, 10_000, "edge-1"));
        List<WriteBatch> acked = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            acked.add(sendAndWait(edge, i % 7, i % 10 == 0 ? packs.partial(i % 7, "gw-" + i) : packs.pack(i % 7)));
        }
        long expected = acked.stream().mapToLong(p -> p.readings().size()).sum();
        PackConsumer worker = worker(settings, "worker-1", PackConsumer.Listener.NONE);
        await(Duration.ofSeconds(30), () -> count(db.dataSource(), "SELECT count(*) FROM readings") >= expected, "readings stored");
        assertStoredExactlyOnce(db.dataSource(), acked);
        assertThat(count(db.dataSource(), "SELECT count(*) FROM readings")).isEqualTo(expected);
        assertThat(count(db.dataSource(), "SELECT count(*) FROM quarantine WHERE reason = 'unknown-point'")).isEqualTo(4);
        assertThat(count(db.dataSource(), "SELECT count(*) FROM rollup_log")).as("rollups told in the same transactions")
                .isPositive();
        assertThat(count(db.dataSource(), "SELECT sum(next_offset) FROM partition_lease WHERE topic = '" + settings.topic() + "'"))
                .as("stored offsets").isEqualTo(40);
        assertThat(worker.partitions()).containsExactly(0, 1, 2, 3);
        await(Duration.ofSeconds(5), () -> worker.lag().values().stream().allMatch(l -> l == 0) && worker.lag().size() == 4,
                "lag zero on every partition");
    }

    /**
     * Two edges, workers leaving and joining while packs flow: every acknowledged reading is
     * stored exactly once, and the partitions of the worker that left are taken over.
     */
    @Test
    void aRebalanceMidStreamLosesAndDuplicatesNothing() throws Exception {
        KafkaSettings settings = TestKafka.shared().newTopic(6);
        PackProducer edgeA = opened(new PackProducer(settings, 10_000, "edge-a"));
        PackProducer edgeB = opened(new PackProducer(settings, 10_000, "edge-b"));
        PackConsumer first = worker(settings, "worker-1", PackConsumer.Listener.NONE);
        PackConsumer second = worker(settings, "worker-2", PackConsumer.Listener.NONE);
        List<WriteBatch> acked = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        IntConsumer send = n -> {
            WriteBatch pack = packs.pack(n % 20);
            CompletableFuture<Void> sent = (n % 2 == 0 ? edgeA : edgeB).offer(Packs.siteKey(n % 20), pack);
            assertThat(sent).as("room in the producer").isNotNull();
            pending.add(sent.thenRun(() -> acked.add(pack)));
        };
        int i = 0;
        // The first worker must have stored some packs before it leaves. Packs keep coming while
        // it has none: if the second worker joined first, it may have taken every pack sent so far
        // before Kafka gave the first its share.
        long firstDeadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (i < 500 || first.storedReadings() == 0) {
            assertThat(System.nanoTime()).as("the first worker stores within 20 s").isLessThan(firstDeadline);
            send.accept(i++);
            pace(i, i > 500);
        }
        first.close();
        int left = i;
        while (i < left + 400) {
            send.accept(i++);
            pace(i, false);
        }
        PackConsumer third = worker(settings, "worker-3", PackConsumer.Listener.NONE);
        while (i < left + 1_000) {
            send.accept(i++);
            pace(i, false);
        }
        // On a loaded machine a pack may miss its delivery timeout: it is then not acknowledged,
        // and only what was acknowledged must be stored.
        CompletableFuture.allOf(pending.stream().map(f -> f.handle((ok, e) -> null)).toArray(CompletableFuture[]::new))
                .get(60, TimeUnit.SECONDS);
        assertThat(acked).hasSizeGreaterThan(1_000);
        long expected = acked.size() * (long) Packs.READINGS_PER_PACK;
        await(Duration.ofSeconds(40), () -> count(db.dataSource(), "SELECT count(*) FROM readings") >= expected,
                "every acknowledged reading stored");
        assertStoredExactlyOnce(db.dataSource(), acked);
        await(Duration.ofSeconds(20), () -> second.partitions().size() + third.partitions().size() == 6,
                "the remaining workers hold every partition");
        Set<Integer> union = new HashSet<>(second.partitions());
        union.addAll(third.partitions());
        assertThat(union).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
        assertThat(first.partitions()).isEmpty();
    }

    /**
     * A worker stalled inside its transaction past its poll interval loses its partitions to
     * another worker; when it resumes, its transaction is refused by the fence, so the readings
     * the other worker stored are not stored a second time.
     */
    @Test
    void aStalledWorkerCannotWriteAfterItsPartitionsMoved() throws Exception {
        KafkaSettings settings = TestKafka.shared().newTopic(2);
        PackProducer edge = opened(new PackProducer(settings, 10_000, "edge-1"));
        StallingDataSource stalling = new StallingDataSource(db.writerDataSource());
        PackConsumer zombie = opened(new PackConsumer(settings, stalling, db.partitions(), "zombie", PackConsumer.Listener.NONE,
                Duration.ofSeconds(3)));
        zombie.start();
        List<WriteBatch> acked = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            acked.add(sendAndWait(edge, i % 4, packs.pack(i % 4)));
        }
        await(Duration.ofSeconds(30), () -> zombie.storedReadings() == 50, "the first worker stores the first packs");

        stalling.stall();
        for (int i = 0; i < 10; i++) {
            acked.add(sendAndWait(edge, i % 4, packs.pack(i % 4)));
        }
        await(Duration.ofSeconds(10), () -> stalling.waiting() > 0, "the first worker stuck in its transaction");
        PackConsumer successor = worker(settings, "successor", PackConsumer.Listener.NONE);
        await(Duration.ofSeconds(30), () -> count(db.dataSource(), "SELECT count(*) FROM readings") == 100,
                "the successor stores the packs the stalled worker had polled");
        assertThat(successor.partitions()).containsExactly(0, 1);

        stalling.release();
        await(Duration.ofSeconds(10), () -> zombie.fencedBatches() == 1, "the stalled worker's transaction refused");
        assertThat(count(db.dataSource(), "SELECT count(*) FROM readings")).isEqualTo(100);
        assertStoredExactlyOnce(db.dataSource(), acked);
    }

    /**
     * A worker taking a partition over whose rule checkpoint is behind the stored offset gets the
     * records from the checkpoint's offset again, for its rules only (issue 13): nothing is stored
     * twice, and its listener sees every reading from there on, in log order, then the new ones.
     */
    @Test
    void aTakeoverReplaysFromTheCheckpointWithoutStoringTwice() throws Exception {
        KafkaSettings settings = TestKafka.shared().newTopic(2);
        int partition = ReadingsTopic.partitionOf(Packs.siteKey(0), 2);
        PackProducer edge = opened(new PackProducer(settings, 10_000, "edge-1"));
        List<WriteBatch> acked = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            acked.add(sendAndWait(edge, 0, packs.pack(0)));
        }
        PackConsumer first = worker(settings, "worker-1", PackConsumer.Listener.NONE);
        await(Duration.ofSeconds(30), () -> first.storedReadings() == 10 * Packs.READINGS_PER_PACK, "the first worker stores");
        first.close();

        long checkpoint = 4;
        List<Reading> evaluated = Collections.synchronizedList(new ArrayList<>());
        List<Long> offsets = Collections.synchronizedList(new ArrayList<>());
        List<Long> storedAtAssignment = Collections.synchronizedList(new ArrayList<>());
        PackConsumer second = worker(settings, "worker-2", new PackConsumer.Listener() {
            @Override
            public void stored(int p, long nextOffset, List<Reading> readings) {
                if (p == partition) {
                    evaluated.addAll(readings);
                    offsets.add(nextOffset);
                }
            }

            @Override
            public long assigned(int p, long epoch, long storedOffset) {
                if (p != partition) {
                    return storedOffset;
                }
                storedAtAssignment.add(storedOffset);
                return checkpoint;
            }
        });
        await(Duration.ofSeconds(30), () -> evaluated.size() == 6 * Packs.READINGS_PER_PACK, "the records after the checkpoint replayed");
        assertThat(storedAtAssignment).containsExactly(10L);
        for (int i = 0; i < 5; i++) {
            acked.add(sendAndWait(edge, 0, packs.pack(0)));
        }
        await(Duration.ofSeconds(30), () -> second.storedReadings() == 5 * Packs.READINGS_PER_PACK, "the second worker stores");
        await(Duration.ofSeconds(5), () -> evaluated.size() == 11 * Packs.READINGS_PER_PACK, "the new readings evaluated");
        List<Reading> expected = new ArrayList<>();
        acked.subList(4, 15).forEach(pack -> expected.addAll(pack.readings()));
        assertThat(evaluated).as("from the checkpoint on, in log order, once").containsExactlyElementsOf(expected);
        assertThat(offsets).last().isEqualTo(15L);
        assertThat(offsets).isSorted();
        assertThat(count(db.dataSource(), "SELECT count(*) FROM readings")).isEqualTo(15 * Packs.READINGS_PER_PACK);
        assertStoredExactlyOnce(db.dataSource(), acked);
    }

    /**
     * Packs of a site sent through two edges all reach the one worker that holds the site's
     * partition, which is the partition its key hashes to: a multi-input rule sees every input.
     */
    @Test
    void aSitesReadingsReachOneWorkerWhateverTheEdge() throws Exception {
        int partitions = 8;
        KafkaSettings settings = TestKafka.shared().newTopic(partitions);
        Map<Integer, Set<String>> workersOfSite = new ConcurrentHashMap<>();
        Map<Integer, Set<Integer>> partitionsOfSite = new ConcurrentHashMap<>();
        Map<Integer, List<Reading>> seen = new ConcurrentHashMap<>();
        PackConsumer a = worker(settings, "worker-a", recording("worker-a", workersOfSite, partitionsOfSite, seen));
        PackConsumer b = worker(settings, "worker-b", recording("worker-b", workersOfSite, partitionsOfSite, seen));
        await(Duration.ofSeconds(30), () -> !a.partitions().isEmpty() && !b.partitions().isEmpty()
                && a.partitions().size() + b.partitions().size() == partitions, "both workers hold partitions");
        PackProducer edgeA = opened(new PackProducer(settings, 10_000, "edge-a"));
        PackProducer edgeB = opened(new PackProducer(settings, 10_000, "edge-b"));
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int site = i % 10;
            sent.add((i % 3 == 0 ? edgeA : edgeB).offer(Packs.siteKey(site), packs.pack(site)));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        await(Duration.ofSeconds(30), () -> seen.values().stream().mapToInt(List::size).sum() == 200 * Packs.READINGS_PER_PACK,
                "every reading evaluated");
        for (int site = 0; site < 10; site++) {
            assertThat(workersOfSite.get(site)).as("workers of site %d", site).hasSize(1);
            assertThat(partitionsOfSite.get(site)).as("partition of site %d", site)
                    .containsExactly(ReadingsTopic.partitionOf(Packs.siteKey(site), partitions));
            assertThat(seen.get(site)).as("readings of site %d", site).hasSize(20 * Packs.READINGS_PER_PACK);
        }
    }

    private static PackConsumer.Listener recording(String worker, Map<Integer, Set<String>> workersOfSite,
            Map<Integer, Set<Integer>> partitionsOfSite, Map<Integer, List<Reading>> seen) {
        return new PackConsumer.Listener() {
            @Override
            public void stored(int partition, long nextOffset, List<Reading> readings) {
                for (Reading r : readings) {
                    int site = Packs.site(r.pointId());
                    workersOfSite.computeIfAbsent(site, k -> ConcurrentHashMap.newKeySet()).add(worker);
                    partitionsOfSite.computeIfAbsent(site, k -> ConcurrentHashMap.newKeySet()).add(partition);
                    seen.computeIfAbsent(site, k -> Collections.synchronizedList(new ArrayList<>())).add(r);
                }
            }
        };
    }
}
