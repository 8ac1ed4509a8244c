package fr.gardien.rules.detect;

import java.time.ZoneId;
import java.util.Map;

/**
 * One input aggregated over successive local periods (hours or days): the mean of its readings,
 * or, for a cumulative index, the consumption during the period.
 *
 * <p>Cumulative: the difference between two successive readings is spread linearly over the
 * time between them, so an interval that straddles a boundary is shared between both periods.
 * Differences are spread only when the readings are at most {@link #MAX_SPREAD_MICROS} apart and
 * the index did not go down (reset, new meter); that time is left uncovered. A period with at
 * least 90 % of its time covered yields its consumption scaled up to the whole period; otherwise
 * no value. Mean: a period yields the mean of its readings when at least 75 % of its hours
 * (rounded up) hold a reading.
 *
 * <p>A period is complete when a reading at or after its end arrives, or when event time passes
 * its end (for a cumulative index, its end plus {@link #MAX_SPREAD_MICROS}, the last moment a later
 * reading could still add to it). Memory is constant.
 */
final class PeriodSeries {

    /** Longest interval between two index readings whose difference is still spread over it. */
    static final long MAX_SPREAD_MICROS = 2 * LocalPeriods.HOUR_MICROS;

    /** Receives each completed period; reads {@link #period()}, {@link #value()} and {@link #lengthMicros()}. */
    interface Sink {
        void completed(PeriodSeries series);
    }

    private final LocalPeriods period;
    private final boolean cumulative;
    private final Sink sink;

    private boolean open;
    private double sum;
    private long count;
    private long hourMask;
    private double consumed;
    private long coveredMicros;

    private boolean hasPrevious;
    private long previousMicros;
    private double previousValue;

    PeriodSeries(ZoneId zone, boolean daily, boolean cumulative, Sink sink) {
        this.period = new LocalPeriods(zone, daily);
        this.cumulative = cumulative;
        this.sink = sink;
    }

    private PeriodSeries(LocalPeriods period, boolean cumulative, Sink sink) {
        this.period = period;
        this.cumulative = cumulative;
        this.sink = sink;
    }

    /** A copy in the same state, reporting to {@code to}. */
    PeriodSeries copy(Sink to) {
        PeriodSeries c = new PeriodSeries(period.copy(), cumulative, to);
        c.open = open;
        c.sum = sum;
        c.count = count;
        c.hourMask = hourMask;
        c.consumed = consumed;
        c.coveredMicros = coveredMicros;
        c.hasPrevious = hasPrevious;
        c.previousMicros = previousMicros;
        c.previousValue = previousValue;
        return c;
    }

    void onReading(long t, double v) {
        if (!cumulative) {
            closeIfEnded(t);
            openIfClosed(t);
            sum += v;
            count++;
            hourMask |= 1L << Math.min(63, (t - period.start) / LocalPeriods.HOUR_MICROS);
            return;
        }
        long span = t - previousMicros;
        if (hasPrevious && span > 0 && span <= MAX_SPREAD_MICROS && v >= previousValue) {
            double rate = (v - previousValue) / span;
            openIfClosed(previousMicros);
            while (true) {
                long from = Math.max(previousMicros, period.start);
                long to = Math.min(t, period.end);
                if (to > from) {
                    consumed += rate * (to - from);
                    coveredMicros += to - from;
                }
                if (t < period.end) {
                    break;
                }
                long next = period.end;
                close();
                openIfClosed(next);
            }
        } else {
            closeIfEnded(t);
            openIfClosed(t);
        }
        hasPrevious = true;
        previousMicros = t;
        previousValue = v;
    }

    /** Event time reached {@code t}: completes the open period if no later reading can change it. */
    void onTime(long t) {
        if (open && t >= period.end + (cumulative ? MAX_SPREAD_MICROS : 0)) {
            close();
        }
    }

    private void closeIfEnded(long t) {
        if (open && t >= period.end) {
            close();
        }
    }

    private void openIfClosed(long t) {
        if (!open) {
            period.locate(t);
            open = true;
        }
    }

    private void close() {
        sink.completed(this);
        open = false;
        sum = 0;
        count = 0;
        hourMask = 0;
        consumed = 0;
        coveredMicros = 0;
    }

    /** The period being completed (valid inside {@link Sink#completed}). */
    LocalPeriods period() {
        return period;
    }

    long lengthMicros() {
        return period.end - period.start;
    }

    /** The period's mean or consumption, NaN when its data do not cover it well enough. */
    double value() {
        long length = lengthMicros();
        if (cumulative) {
            return coveredMicros >= 0.9 * length ? consumed * length / coveredMicros : Double.NaN;
        }
        long hours = (length + LocalPeriods.HOUR_MICROS - 1) / LocalPeriods.HOUR_MICROS;
        return count > 0 && Long.bitCount(hourMask) >= 0.75 * hours ? sum / count : Double.NaN;
    }

    void saveTo(Map<String, Object> state, String prefix) {
        if (open) {
            state.put(prefix + "open_micros", period.start);
            state.put(prefix + "sum", sum);
            state.put(prefix + "count", count);
            state.put(prefix + "hour_mask", hourMask);
            state.put(prefix + "consumed", consumed);
            state.put(prefix + "covered_micros", coveredMicros);
        }
        if (hasPrevious) {
            state.put(prefix + "previous_micros", previousMicros);
            state.put(prefix + "previous_value", previousValue);
        }
    }

    void restoreFrom(Map<String, Object> state, String prefix) {
        if (States.has(state, prefix + "open_micros")) {
            openIfClosed(States.integer(state, prefix + "open_micros", 0));
            sum = States.number(state, prefix + "sum", 0);
            count = States.integer(state, prefix + "count", 0);
            hourMask = States.integer(state, prefix + "hour_mask", 0);
            consumed = States.number(state, prefix + "consumed", 0);
            coveredMicros = States.integer(state, prefix + "covered_micros", 0);
        }
        if (States.has(state, prefix + "previous_micros")) {
            hasPrevious = true;
            previousMicros = States.integer(state, prefix + "previous_micros", 0);
            previousValue = States.number(state, prefix + "previous_value", 0);
        }
    }
}
