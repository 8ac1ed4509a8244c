package fr.gardien.storage.series;

import fr.gardien.storage.series.RollupSegments.Segment;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rollup log's segments not folded yet, merged per (point, UTC hour): what arrived since the
 * hour row was last written. Segments come in any order; each is placed before or after what
 * the key already holds. One that overlaps it (late data between readings already seen, a
 * reading stored twice) makes the key "refold": only the raw readings can then tell its fold.
 *
 * <p>Memory is one fold per key, however many segments there are. Not thread-safe.
 */
final class PendingRollups {

    /** Merged segments per key; absent from it, keys that must be refolded from the raw readings. */
    private final Map<Long, RollupFold> merged = new HashMap<>();
    private final Set<Long> refold = new TreeSet<>();
    private long segments;

    void add(Segment s) {
        segments++;
        long key = s.key();
        if (refold.contains(key)) {
            return;
        }
        RollupFold held = merged.get(key);
        if (held == null) {
            merged.put(key, s.fold().copy());
        } else if (held.before(s.fold())) {
            held.append(s.fold());
        } else if (s.fold().before(held)) {
            held.prepend(s.fold());
        } else {
            merged.remove(key);
            refold.add(key);
        }
    }

    boolean isEmpty() {
        return merged.isEmpty() && refold.isEmpty();
    }

    /** How many segments were added. */
    long segments() {
        return segments;
    }

    /** The merged folds of the keys that can be folded incrementally. */
    Map<Long, RollupFold> merged() {
        return merged;
    }

    /** The keys whose fold only the raw readings can give, in key order. */
    Set<Long> refold() {
        return refold;
    }

    /** Every key touched. */
    Set<Long> keys() {
        Set<Long> all = new TreeSet<>(merged.keySet());
        all.addAll(refold);
        return all;
    }

    /**
     * The hour row that results from folding the pending data of {@code key} into {@code stored}
     * (null when the hour had no row): null when the raw readings are needed ({@code key} is a
     * refold key, or its pending data do not lie wholly after the stored row).
     */
    RollupFold onto(long key, RollupFold stored) {
        RollupFold pending = merged.get(key);
        if (pending == null) {
            return null;
        }
        if (stored == null) {
            return pending.copy();
        }
        if (!stored.before(pending)) {
            return null;
        }
        RollupFold result = stored.copy();
        result.append(pending);
        return result;
    }
}
