package fr.gardien.rules.detect;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What a {@link HeatingCurveDetector} remembers between readings, and its save and restore: the
 * inputs' latest readings, the supply's window of {@code average}, its quarter-hour means of the
 * last hour (for the level before a fall), whether the condition holds, the local hour being
 * accumulated for the history, and the history. Single-threaded, like its detector.
 */
final class HeatingCurveState {

    /** How far back the level before a fall is looked for: the slowest circuit's fall lasts under an hour. */
    static final int LEVEL_BLOCKS = 4;
    static final long LEVEL_BLOCK_MICROS = 15 * 60_000_000L;

    long supplyMicros = Long.MIN_VALUE;
    double supplyValue = Double.NaN;
    long outdoorMicros = Long.MIN_VALUE;
    double outdoorValue = Double.NaN;
    /** The supply readings of the last {@code average}: their mean and trend cost O(1) per reading. */
    WindowMean recent;
    // Quarter-hour means of the supply for the last hour (by block index), for the level before a fall.
    long[] blockIndex = new long[LEVEL_BLOCKS];
    double[] blockMean = new double[LEVEL_BLOCKS];
    long openBlock = Long.MIN_VALUE;
    double openSum;
    int openCount;
    boolean active;
    /** Whether the mean itself has been under the threshold since the condition began. */
    boolean meanBelow;
    // The local hour being accumulated for the history: its period and sums.
    long hourStart = Long.MIN_VALUE;
    long hourEnd = Long.MIN_VALUE;
    int hourOfDay;
    long hourDay;
    double hourSupply;
    double hourOutdoor;
    int hourCount;
    long hourFirst;
    long hourLast;
    /** This installation's usual supply by local hour; {@code null} without {@code history-days}. */
    SupplyHistory history;

    HeatingCurveState(HeatingCurveOptions options) {
        Arrays.fill(blockIndex, Long.MIN_VALUE);
        this.history = options.historyDays() > 0 ? new SupplyHistory(options.historyDays()) : null;
        this.recent = new WindowMean(options.averageMicros());
    }

    /** A copy of {@code o}. */
    HeatingCurveState(HeatingCurveState o) {
        this.supplyMicros = o.supplyMicros;
        this.supplyValue = o.supplyValue;
        this.outdoorMicros = o.outdoorMicros;
        this.outdoorValue = o.outdoorValue;
        this.recent = o.recent.copy();
        this.blockIndex = o.blockIndex.clone();
        this.blockMean = o.blockMean.clone();
        this.openBlock = o.openBlock;
        this.openSum = o.openSum;
        this.openCount = o.openCount;
        this.active = o.active;
        this.meanBelow = o.meanBelow;
        this.hourStart = o.hourStart;
        this.hourEnd = o.hourEnd;
        this.hourOfDay = o.hourOfDay;
        this.hourDay = o.hourDay;
        this.hourSupply = o.hourSupply;
        this.hourOutdoor = o.hourOutdoor;
        this.hourCount = o.hourCount;
        this.hourFirst = o.hourFirst;
        this.hourLast = o.hourLast;
        this.history = o.history == null ? null : o.history.copy();
    }

    /** Adds a supply reading to its quarter hour, closing the previous one into the last hour's means. */
    void addToBlock(long t, double value) {
        long block = Math.floorDiv(t, LEVEL_BLOCK_MICROS);
        if (block != openBlock) {
            if (openCount > 0) {
                int slot = (int) Math.floorMod(openBlock, LEVEL_BLOCKS);
                blockIndex[slot] = openBlock;
                blockMean[slot] = openSum / openCount;
            }
            openBlock = block;
            openSum = 0;
            openCount = 0;
        }
        openSum += value;
        openCount++;
    }

    /** The highest quarter-hour mean of the supply over the last hour, the current quarter included (NaN: none). */
    double levelBefore(long now) {
        long current = Math.floorDiv(now, LEVEL_BLOCK_MICROS);
        double level = openBlock == current && openCount > 0 ? openSum / openCount : Double.NaN;
        for (int i = 0; i < LEVEL_BLOCKS; i++) {
            if (blockIndex[i] >= current - LEVEL_BLOCKS && blockIndex[i] < current
                    && !(blockMean[i] <= level)) {
                level = blockMean[i];
            }
        }
        return level;
    }

