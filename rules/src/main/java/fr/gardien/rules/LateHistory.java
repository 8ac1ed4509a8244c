package fr.gardien.rules;

import fr.gardien.rules.detect.Condition;
import fr.gardien.rules.detect.Detector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What one rule instance keeps to take a late reading as if it had come in order, without
 * delaying in-order ones.
 *
 * <p>In-order readings are processed at once and appended here. At each multiple of the lateness
 * in event time, before the first reading (or tick) past it, the instance's whole state is
 * checkpointed ({@code Detector.state()} and the timer). Kept: the newest checkpoint at or before
 * (newest reading − lateness), the later ones, and the readings and emitted transitions since.
 * A reading late by at most the lateness is inserted in order, the instance restored from the
 * newest checkpoint before it and the readings since replayed (then the latest tick again);
 * transitions the replay finds that were not already emitted (same kind, same time) are emitted.
 *
 * <p>Memory is bounded whatever the rate: at most {@link #MAX_READINGS} readings are kept. A point
 * sending more than that within the lateness gets a checkpoint every
 * {@code MAX_READINGS / 2} readings besides the time-based ones, and the oldest are dropped with
 * their checkpoint: late readings are then taken only as far back as what is kept, and older ones
 * are dropped and counted as too late. At a reading a minute, or a second, nothing changes.
 *
 * <p>What a replay cannot do is unsay: if the late reading revokes a transition already emitted
 * (a RAISED whose onset it breaks), the emitted state stands and the instance carries on from it.
 * Ticks between readings are not replayed one by one, only the latest: a time-driven transition
 * found at a tick and revoked by a late reading stands likewise.
 */
final class LateHistory {

    /**
     * Readings kept at most, per rule instance (the bound above): 512 covers the default 5-minute
     * lateness at more than a reading a second.
     */
    static final int MAX_READINGS = 512;

    /** A transition found by a replay: the signal, its time and the event time it was found at. */
    record Pending(RuleSignal signal, long at, long discovery) {
    }

    private record Emitted(RuleSignal.Kind kind, long at, long discovery) {
    }

    /**
     * The instance's state at a boundary. A detector is kept as its {@link Detector#copy() copy}
     * when it has one (cheap: no map, no boxing), else as its {@link Detector#state() state}; a
     * fresh checkpoint keeps neither and restores to newly created detectors.
     */
    private static final class Checkpoint {
        final long boundary;
        final Detector detectorCopy;
        final Map<String, Object> detector;
        final Detector guardCopy;
        final Map<String, Object> guard;
        final Condition detectorCondition;
        final Condition guardCondition;
        final RuleInstance.Timer timer;

        Checkpoint(long boundary, RuleInstance instance, boolean fresh) {
            this.boundary = boundary;
            this.detectorCopy = fresh ? null : instance.detector.copy();
            this.detector = fresh || detectorCopy != null ? null : instance.detector.state();
            this.guardCopy = fresh || instance.guard == null ? null : instance.guard.copy();
            this.guard = fresh || instance.guard == null || guardCopy != null ? null : instance.guard.state();
            this.detectorCondition = instance.detectorCondition;
            this.guardCondition = instance.guardCondition;
            this.timer = instance.timer.copy();
        }
    }

    private final RuleInstance instance;
    private final long lateness;
    /**
     * The readings kept, one after the other in one array (key, time, value's bits, role: {@value #STRIDE}
     * longs each), so that an append writes one cache line, not four: at 300 readings a second a
     * point, the appends were half the rules thread's time with four parallel arrays.
     */
    private long[] kept = new long[16 * STRIDE];
    private static final int STRIDE = 4;
    private int start;
    private int end;
    private final List<Checkpoint> checkpoints = new ArrayList<>(4);
    private final List<Emitted> emitted = new ArrayList<>(2);
    /** The first key at which the next checkpoint is due (derived from the newest checkpoint). */
    private long nextBoundary;
    /** The newest reading from which {@link #trim} has checkpoints to drop (derived from the second oldest). */
    private long trimFrom;
    /** Readings appended since the newest checkpoint, for the count-based checkpoints. */
    private int sinceCheckpoint;

    LateHistory(RuleInstance instance, long latenessMicros) {
        this.instance = instance;
        this.lateness = latenessMicros;
        checkpoints.add(new Checkpoint(RuleInstance.NEVER, instance, true));
        checkpointsChanged();
    }

    /**
     * Recomputes the two thresholds the hot path compares with, instead of dividing and walking
     * the checkpoint list at every reading: a checkpoint is due at key k when
     * {@code floorDiv(k, L) * L > last}, that is when {@code k >= floorDiv(last, L) * L + L};
     * trimming has work when {@code newest − L >= second oldest}.
     */
    private void checkpointsChanged() {
        long last = checkpoints.get(checkpoints.size() - 1).boundary;
        nextBoundary = last == RuleInstance.NEVER ? Long.MIN_VALUE : Math.floorDiv(last, lateness) * lateness + lateness;
        trimFrom = checkpoints.size() < 2 ? Long.MAX_VALUE : checkpoints.get(1).boundary + lateness;
    }

    /** Forgets everything before {@code time}, as after a restore: earlier readings are too late. */
    void resetAt(long time) {
        start = 0;
        end = 0;
        sinceCheckpoint = 0;
        checkpoints.clear();
        checkpoints.add(new Checkpoint(time, instance, false));
        checkpointsChanged();
        emitted.clear();
    }

    void checkpointIfDue(long key) {
        if (key >= nextBoundary) {
            checkpoints.add(new Checkpoint(Math.floorDiv(key, lateness) * lateness, instance, false));
            checkpointsChanged();
            sinceCheckpoint = 0;
        } else if (sinceCheckpoint >= MAX_READINGS / 2 && end > start && key(end - 1) < key) {
            // A checkpoint at this very key: every reading before it is older (strictly), so a
            // replay from it takes none of them twice.
            checkpoints.add(new Checkpoint(key, instance, false));
            checkpointsChanged();
            sinceCheckpoint = 0;
        }
    }

    /** An in-order reading, before it is processed. */
    void append(long key, long time, int role, double value) {
        checkpointIfDue(key);
        if (end * STRIDE == kept.length) {
            compactOrGrow();
        }
        put(end, key, time, role, value);
        end++;
        sinceCheckpoint++;
        trim();
    }

    void emitted(RuleSignal.Kind kind, long at, long discovery) {
        emitted.add(new Emitted(kind, at, discovery));
    }

    private void trim() {
        boolean full = end - start > MAX_READINGS;
        if (instance.newestReading < trimFrom && !full) {
            return;
        }
        long horizon = instance.newestReading - lateness;
        while (checkpoints.size() >= 2 && checkpoints.get(1).boundary <= horizon) {
            checkpoints.remove(0);
        }
        // Past the bound, the oldest checkpoints go, and their readings with them.
        while (full && checkpoints.size() >= 2) {
            checkpoints.remove(0);
            long oldest = checkpoints.get(0).boundary;
            int kept = end;
            for (int i = start; i < end; i++) {
                if (key(i) >= oldest) {
                    kept = i;
                    break;
                }
            }
            full = end - kept > MAX_READINGS;
        }
        checkpointsChanged();
        long oldest = checkpoints.get(0).boundary;
        while (start < end && key(start) < oldest) {
            start++;
        }
        emitted.removeIf(e -> e.discovery < oldest);
    }

    /**
     * A reading older than the newest one.
     *
     * @return {@code false} when it is later than the lateness allows (or older than a restore) and was dropped
     */
    boolean late(int role, long time, double value) {
        if (time < instance.newestReading - lateness) {
            return false;
        }
        int cp = checkpoints.size() - 1;
        while (cp >= 0 && checkpoints.get(cp).boundary > time) {
            cp--;
        }
        if (cp < 0) {
            return false;
        }
        insert(time, role, value);
        Checkpoint from = checkpoints.get(cp);
        while (checkpoints.size() > cp + 1) {
            checkpoints.remove(checkpoints.size() - 1);
        }
        checkpointsChanged();
        restore(from);

        List<Pending> found = new ArrayList<>(2);
        instance.collectInto(found);
        try {
            for (int i = firstAtOrAfter(from.boundary); i < end; i++) {
                int at = i * STRIDE;
                checkpointIfDue(kept[at]);
                instance.apply((int) kept[at + 3], kept[at], kept[at + 1], Double.longBitsToDouble(kept[at + 2]));
            }
            if (instance.tickClock > instance.timer.clock) {
                instance.tick(instance.tickClock);
            }
        } finally {
            instance.collectInto(null);
        }
        reconcile(found, from.boundary);
        instance.alignWithEmitted();
        sinceCheckpoint = end - firstAtOrAfter(checkpoints.get(checkpoints.size() - 1).boundary);
        return true;
    }

    private void restore(Checkpoint cp) {
        var rule = instance.rule;
        var zone = instance.binding.zone();
        // A copy again: the checkpoint may serve another late reading.
        instance.detector = cp.detectorCopy != null ? cp.detectorCopy.copy()
                : cp.detector == null ? rule.detectorFactory().create(zone)
                : rule.detectorFactory().restore(zone, cp.detector);
        instance.guard = rule.guard().map(g -> cp.guardCopy != null ? cp.guardCopy.copy()
                : cp.guard == null ? g.create(zone) : g.restore(zone, cp.guard)).orElse(null);
        instance.detectorCondition = cp.detectorCondition;
        instance.guardCondition = cp.guardCondition;
        instance.timer.copyFrom(cp.timer);
    }

    private void reconcile(List<Pending> found, long boundary) {
        List<Emitted> before = new ArrayList<>();
        for (Emitted e : emitted) {
            if (e.discovery >= boundary) {
                before.add(e);
            }
        }
        for (Pending p : found) {
            if (removeMatch(before, p)) {
                continue;
            }
            boolean raises = p.signal().kind() == RuleSignal.Kind.RAISED;
            if (raises != instance.emittedRaised) {
                instance.emitReplayed(p);
            }
        }
    }

    private static boolean removeMatch(List<Emitted> emitted, Pending p) {
        for (Iterator<Emitted> it = emitted.iterator(); it.hasNext();) {
            Emitted e = it.next();
            if (e.kind == p.signal().kind() && e.at == p.at()) {
                it.remove();
                return true;
            }
        }
        return false;
    }

    private int firstAtOrAfter(long key) {
        int i = start;
        while (i < end && key(i) < key) {
            i++;
        }
        return i;
    }

    private void insert(long time, int role, double value) {
        if (end * STRIDE == kept.length) {
            compactOrGrow();
        }
        int at = end;
        // After readings of the same time: as if it had arrived after them.
        while (at > start && key(at - 1) > time) {
            at--;
        }
        System.arraycopy(kept, at * STRIDE, kept, (at + 1) * STRIDE, (end - at) * STRIDE);
        put(at, time, time, role, value);
        end++;
    }

    private long key(int i) {
        return kept[i * STRIDE];
    }

    private void put(int i, long key, long time, int role, double value) {
        int at = i * STRIDE;
        kept[at] = key;
        kept[at + 1] = time;
        kept[at + 2] = Double.doubleToRawLongBits(value);
        kept[at + 3] = role;
    }

    private void compactOrGrow() {
        int size = end - start;
        // Yes, up to three quarters full: trimmed to MAX_READINGS, the array never passes twice that.
        if (start > 0 && size * STRIDE <= kept.length * 3 / 4) {
            System.arraycopy(kept, start * STRIDE, kept, 0, size * STRIDE);
        } else {
            long[] k = new long[kept.length * 2];
            System.arraycopy(kept, start * STRIDE, k, 0, size * STRIDE);
            kept = k;
        }
        start = 0;
        end = size;
    }

    /** For tests: how many readings are kept. */
    int size() {
        return end - start;
    }

    @Override
    public String toString() {
        long[] keys = new long[end - start];
        for (int i = start; i < end; i++) {
            keys[i - start] = key(i);
        }
        return "LateHistory" + Arrays.toString(keys);
    }
}
