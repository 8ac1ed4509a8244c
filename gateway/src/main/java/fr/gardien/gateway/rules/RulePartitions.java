package fr.gardien.gateway.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gardien.rules.EngineSnapshot;
import fr.gardien.rules.RuleEngine;
import fr.gardien.storage.alerts.LeaseFence;
import fr.gardien.storage.alerts.RuleStateStore;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's share of the rule engine (issue 13): the partitions of the readings log it holds,
 * each with the epoch of its lease and the offset up to which the engine has seen its records,
 * the alert transitions signalled and not committed yet, and each partition's checkpoint (its
 * sites' state restored from it, and saved to it). Used on the engine's thread only.
 */
final class RulePartitions {

    private static final Logger log = LoggerFactory.getLogger(RulePartitions.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A partition held: its lease's epoch, and the first offset the engine has not evaluated. */
    private static final class Held {
        final long epoch;
        long offset;

        Held(long epoch, long offset) {
            this.epoch = epoch;
            this.offset = offset;
        }
    }

    final String topic;
    private final ToIntFunction<String> partitionOfSite;
    private final Map<String, Integer> partitionBySite = new HashMap<>();
    private final Map<Integer, Held> held = new HashMap<>();
    /** The alert transitions signalled and not committed yet (a checkpoint waits for them). */
    private final List<Future<?>> inFlight = new ArrayList<>();

    RulePartitions(String topic, ToIntFunction<String> partitionOfSite) {
        this.topic = topic;
        this.partitionOfSite = partitionOfSite;
    }

    int partitionOf(String site) {
        return partitionBySite.computeIfAbsent(site, partitionOfSite::applyAsInt);
    }

    /** Whether this worker holds the site's partition: only then does it tick the site's clock. */
    boolean owns(String site) {
        return held.containsKey(partitionOf(site));
    }

    Predicate<String> sitesOf(int partition) {
        return site -> partitionOf(site) == partition;
    }

    /** The lease an alert transition of {@code site} must commit under; {@code null} when the site is not this worker's. */
    LeaseFence fence(String site) {
        int partition = partitionOf(site);
        Held h = held.get(partition);
        return h == null ? null : new LeaseFence(topic, partition, h.epoch);
    }

    /** An alert transition signalled for a held partition: a checkpoint waits for it to commit. */
    void track(Future<?> applied) {
        inFlight.removeIf(Future::isComplete);
        inFlight.add(applied);
    }

    /** The engine has evaluated a held partition's records up to {@code nextOffset}. */
    void evaluated(int partition, long nextOffset) {
        Held h = held.get(partition);
        if (h != null) {
            h.offset = nextOffset;
        }
    }

    /**
     * Holds a partition assigned under the lease of {@code epoch}: its sites' state is dropped,
     * then restored from {@code checkpoint} when there is one and it reads.
     *
     * @param checkpoint the partition's checkpoint, or {@code null}
     * @param storedOffset the offset the log is replayed from without a checkpoint
     */
    void hold(int partition, long epoch, long storedOffset, RuleStateStore.Checkpoint checkpoint, RuleEngine engine) {
        Predicate<String> sites = sitesOf(partition);
        engine.reset(sites);
        long offset = storedOffset;
        if (checkpoint != null) {
            try {
                int restored = engine.restore(JSON.readValue(checkpoint.json(), EngineSnapshot.class));
                offset = checkpoint.offset();
                log.info("rule state of a partition restored [partition: {}, instances: {}, replay: {} records]",
                        partition, restored, storedOffset - offset);
            } catch (Exception e) {
                engine.reset(sites);
                log.warn("rule checkpoint unreadable, the partition's rules start afresh [partition: {}, cause: {}]",
                        partition, e.toString());
            }
        }
        held.put(partition, new Held(epoch, offset));
    }

    /** Checkpoints a held partition and lets it go; nothing for one not held. */
    void release(int partition, RuleEngine engine, RuleStateStore store, Duration settle) {
        if (held.containsKey(partition)) {
            checkpoint(partition, engine, store, settle);
            held.remove(partition);
        }
    }

    /** Checkpoints every partition held. */
    void checkpointAll(RuleEngine engine, RuleStateStore store, Duration settle) {
        for (int partition : List.copyOf(held.keySet())) {
            checkpoint(partition, engine, store, settle);
        }
    }

    /**
     * Saves a held partition's state with the offset it reflects, once the alert transitions
     * already signalled have committed (at most {@code settle}; a successor replays only what
     * comes after the offset). The lease's epoch guards the write.
     */
    void checkpoint(int partition, RuleEngine engine, RuleStateStore store, Duration settle) {
        Held h = held.get(partition);
        long deadline = System.nanoTime() + settle.toNanos();
        for (Future<?> f : inFlight) {
            try {
                f.toCompletionStage().toCompletableFuture().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // Failed or late: logged where it failed; the checkpoint goes on.
            }
        }
        inFlight.removeIf(Future::isComplete);
        try {
            String json = JSON.writeValueAsString(engine.snapshot(sitesOf(partition)));
            if (!store.saveCheckpoint(topic, partition, h.epoch, h.offset, json)) {
                log.info("rule checkpoint not saved: the partition was taken over [partition: {}]", partition);
            }
        } catch (Exception e) {
            log.warn("rule checkpoint not saved [partition: {}, cause: {}]", partition, e.toString());
        }
    }
}
