package fr.gardien.gateway.ingest;

import io.vertx.core.Context;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Flow control between protocol handlers and the writer, for the messages that must wait rather
 * than be dropped (MQTT QoS 1). A handler whose pack the writer refused parks it, reserving its
 * readings from one global budget, and asks to be woken when the writer drains. The budget
 * bounds the memory of parked packs across all connections; when it is spent, a handler refuses
 * instead of parking (MQTT 5: PUBACK 0x97; MQTT 3.1.1: the connection is closed).
 */
public final class Backpressure {

    private final PackSink sink;
    private final long parkedReadingsBudget;
    private final AtomicLong parkedReadings = new AtomicLong();
    private final Set<Waiter> waiting = ConcurrentHashMap.newKeySet();

    /**
     * @param parkedReadingsBudget how many readings may wait outside the writer's queue, all
     *     connections together
     */
    public Backpressure(PackSink sink, long parkedReadingsBudget) {
        this.sink = sink;
        this.parkedReadingsBudget = parkedReadingsBudget;
        sink.onDrain(this::wakeAll);
    }

    /**
     * Reserves room for a parked pack.
     *
     * @return false when the budget is spent: the pack must be refused, not parked
     */
    public boolean reserve(int readings) {
        int weight = Math.max(1, readings);
        if (parkedReadings.addAndGet(weight) > parkedReadingsBudget) {
            parkedReadings.addAndGet(-weight);
            return false;
        }
        return true;
    }

    /** Gives back what {@link #reserve} took, once the pack left the parking (written or abandoned). */
    public void release(int readings) {
        parkedReadings.addAndGet(-Math.max(1, readings));
    }

    public long parkedReadings() {
        return parkedReadings.get();
    }

    /**
     * Runs {@code retry} on {@code context} once the writer has room again. Safe against the
     * race where the writer signalled its drain between the refused offer and this call: the
     * signal is re-armed after registering, and the writer checks it after every transaction
     * and every idle poll.
     */
    public void awaitDrain(Context context, Runnable retry) {
        Waiter waiter = new Waiter(context, retry);
        waiting.add(waiter);
        sink.requestDrainSignal();
        if (sink.drained() && waiting.remove(waiter)) {
            waiter.wake();
        }
    }

    private void wakeAll() {
        for (Waiter waiter : waiting) {
            if (waiting.remove(waiter)) {
                waiter.wake();
            }
        }
    }

    private static final class Waiter {
        private final Context context;
        private final Runnable retry;

        Waiter(Context context, Runnable retry) {
            this.context = context;
            this.retry = retry;
        }

        void wake() {
            context.runOnContext(v -> retry.run());
        }
    }
}
