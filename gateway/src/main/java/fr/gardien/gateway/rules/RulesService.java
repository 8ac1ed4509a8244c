package fr.gardien.gateway.rules;

import fr.gardien.gateway.registry.RegistryView;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gardien.gateway.alerts.AlertService;
import fr.gardien.gateway.registry.Registry;
import fr.gardien.model.Reading;
import fr.gardien.rules.EngineSnapshot;
import fr.gardien.rules.RuleEngine;
import fr.gardien.rules.RuleSet;
import fr.gardien.rules.RuleSetException;
import fr.gardien.rules.RuleSignal;
import fr.gardien.rules.SiteClocks;
import fr.gardien.storage.alerts.LeaseFence;
import fr.gardien.storage.alerts.RuleStateStore;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the rule engine on the readings the writer committed. The engine is single-threaded by
 * design: one thread, {@code gardien-rules}, owns it and takes work from a queue — committed
 * readings, clock ticks (missing data, held conditions), snapshots, and rebuilds when the rules
 * file or the portfolio changes. Signals go to the {@link AlertService}, which persists each
 * transition and publishes it.
 *
 * <p>Time is event time, per site ({@link SiteClocks}): a site's rules advance with the newest
 * reading time of the site, so a fast backfill is judged as if it were live; a site from which
 * nothing has arrived for {@link #FEED_SILENCE} follows the wall clock, so a silent feed still
 * raises its missing-data rules.
 *
 * <p>Only committed readings reach the engine, so an alert never rests on data that was not
 * stored. The queue is bounded in readings; when it is full (the engine runs at millions of
 * readings a second, so this means something is wrong), readings are not evaluated and are
 * counted. The engine's state is saved every minute and at shutdown, and restored at start, so
 * rule timers survive a restart.
 *
 * <p>On a worker of the cluster ({@link #partitioned}, issue 13) the engine evaluates the sites of
 * the partitions of the readings log the worker holds: each partition's state is checkpointed
 * apart, with the offset it reflects, every minute and when the partition is revoked (then
 * dropped); a partition assigned is restored from its checkpoint and the log replayed from that
 * offset; only the sites of held partitions are ticked, and each alert transition commits only
 * under the lease of its site's partition.
 */
public final class RulesService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RulesService.class);
    private static final String STATE_KEY = "engine";
    private static final Duration TICK = Duration.ofSeconds(5);
    /** A site from which nothing arrived for this long follows the wall clock (see {@link SiteClocks}). */
    static final Duration FEED_SILENCE = Duration.ofMinutes(1);
    private static final Duration SNAPSHOT_EVERY = Duration.ofMinutes(1);
    /** How long {@link #close()} waits for the queued work and the state's save. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration WATCH_EVERY = Duration.ofSeconds(5);
    /** How long a checkpoint waits for the alert transitions already signalled, and a revocation for its checkpoint. */
    private static final Duration SETTLE = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryView registry;
    private final Path rulesPath;
    private final AlertService alerts;
    private final RuleStateStore store;
    private final RulesMetrics metrics;
    private final Duration lateness;
    private final long capacityReadings;
    private final Clock clock;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedReadings = new AtomicLong();
    private final Consumer<RuleSignal> sink = this::signal;
    private final Thread thread;
    private SiteClocks clocks;
    private volatile RuleEngine engine;
    private volatile Registry boundTo;
    private volatile String rulesStamp;
    private volatile boolean running = true;
    /** Sites whose clocks this process ticks (all but in cluster mode: those of the partitions held). */
    private volatile Predicate<String> owned = site -> true;
    /** On a worker of the cluster, the partitions held; {@code null} in a single process. */
    private volatile RulePartitions partitions;
    private boolean evaluating;
    private long lastSnapshotNanos;
    private long lastWatchNanos;
    private long lastTickNanos;

    /**
     * @param rulesPath the configured rules file or folder, or {@code null} for the built-in catalog
     * @param lateness how late a reading may arrive and still be evaluated as if in order
     * @param capacityReadings readings that may wait for the engine
     */
    public RulesService(RegistryView registry, Path rulesPath, AlertService alerts, RuleStateStore store, RulesMetrics metrics,
            Duration lateness, long capacityReadings, Clock clock) {
        this.registry = registry;
        this.rulesPath = rulesPath;
        this.alerts = alerts;
        this.store = store;
        this.metrics = metrics;
        this.lateness = lateness;
        this.capacityReadings = capacityReadings;
        this.clock = clock;
        this.thread = new Thread(this::run, "gardien-rules");
        this.thread.setDaemon(true);
    }

    /**
     * Loads the rules, binds them to the registry, restores the saved state and starts the
     * engine's thread. Blocking.
     *
     * @throws RuleSetException when the rules file does not load: start-up must stop
     */
    public void start() throws RuleSetException {
        evaluating = true;
        rulesStamp = RuleFiles.stamp(rulesPath);
        Registry current = registry.current();
        RuleSet rules = RuleFiles.load(rulesPath, OccupancyRedaction.occupancyPoints(current));
        RuleEngine fresh = new RuleEngine(rules, Bindings.of(current), lateness);
        boundTo = current;
        Optional<String> saved = store.load(STATE_KEY);
        if (saved.isPresent()) {
            try {
                int restored = fresh.restore(JSON.readValue(saved.get(), EngineSnapshot.class));
                log.info("rule state restored [instances: {} of {}]", restored, fresh.instances().size());
            } catch (Exception e) {
                log.warn("saved rule state could not be read, rules start afresh: {}", e.toString());
            }
        }
        engine = fresh;
        log.info("rules loaded [source: {}, rules: {}, instances: {}]", rulesPath == null ? "built-in catalog" : rulesPath,
                rules.size(), fresh.instances().size());
        long now = System.nanoTime();
        clocks = new SiteClocks(TICK, FEED_SILENCE, now);
        lastSnapshotNanos = now;
        lastWatchNanos = now;
        lastTickNanos = now;
        thread.start();
    }

    /**
     * Loads the rules for the API only, on an edge (issue 13): nothing is evaluated, no clock
     * ticks and no state is restored or saved here, the workers do that. Blocking.
     *
     * @throws RuleSetException when the rules file does not load: start-up must stop
     */
    public void loadForApi() throws RuleSetException {
        rulesStamp = RuleFiles.stamp(rulesPath);
        engine = new RuleEngine(RuleFiles.load(rulesPath), Bindings.of(registry.current()), lateness);
        running = false;
    }

    /**
     * Makes this engine a worker's (issue 13): from now on it holds the state of the sites of the
     * partitions {@link #assign assigned} to it only (the state restored at start is dropped), ticks
     * only those, and commits their alert transitions under the partitions' leases. Call before
     * the worker consumes.
     *
     * @param partitionOf the partition of the readings log a site's readings go to
     */
    public void partitioned(String topic, ToIntFunction<String> partitionOf) {
        RulePartitions p = new RulePartitions(topic, partitionOf);
        partitions = p;
        queue.add(new Reset());
        owned = p::owns;
    }

    /**
     * A partition is this worker's from now on (on the worker's consumer thread; blocking: reads
     * the partition's checkpoint). Its sites' state is restored from the checkpoint before any of
     * the partition's readings are evaluated.
     *
     * @return the offset from which the log is to be replayed to the engine: the checkpoint's, or
     *     {@code storedOffset} without one
     */
    public long assign(int partition, long epoch, long storedOffset) {
        RulePartitions p = partitions;
        Optional<RuleStateStore.Checkpoint> checkpoint;
        try {
            checkpoint = store.checkpoint(p.topic, partition).filter(c -> c.offset() <= storedOffset);
        } catch (RuntimeException e) {
            log.warn("rule checkpoint not read, the partition's rules start afresh [partition: {}, cause: {}]", partition,
                    e.toString());
            checkpoint = Optional.empty();
        }
        queue.add(new Restore(partition, epoch, storedOffset, checkpoint.orElse(null)));
        return checkpoint.map(RuleStateStore.Checkpoint::offset).orElse(storedOffset);
    }

    /**
     * A partition's readings up to {@code nextOffset}, stored or replayed, from the worker's
     * consumer thread. Never blocks.
     */
    public void accept(int partition, long nextOffset, List<Reading> readings) {
        if (admitted(readings)) {
            queue.add(new PartitionReadings(partition, nextOffset, readings));
        }
    }

    /**
     * Partitions this worker no longer holds (on the worker's consumer thread, inside the
     * rebalance): their state is checkpointed, if the lease still allows it, then dropped. Waits
     * for that, at most {@link #SETTLE}, so that the next holder finds the checkpoint.
     */
    public void release(Set<Integer> released) {
        Release r = new Release(released, new CompletableFuture<>());
        queue.add(r);
        try {
            r.done().get(SETTLE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("rule state of released partitions not checkpointed in time [partitions: {}, cause: {}]", released,
                    e.toString());
        }
    }

    /** The rules in force, for the API. */
    public RuleSet rules() {
        return engine.rules();
    }

    /** Where the rules come from: the file or folder, or {@code built-in catalog}. */
    public String source() {
        return rulesPath == null ? "built-in catalog" : rulesPath.toString();
    }

    public long queuedReadings() {
        return queuedReadings.get();
    }

    public long droppedLate() {
        return engine.droppedLate();
    }

    /**
     * Committed readings, from a writer thread. Never blocks.
     */
    public void accept(List<Reading> readings) {
        if (admitted(readings)) {
            queue.add(readings);
        }
    }

    /** Whether readings may wait for the engine (counted as queued); those refused are counted as not evaluated. */
    private boolean admitted(List<Reading> readings) {
        if (readings.isEmpty() || !running) {
            return false;
        }
        if (queuedReadings.addAndGet(readings.size()) > capacityReadings) {
            queuedReadings.addAndGet(-readings.size());
            metrics.notEvaluated(readings.size());
            return false;
        }
        return true;
    }

    /** Stops the thread after the work already queued, and saves the engine's state. Blocking. */
    @Override
    public void close() {
        close(CLOSE_TIMEOUT);
    }

    /**
     * As {@link #close()}, within {@code timeout} (issue 15): with the database gone the save
     * would wait for the pool's connection timeout. What is not done in time is logged and left:
     * the state saved last (at most {@link #SNAPSHOT_EVERY} old) is restored at the next start.
     */
    public void close(Duration timeout) {
        if (!running) {
            return;
        }
        running = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        queue.add(Stop.STOP);
        try {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (thread.isAlive()) {
                // Still evaluating: its state is not a consistent snapshot to save.
                log.warn("rule state not saved at stop: the engine was still evaluating [time it had: {}]", timeout);
                return;
            }
            Thread save = new Thread(this::saveSnapshot, "gardien-rules-save");
            save.setDaemon(true);
            save.start();
            save.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (save.isAlive()) {
                log.warn("rule state not saved at stop: the database did not answer in time; the state saved"
                        + " last is restored at the next start [time it had: {}]", timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private enum Stop { STOP }

    private record Reset() {
    }

    private record Restore(int partition, long epoch, long storedOffset, RuleStateStore.Checkpoint checkpoint) {
    }

    private record PartitionReadings(int partition, long nextOffset, List<Reading> readings) {
    }

    private record Release(Set<Integer> partitions, CompletableFuture<Void> done) {
    }

    private void run() {
        try {
            while (true) {
                Object work = queue.poll(TICK.toMillis(), TimeUnit.MILLISECONDS);
                if (work == Stop.STOP) {
                    return;
                }
                if (work instanceof List<?> readings) {
                    evaluate(readings);
                } else if (work != null) {
                    partitionWork(work);
                }
                housekeeping();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("the rule engine stopped on an error: no alert will be raised until a restart", e);
        }
    }

    private void evaluate(List<?> readings) {
        RuleEngine current = engine;
        long arrival = System.nanoTime();
        for (Object item : readings) {
            Reading r = (Reading) item;
            if (r.text() == null) {
                current.onReading(r.pointId(), r.epochMicros(), r.value(), sink);
            }
            clocks.onReading(current, r.pointId(), r.epochMicros(), arrival, sink);
        }
        queuedReadings.addAndGet(-readings.size());
        metrics.evaluated(readings.size());
    }

    /** A worker's work (issue 13), on the engine's thread. */
    private void partitionWork(Object work) {
        RulePartitions p = partitions;
        long now = System.nanoTime();
        if (work instanceof PartitionReadings r) {
            evaluate(r.readings());
            p.evaluated(r.partition(), r.nextOffset());
        } else if (work instanceof Restore r) {
            p.hold(r.partition(), r.epoch(), r.storedOffset(), r.checkpoint(), engine);
            clocks.restart(engine, p.sitesOf(r.partition()), now);
            if (r.checkpoint() == null) {
                // so that a takeover before the first periodic checkpoint replays from here
                p.checkpoint(r.partition(), engine, store, SETTLE);
            }
        } else if (work instanceof Release r) {
            for (int partition : r.partitions()) {
                p.release(partition, engine, store, SETTLE);
                Predicate<String> sites = p.sitesOf(partition);
                engine.reset(sites);
                clocks.restart(engine, sites, now);
            }
            r.done().complete(null);
        } else if (work instanceof Reset) {
            engine.reset(site -> true);
            clocks.restart(engine, site -> true, now);
        }
    }

    /** Ticks, snapshots and change watches, on the engine's thread, at their own pace. */
    private void housekeeping() {
        long now = System.nanoTime();
        if (now - lastTickNanos >= TICK.toNanos()) {
            lastTickNanos = now;
            Instant wall = clock.instant();
            clocks.onWallTime(engine, wall.getEpochSecond() * 1_000_000L + wall.getNano() / 1_000, now, owned, sink);
        }
        if (now - lastWatchNanos >= WATCH_EVERY.toNanos()) {
            lastWatchNanos = now;
            rebuildIfChanged();
        }
        if (now - lastSnapshotNanos >= SNAPSHOT_EVERY.toNanos()) {
            lastSnapshotNanos = now;
            RulePartitions p = partitions;
            if (p == null) {
                saveSnapshot();
            } else {
                p.checkpointAll(engine, store, SETTLE);
            }
        }
    }

    /** A changed rules file or portfolio gives a new engine that keeps the state of unchanged instances. */
    private void rebuildIfChanged() {
        Registry current = registry.current();
        String stamp = RuleFiles.stamp(rulesPath);
        boolean rulesChanged = !stamp.equals(rulesStamp);
        if (current == boundTo && !rulesChanged) {
            return;
        }
        RuleSet rules = engine.rules();
        if (rulesChanged) {
            rulesStamp = stamp;
            try {
                rules = RuleFiles.load(rulesPath, OccupancyRedaction.occupancyPoints(current));
                log.info("rules reloaded [source: {}, rules: {}]", rulesPath, rules.size());
            } catch (RuleSetException e) {
                log.warn("rules reload refused, the rules in force stay [source: {}]:\n{}", rulesPath,
                        String.join("\n", e.errors()));
                if (current == boundTo) {
                    return;
                }
            }
        }
        engine = engine.rebuild(rules, Bindings.of(current));
        boundTo = current;
    }

    private void saveSnapshot() {
        if (engine == null || !evaluating || partitions != null) {
            return; // never started (start-up failed before the rules were loaded): nothing to save
        }
        try {
            store.save(STATE_KEY, JSON.writeValueAsString(engine.snapshot()));
        } catch (Exception e) {
            log.warn("rule state not saved: {}", e.toString());
        }
    }

    private void signal(RuleSignal signal) {
        metrics.signal(signal.kind().name().toLowerCase());
        RuleSignal redacted = OccupancyRedaction.redact(signal, engine.rules(), OccupancyRedaction.occupancyPoints(registry.current()));
        RulePartitions p = partitions;
        LeaseFence fence = null;
        if (p != null) {
            fence = p.fence(signal.site());
            if (fence == null) {
                log.debug("signal of a site whose partition this worker does not hold, not applied [rule: {}, site: {}]",
                        signal.ruleId(), signal.site());
                return;
            }
        }
        Future<?> applied = alerts.apply(redacted, fence).onFailure(e -> log.error("alert transition not recorded [rule: {}, site: {}, equipment: {}]: {}",
                signal.ruleId(), signal.site(), signal.equipment(), e.toString()));
        if (p != null) {
            p.track(applied);
        }
    }
}
