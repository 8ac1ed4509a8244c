package fr.gardien.gateway.rules;

import fr.gardien.storage.alerts.LeaseFence;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * A worker's share of the rule engine (issue 13): the partitions of the readings log it holds,
 * each with the epoch of its lease and the offset up to which the engine has seen its records.
 * Used on the engine's thread only.
 */
final class RulePartitions {

    /** A partition held: its lease's epoch, and the first offset the engine has not evaluated. */
    static final class Held {
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
    final Map<Integer, Held> held = new HashMap<>();

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
}
