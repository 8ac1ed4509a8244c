package fr.gardien.cluster;

import fr.gardien.model.Reading;
import fr.gardien.storage.write.PackRows;
import fr.gardien.storage.db.PartitionManager;
import fr.gardien.storage.write.QuarantineRecord;
import fr.gardien.storage.write.WriteBatch;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's share of the readings log. The workers of a topic form one consumer group
 * ({@code <topic>.workers}, cooperative sticky assignment, so a rebalance moves only the
 * partitions that change hands). On its thread {@code gardien-kafka-worker} it polls, and stores
 * each poll's packs — readings, rollup log row, quarantined records — together with each
 * partition's next offset in <b>one PostgreSQL transaction</b>, which commits only if every
 * partition's {@linkplain LeaseStore lease} is still held under the epoch this worker took it
 * with. On assignment the worker raises the partition's epoch and seeks to the offset stored
 * there. Hence a pack acknowledged by Kafka is stored exactly once, whatever the crashes,
 * pauses and rebalances; Kafka's committed offsets are written after the fact, for lag tools
 * only.
 *
 * <p>The rule engine's state of a partition is checkpointed with the offset it reflects, which
 * may be behind the stored offset: on assignment the {@link Listener} names that offset, and the
 * records from there to the stored offset are read again and given to it for the rules only,
 * never stored a second time (issue 13).
 *
 * <p>A transaction refused by the fence drops the partitions that were taken over and reads the
 * others again from their stored offsets; one that fails (database down) is retried after a
 * pause, from the stored offsets. A record that cannot be decoded (another format version) is
 * kept in the quarantine with reason {@value #UNREADABLE}, never skipped silently.
 */
public final class PackConsumer implements AutoCloseable {

    /** Quarantine reason of a log record this worker cannot read. */
    public static final String UNREADABLE = "unreadable-log-record";
    private static final Logger log = LoggerFactory.getLogger(PackConsumer.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofSeconds(1);

    /** What the worker tells the rest of its process (the rule engine). Called on the worker thread: must not block. */
    public interface Listener {

        Listener NONE = new Listener() {
        };

        /**
         * A partition's readings, in log order: those this worker has just committed, or, after
         * {@link #assigned}, those it replays (stored before, not stored again).
         *
         * @param nextOffset the offset after the last record these readings come from
         */
        default void stored(int partition, long nextOffset, List<Reading> readings) {
        }

        /**
         * This worker holds the partition from now on (leased), under {@code epoch}; every record
         * before {@code storedOffset} is stored. May block briefly (it runs on the worker thread,
         * before the partition's first poll).
         *
         * @return the offset from which the records already stored are to be given to
         *     {@link #stored} again, for the rules only (a rule state checkpoint's offset), before
         *     those this worker stores; {@code storedOffset} for none
         */
        default long assigned(int partition, long epoch, long storedOffset) {
            return storedOffset;
        }

        /**
         * Partitions this worker no longer holds (revoked, lost, or taken over under its feet).
         * May block briefly (it runs inside the rebalance, before another worker takes them).
         */
        default void released(Set<Integer> partitions) {
        }
    }

    private final KafkaSettings settings;
    private final DataSource dataSource;
    private final PackRows packRows;
    private final LeaseStore leases;
    private final Listener listener;
    private final String workerId;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    /** Partitions held, with their epoch and stored offset; written on the worker thread only. */
    private final Map<Integer, LeaseStore.Lease> held = new ConcurrentHashMap<>();
    /** Partitions assigned by Kafka whose lease could not be taken yet (database down): paused. */
    private final Set<Integer> unleased = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Long> lag = new ConcurrentHashMap<>();
    /** Per partition being replayed: the next offset to replay and the stored offset it ends at. Worker thread only. */
    private final Map<Integer, long[]> replays = new HashMap<>();
    private final AtomicLong storedReadings = new AtomicLong();
    private final AtomicLong fencedBatches = new AtomicLong();
    private volatile boolean closing;

    /**
     * @param dataSource connections for the worker's transactions (one at a time)
     * @param workerId names this worker in {@code partition_lease.holder} and in Kafka
     */
    public PackConsumer(KafkaSettings settings, DataSource dataSource, PartitionManager partitions, String workerId,
            Listener listener) {
        this(settings, dataSource, partitions, workerId, listener, Duration.ofMinutes(5));
    }

    /** @param maxPollInterval how long a stalled worker keeps its partitions (tests shorten it) */
    PackConsumer(KafkaSettings settings, DataSource dataSource, PartitionManager partitions, String workerId,
            Listener listener, Duration maxPollInterval) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.packRows = new PackRows(partitions);
        this.leases = new LeaseStore(dataSource);
        this.listener = Objects.requireNonNull(listener, "listener");
        this.workerId = Objects.requireNonNull(workerId, "workerId");
        Properties p = settings.clientProperties(workerId);
        p.put("group.id", groupId(settings.topic()));
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", "earliest");
        p.put("partition.assignment.strategy", CooperativeStickyAssignor.class.getName());
        p.put("max.poll.records", "500");
        p.put("max.poll.interval.ms", String.valueOf(maxPollInterval.toMillis()));
        p.put("session.timeout.ms", "10000");
        p.put("heartbeat.interval.ms", "1000");
        p.put("reconnect.backoff.max.ms", "1000");
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "gardien-kafka-worker");
        thread.setDaemon(true);
    }

    /** The consumer group of the workers of a topic. */
    public static String groupId(String topic) {
        return topic + ".workers";
    }

    public void start() {
        thread.start();
    }

    /** Whether the worker's thread runs (started, not closed, not died on an error). */
    public boolean running() {
        return thread.isAlive() && !closing;
    }

    /** Partitions this worker holds now (assigned and leased). */
    public Set<Integer> partitions() {
        return new TreeSet<>(held.keySet());
    }

    /** Records not consumed yet, per held partition, as of the last poll. */
    public Map<Integer, Long> lag() {
        return Map.copyOf(lag);
    }

    /** Readings this worker stored since it started. */
    public long storedReadings() {
        return storedReadings.get();
    }

    /** Transactions refused because a partition had been taken over. */
    public long fencedBatches() {
        return fencedBatches.get();
    }

    /**
     * Leaves the group (its partitions go to the other workers) and closes. Blocking; closing
     * again only waits for the first close to end.
     */
    @Override
    public void close() {
        if (!closing) {
            closing = true;
            consumer.wakeup();
        }
        Threads.join(thread, Duration.ofSeconds(30));
    }

    private void run() {
        try {
            consumer.subscribe(List.of(settings.topic()), new Rebalance());
            while (!closing) {
                if (!unleased.isEmpty()) {
                    leaseWaiting();
                }
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                updateLag();
                if (!records.isEmpty()) {
                    store(records);
                }
            }
        } catch (WakeupException e) {
            if (!closing) {
                log.error("worker woken up unexpectedly", e);
            }
        } catch (RuntimeException | Error e) {
            log.error("worker thread died; its partitions go to the other workers [worker: {}]", workerId, e);
        } finally {
            try {
                consumer.close(Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                log.debug("consumer close failed [cause: {}]", e.toString());
            }
            Set<Integer> released = new TreeSet<>(held.keySet());
            held.clear();
            lag.clear();
            replays.clear();
            if (!released.isEmpty()) {
                listener.released(released);
            }
        }
    }

    private void store(ConsumerRecords<String, byte[]> records) {
        Map<Integer, List<Reading>> readings = new HashMap<>();
        Map<Integer, LeaseStore.Lease> advanced = new HashMap<>();
        List<Reading> all = new ArrayList<>();
        List<QuarantineRecord> quarantined = new ArrayList<>();
        for (TopicPartition tp : records.partitions()) {
            LeaseStore.Lease lease = held.get(tp.partition());
            if (lease == null) {
                continue; // Not leased (yet), or taken over: its records are someone else's.
            }
            List<Reading> partitionReadings = new ArrayList<>();
            long next = lease.nextOffset();
            long[] replay = replays.get(tp.partition());
            List<Reading> replayed = replay == null ? null : new ArrayList<>();
            for (ConsumerRecord<String, byte[]> r : records.records(tp)) {
                if (r.offset() < lease.nextOffset()) {
                    // Already stored: given again to the rules while replaying, else skipped (fetched before a seek back took effect).
                    if (replay != null && r.offset() >= replay[0]) {
                        decode(r, replayed, new ArrayList<>());
                        replay[0] = r.offset() + 1;
                    }
                    continue;
                }
                decode(r, partitionReadings, quarantined);
                next = r.offset() + 1;
            }
            if (replay != null) {
                if (next > lease.nextOffset() || replay[0] >= replay[1]) {
                    replays.remove(tp.partition());
                }
                if (!replayed.isEmpty()) {
                    listener.stored(tp.partition(), replay[0], replayed);
                }
            }
            if (next > lease.nextOffset()) {
                readings.put(tp.partition(), partitionReadings);
                all.addAll(partitionReadings);
                advanced.put(tp.partition(), lease.at(next));
            }
        }
        if (advanced.isEmpty()) {
            return;
        }
        Set<Integer> fenced = new TreeSet<>();
        try {
            packRows.prepare(all);
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    packRows.write(c, all, quarantined);
                    for (LeaseStore.Lease next : advanced.values()) {
                        if (!LeaseStore.advance(c, settings.topic(), held.get(next.partition()), next.nextOffset())) {
                            fenced.add(next.partition());
                        }
                    }
                    if (fenced.isEmpty()) {
                        c.commit();
                    } else {
                        c.rollback();
                    }
                } catch (SQLException | RuntimeException e) {
                    PackRows.rollbackQuietly(c);
                    throw e;
                }
            }
        } catch (SQLException | RuntimeException e) {
            packRows.failed();
            log.warn("storing a batch failed, retried from the stored offsets [worker: {}, packs: {}, cause: {}]", workerId,
                    records.count(), e.toString());
            rewind(advanced.keySet());
            pause(RETRY);
            return;
        }
        if (!fenced.isEmpty()) {
            fencedBatches.incrementAndGet();
            log.warn("partitions taken over by another worker, batch not stored [worker: {}, partitions: {}]", workerId, fenced);
            fenced.forEach(held::remove);
            fenced.forEach(lag::remove);
            fenced.forEach(replays::remove);
            Set<Integer> others = new TreeSet<>(advanced.keySet());
            others.removeAll(fenced);
            rewind(others);
            listener.released(fenced);
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (LeaseStore.Lease next : advanced.values()) {
            held.put(next.partition(), next);
            offsets.put(new TopicPartition(settings.topic(), next.partition()), new OffsetAndMetadata(next.nextOffset()));
        }
        storedReadings.addAndGet(all.size());
        // Advisory: the stored offsets decide; these only feed the tools that read the group's lag.
        consumer.commitAsync(offsets, (committed, failure) -> {
            if (failure != null) {
                log.debug("advisory offset commit failed [cause: {}]", failure.toString());
            }
        });
        readings.forEach((partition, list) -> {
            if (!list.isEmpty()) {
                listener.stored(partition, advanced.get(partition).nextOffset(), list);
            }
        });
    }

    private void decode(ConsumerRecord<String, byte[]> r, List<Reading> readings, List<QuarantineRecord> quarantined) {
        try {
            WriteBatch batch = PackRecord.decode(r.value() == null ? new byte[0] : r.value());
            readings.addAll(batch.readings());
            quarantined.addAll(batch.quarantined());
        } catch (IllegalArgumentException e) {
            log.error("unreadable record in the readings log, kept in the quarantine [partition: {}, offset: {}, cause: {}]",
                    r.partition(), r.offset(), e.getMessage());
            quarantined.add(new QuarantineRecord(Instant.ofEpochMilli(r.timestamp()), "kafka", null, UNREADABLE, null,
                    "partition " + r.partition() + ", offset " + r.offset() + ": " + e.getMessage()));
        }
    }

    /** Reads these held partitions again from their stored offsets. */
    private void rewind(Collection<Integer> partitions) {
        for (int partition : partitions) {
            LeaseStore.Lease lease = held.get(partition);
            TopicPartition tp = new TopicPartition(settings.topic(), partition);
            // A partition Kafka took away meanwhile is not ours to seek: the next poll releases it.
            if (lease != null && consumer.assignment().contains(tp)) {
                consumer.seek(tp, lease.nextOffset());
            }
        }
    }

    private void updateLag() {
        for (int partition : held.keySet()) {
            OptionalLong current = consumer.currentLag(new TopicPartition(settings.topic(), partition));
            if (current.isPresent()) {
                lag.put(partition, current.getAsLong());
            }
        }
    }

    /**
     * Takes the leases Kafka assigned but the database could not grant at the time, and reads each
     * partition from its stored offset, or from the earlier offset the listener asks to replay from.
     */
    private void leaseWaiting() {
        Set<Integer> taken = new TreeSet<>();
        for (int partition : Set.copyOf(unleased)) {
            TopicPartition tp = new TopicPartition(settings.topic(), partition);
            try {
                LeaseStore.Lease lease = leases.acquire(settings.topic(), partition, workerId);
                long from = Math.max(0, Math.min(lease.nextOffset(), listener.assigned(partition, lease.epoch(), lease.nextOffset())));
                consumer.seek(tp, from);
                if (from < lease.nextOffset()) {
                    replays.put(partition, new long[] {from, lease.nextOffset()});
                }
                held.put(partition, lease);
                unleased.remove(partition);
                consumer.resume(Set.of(tp));
                taken.add(partition);
            } catch (SQLException e) {
                log.warn("cannot take partitions yet, retrying [worker: {}, partitions: {}, cause: {}]", workerId, unleased,
                        e.toString());
                pause(RETRY);
                break;
            }
        }
        if (!taken.isEmpty()) {
            log.info("partitions held [worker: {}, partitions: {}]", workerId, taken);
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Called inside poll(), on the worker thread. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            // Paused until leased: nothing of theirs is fetched before the seek to the stored offset.
            consumer.pause(partitions);
            partitions.forEach(tp -> unleased.add(tp.partition()));
            leaseWaiting();
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            release(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            release(partitions);
        }

        private void release(Collection<TopicPartition> partitions) {
            Set<Integer> released = new TreeSet<>();
            for (TopicPartition tp : partitions) {
                unleased.remove(tp.partition());
                lag.remove(tp.partition());
                replays.remove(tp.partition());
                if (held.remove(tp.partition()) != null) {
                    released.add(tp.partition());
                }
            }
            if (!released.isEmpty()) {
                log.info("partitions released [worker: {}, partitions: {}]", workerId, released);
                listener.released(released);
            }
        }
    }
}
