package fr.gardien.gateway.backtest;

import fr.gardien.rules.RuleEngine;
import fr.gardien.rules.RuleSignal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Drives a rule engine over readings given in time order, with the clock the live gateway gives
 * it: {@code onTime} every {@code tick} of data time from {@code from}, each tick before the
 * readings that follow it, then a last {@code onTime(to)}. The engine thus sees the same
 * sequence of readings and clock ticks as it would have live (with no arrival delay), which is
 * what makes the replayed signals those that would have fired.
 *
 * <p>Not thread-safe; one replay per engine.
 */
final class Replay {

    private final RuleEngine engine;
    private final long fromMicros;
    private final long toMicros;
    private final long tickMicros;
    private final Consumer<RuleSignal> out;
    private long nextTick;
    private long lastReading = Long.MIN_VALUE;
    private long readings;
    private boolean finished;

    /**
     * @param tick the period of the engine's clock in data time; positive
     * @param out where every signal goes, in the order the engine emits them
     */
    Replay(RuleEngine engine, Instant from, Instant to, Duration tick, Consumer<RuleSignal> out) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to: " + from + ", " + to);
        }
        if (tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("tick must be positive, was " + tick);
        }
        this.engine = Objects.requireNonNull(engine, "engine");
        this.fromMicros = ChronoUnit.MICROS.between(Instant.EPOCH, from);
        this.toMicros = ChronoUnit.MICROS.between(Instant.EPOCH, to);
        this.tickMicros = tick.toNanos() / 1000;
        this.out = Objects.requireNonNull(out, "out");
        this.nextTick = fromMicros;
    }

    /**
     * One reading; times must not decrease.
     *
     * @throws IllegalArgumentException for a reading outside [from, to) or older than the previous one
     */
    void reading(int pointId, long epochMicros, double value) {
        if (epochMicros < fromMicros || epochMicros >= toMicros) {
            throw new IllegalArgumentException("reading outside the replayed period: " + epochMicros);
        }
        if (epochMicros < lastReading) {
            throw new IllegalArgumentException("readings out of order: " + epochMicros + " after " + lastReading);
        }
        lastReading = epochMicros;
        // Strictly before: a tick at the reading's own time comes after it, as live, where the
        // reading of second t is in before the clock reaches t.
        while (nextTick < epochMicros) {
            engine.onTime(nextTick, out);
            nextTick += tickMicros;
        }
        engine.onReading(pointId, epochMicros, value, out);
        readings++;
    }

    /** Runs the clock to {@code to} and ends the replay with {@code onTime(to)}. Idempotent. */
    void finish() {
        if (finished) {
            return;
        }
        finished = true;
        while (nextTick < toMicros) {
            engine.onTime(nextTick, out);
            nextTick += tickMicros;
        }
        engine.onTime(toMicros, out);
    }

    long readings() {
        return readings;
    }
}