    /** The state as a snapshot's map (see {@link Detector#state()}). */
    Map<String, Object> save(HeatingCurveOptions options) {
        Map<String, Object> s = new HashMap<>();
        if (!Double.isNaN(supplyValue)) {
            s.put("supply_micros", supplyMicros);
            s.put("supply_value", supplyValue);
        }
        if (!Double.isNaN(outdoorValue)) {
            s.put("outdoor_micros", outdoorMicros);
            s.put("outdoor_value", outdoorValue);
        }
        s.put("recent_t", recent.times());
        s.put("recent_v", recent.means());
        s.put("recent_n", recent.counts());
        s.put("active", active);
        s.put("mean_below", meanBelow);
        if (options.cooling() != null) {
            s.put("block_index", blockIndex.clone());
            s.put("block_mean", blockMean.clone());
            if (openBlock != Long.MIN_VALUE) {
                s.put("open_block", openBlock);
                s.put("open_sum", openSum);
                s.put("open_count", openCount);
            }
        }
        if (hourStart != Long.MIN_VALUE) {
            s.put("hour_start", hourStart);
            s.put("hour_end", hourEnd);
            s.put("hour_of_day", hourOfDay);
            s.put("hour_day", hourDay);
            s.put("hour_supply", hourSupply);
            s.put("hour_outdoor", hourOutdoor);
            s.put("hour_count", hourCount);
            s.put("hour_first", hourFirst);
            s.put("hour_last", hourLast);
        }
        if (history != null) {
            history.saveTo(s);
        }
        return s;
    }

    /** Takes the state of a {@link #save} map; what the map lacks stays as it is. */
    void restore(Map<String, Object> state, HeatingCurveOptions options) {
        if (States.has(state, "supply_micros") && States.has(state, "supply_value")) {
            supplyMicros = States.integer(state, "supply_micros", Long.MIN_VALUE);
            supplyValue = States.number(state, "supply_value", Double.NaN);
        }
        if (States.has(state, "outdoor_micros") && States.has(state, "outdoor_value")) {
            outdoorMicros = States.integer(state, "outdoor_micros", Long.MIN_VALUE);
            outdoorValue = States.number(state, "outdoor_value", Double.NaN);
        }
        recent = WindowMean.restore(options.averageMicros(), States.longs(state, "recent_t"),
                States.doubles(state, "recent_v"), States.has(state, "recent_n") ? States.longs(state, "recent_n") : null);
        long[] bi = States.longs(state, "block_index");
        double[] bm = States.doubles(state, "block_mean");
        if (bi.length == LEVEL_BLOCKS && bm.length == LEVEL_BLOCKS) {
            blockIndex = bi;
            blockMean = bm;
        }
        if (States.has(state, "open_block")) {
            openBlock = States.integer(state, "open_block", Long.MIN_VALUE);
            openSum = States.number(state, "open_sum", 0);
            openCount = (int) States.integer(state, "open_count", 0);
        }
        active = States.flag(state, "active");
        meanBelow = States.flag(state, "mean_below");
        if (States.has(state, "hour_start")) {
            hourStart = States.integer(state, "hour_start", Long.MIN_VALUE);
            hourEnd = States.integer(state, "hour_end", Long.MIN_VALUE);
            hourOfDay = (int) States.integer(state, "hour_of_day", 0);
            hourDay = States.integer(state, "hour_day", 0);
            hourSupply = States.number(state, "hour_supply", 0);
            hourOutdoor = States.number(state, "hour_outdoor", 0);
            hourCount = (int) States.integer(state, "hour_count", 0);
            hourFirst = States.integer(state, "hour_first", 0);
            hourLast = States.integer(state, "hour_last", 0);
        }
        if (history != null) {
            history.restoreFrom(state);
        }
    }
}
