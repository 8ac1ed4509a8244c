package fr.gardien.storage.write;

import fr.gardien.model.Reading;
import fr.gardien.storage.db.Failures;
import fr.gardien.storage.db.PartitionManager;
import fr.gardien.storage.db.StorageException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group-commit writer. {@link WriteBatch}es are queued (bounded, counted in rows); writer
 * threads named {@code gardien-writer-N} take as many as fit in {@code batchMaxRows}, waiting at
 * most {@code batchMaxDelay} after the first was queued and at most {@code batchGap} for each next
 * one, write the readings with one binary COPY
 * and the quarantined records with a batched INSERT in the same transaction, together with what
 * the readings add to the rollups (one {@link fr.gardien.storage.series.RollupStore#log} row), commit, and only then
 * complete the batches' futures.
 *
 * <p>Each thread serves a lane of its own, and a batch goes to the lane of its
 * {@link WriteBatch#lane()} (the gateway gives a site's batches one lane): a site's batches
 * commit in the order they were offered, so a site's readings reach the rollup log in time order
 * and are folded by appending, never by refolding an hour because a later batch committed first.
 *
 * <p>A failed transaction fails exactly the futures of its batches (nothing that was not
 * committed is ever acknowledged); the writer keeps running and later batches succeed once the
 * database is back. Futures complete on a writer thread: dependent stages must not block.
 *
 * <p>Each writer thread holds one pooled connection while it writes, and native partitions may
 * briefly need another: size the pool at {@code threads} + 1 at least, plus the query workers.
 */
public final class BatchWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** How often an idle writer looks at the closing flag and at missed drain signals. */
    private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final DataSource dataSource;
    private final PartitionManager partitions;
    private final WriterConfig config;
    private final WriterMetrics metrics;
    private final Lane[] lanes;
    /** Rows queued or being written; reserved by offer, released after the transaction ends. */
    private final AtomicInteger queuedRows = new AtomicInteger();
    private final AtomicBoolean refused = new AtomicBoolean();
    private final List<Runnable> drainListeners = new CopyOnWriteArrayList<>();
    /** Offers share it; close takes it exclusively, so no batch slips in after the writers' last look. */
    private final ReentrantReadWriteLock admission = new ReentrantReadWriteLock();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closing;

    public BatchWriter(DataSource dataSource, PartitionManager partitions, WriterConfig config, WriterMetrics metrics) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.partitions = Objects.requireNonNull(partitions, "partitions");
        this.config = Objects.requireNonNull(config, "config");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.lanes = new Lane[config.threads()];
        for (int i = 1; i <= config.threads(); i++) {
            Lane lane = new Lane();
            lanes[i - 1] = lane;
            Thread t = new Thread(() -> run(lane), "gardien-writer-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    /**
     * Queues a batch. Never blocks.
     *
     * @return a future completed after the commit that contains the whole batch, or failed with
     *     the cause ({@link StorageException}); {@code null} when the queue has no room
     *     (back-pressure: withhold the ack, drop QoS 0, answer 503, and wait for
     *     {@link #onDrain}); a failed future with {@link IllegalStateException} once close() has
     *     started, or with {@link IllegalArgumentException} for a batch larger than the queue
     */
    public CompletableFuture<Void> offer(WriteBatch batch) {
        int rows = batch.rows();
        if (rows > config.queueCapacity()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "batch of " + rows + " rows exceeds the writer queue (" + config.queueCapacity() + " rows)"));
        }
        admission.readLock().lock();
        try {
            if (closing) {
                return CompletableFuture.failedFuture(new IllegalStateException("batch writer is closed"));
            }
            if (rows == 0) {
                return CompletableFuture.completedFuture(null);
            }
            int queued;
            do {
                queued = queuedRows.get();
                if (queued + rows > config.queueCapacity()) {
                    refused.set(true);
                    return null;
                }
            } while (!queuedRows.compareAndSet(queued, queued + rows));
            Pending pending = new Pending(batch, new CompletableFuture<>(), System.nanoTime());
            lanes[Math.floorMod(batch.lane(), lanes.length)].queue.addLast(pending);
            return pending.future();
        } finally {
            admission.readLock().unlock();
        }
    }

    /** Rows queued or being written. */
    public int queuedRows() {
        return queuedRows.get();
    }

    public int capacityRows() {
        return config.queueCapacity();
    }

    /**
     * Registers a listener run on a writer thread (it must be quick) whenever queued rows fall to
     * half the capacity or below after an offer was refused.
     */
    public void onDrain(Runnable listener) {
        drainListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Asks for a drain signal even though no offer was refused since the last one: a caller that
     * registers to wait after its refused offer calls this, so that a signal sent between its
     * refusal and its registration is not the last one it could have seen.
     */
    public void requestDrainSignal() {
        refused.set(true);
    }

    /**
     * Age of the oldest batch not committed yet, whether it waits in a queue or is being written
     * (Duration.ZERO when none): "is the writer keeping up". A transaction that hangs on a stalled
     * database shows here as its age grows.
     */
    public Duration oldestQueuedAge() {
        long now = System.nanoTime();
        long oldest = 0;
        for (Lane lane : lanes) {
            Pending head = lane.queue.peekFirst();
            if (head != null) {
                oldest = Math.max(oldest, now - head.queuedNanos());
            }
            long writing = lane.writingSinceNanos;
            if (writing != 0) {
                oldest = Math.max(oldest, now - writing);
            }
        }
        return Duration.ofNanos(Math.max(0, oldest));
    }

    /**
     * Stops accepting, writes everything already accepted (their futures complete), then stops
     * the threads. Blocking, at most about 30 seconds; batches still
     * queued then fail.
     */
    @Override
    public void close() {
        close(CLOSE_TIMEOUT);
    }

    /**
     * As {@link #close()}, waiting at most {@code timeout} for the writes: a shutdown that must
     * end in bounded time while the database does not answer (its batches fail, unacknowledged).
     */
    public void close(Duration timeout) {
        admission.writeLock().lock();
        try {
            closing = true;
        } finally {
            admission.writeLock().unlock();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean interrupted = false;
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                interrupted = true;
                break;
            }
        }
        List<Thread> alive = threads.stream().filter(Thread::isAlive).toList();
        if (!alive.isEmpty()) {
            log.warn("batch writer did not flush within {} [threads still writing: {}, batches left: {}]",
                    timeout, alive.size(), java.util.Arrays.stream(lanes).mapToInt(l -> l.queue.size()).sum());
            alive.forEach(Thread::interrupt);
        }
        for (Lane lane : lanes) {
            for (Pending p; (p = lane.queue.pollFirst()) != null; ) {
                queuedRows.addAndGet(-p.rows());
                p.future().completeExceptionally(new StorageException("batch writer closed before this batch was written"));
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(Lane lane) {
        PackRows packRows = new PackRows(partitions);
        try {
            while (true) {
                List<Pending> group = take(lane.queue);
                if (group == null) {
                    return;
                }
                if (!group.isEmpty()) {
                    lane.writingSinceNanos = group.get(0).queuedNanos();
                    try {
                        write(group, packRows, lane);
                    } finally {
                        lane.writingSinceNanos = 0;
                    }
                }
                signalDrainIfDue();
            }
        } catch (InterruptedException e) {
            log.debug("writer interrupted [thread: {}]", Thread.currentThread().getName());
        } catch (RuntimeException | Error e) {
            log.error("writer thread died [thread: {}]", Thread.currentThread().getName(), e);
            throw e;
        }
    }

    /**
     * The next group of a lane to write: empty when none came within the idle poll, null when
     * closed and drained. Only the lane's own thread takes from it, so a batch put back at the
     * head keeps its place.
     */
    private List<Pending> take(LinkedBlockingDeque<Pending> queue) throws InterruptedException {
        Pending first = queue.pollFirst(IDLE_POLL_NANOS, TimeUnit.NANOSECONDS);
        if (first == null) {
            return closing && queue.isEmpty() ? null : List.of();
        }
        List<Pending> group = new ArrayList<>();
        group.add(first);
        int rows = first.rows();
        long deadline = first.queuedNanos() + config.batchMaxDelay().toNanos();
        long gap = config.batchGap().toNanos();
        while (rows < config.batchMaxRows()) {
            long wait = closing ? 0 : Math.min(deadline - System.nanoTime(), gap);
            Pending next = wait > 0 ? queue.pollFirst(wait, TimeUnit.NANOSECONDS) : queue.pollFirst();
            if (next == null) {
                break;
            }
            if (rows + next.rows() > config.batchMaxRows()) {
                queue.offerFirst(next);
                break;
            }
            group.add(next);
            rows += next.rows();
        }
        return group;
    }

    private void write(List<Pending> group, PackRows packRows, Lane lane) {
        int readings = 0;
        int rows = 0;
        for (Pending p : group) {
            readings += p.batch().readings().size();
            rows += p.rows();
        }
        long start = System.nanoTime();
        try {
            List<Reading> all = new ArrayList<>(readings);
            List<QuarantineRecord> quarantined = new ArrayList<>(rows - readings);
            for (Pending p : group) {
                all.addAll(p.batch().readings());
                quarantined.addAll(p.batch().quarantined());
            }
            // Before taking our connection: creating a partition needs a connection of its own.
            packRows.prepare(all);
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    packRows.write(c, all, quarantined);
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    PackRows.rollbackQuietly(c);
                    throw e;
                }
            }
        } catch (SQLException | RuntimeException e) {
            packRows.failed();
            queuedRows.addAndGet(-rows);
            String cause = Failures.describe(e);
            log.warn("write failed, batches refused [batches: {}, rows: {}, cause: {}]", group.size(), rows, cause);
            log.trace("write failure", e);
            metrics.failed(group.size(), readings, e);
            StorageException failure = new StorageException("write failed: " + cause, e);
            // Before anyone hears of it: once a batch is answered, its lane's lag no longer counts it.
            lane.writingSinceNanos = 0;
            group.forEach(p -> p.future().completeExceptionally(failure));
            return;
        }
        long nanos = System.nanoTime() - start;
        queuedRows.addAndGet(-rows);
        metrics.committed(group.size(), readings, nanos);
        lane.writingSinceNanos = 0;
        group.forEach(p -> p.future().complete(null));
    }

    private void signalDrainIfDue() {
        // Checked after every transaction and every idle poll, so a refusal that raced with the
        // last release is still signalled within one poll.
        if (refused.get() && queuedRows.get() <= config.queueCapacity() / 2 && refused.compareAndSet(true, false)) {
            for (Runnable listener : drainListeners) {
                try {
                    listener.run();
                } catch (RuntimeException e) {
                    log.warn("drain listener failed [cause: {}]", e.toString());
                }
            }
        }
    }

    /** A writer thread's own queue, and the queue time of the group it is writing (0 when none). */
    private static final class Lane {
        final LinkedBlockingDeque<Pending> queue = new LinkedBlockingDeque<>();
        volatile long writingSinceNanos;
    }

    private record Pending(WriteBatch batch, CompletableFuture<Void> future, long queuedNanos) {
        int rows() {
            return batch.rows();
        }
    }
}
