package fr.gardien.sim.run;

import fr.gardien.sim.mqtt.PublishException;
import fr.gardien.sim.mqtt.PublishWindow;
import fr.gardien.sim.senml.PackBuilder;
import fr.gardien.sim.senml.PackFormat;
import fr.gardien.sim.senml.Reading;
import fr.gardien.sim.signal.EquipmentSignals;
import fr.gardien.sim.transport.Transport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * One simulated device: every interval of simulated time it samples its equipment; every
 * {@code batch} samples it puts one SenML pack into its {@link StoreAndForward} buffer, which it
 * empties oldest first through its transport while its window has room. A pack the gateway could
 * not take (unreachable, overloaded, connection lost) goes back into the buffer and is sent again
 * after a back-off, or after the delay the gateway asked for; a pack the gateway refused is
 * counted as failed.
 */
final class DeviceSimulator implements Runnable {
  /** MQTT failures after which the same pack may be sent again. */
  private static final Set<String> RETRYABLE =
      Set.of("connection lost", "not connected", "client closing", "no acknowledgement in time");
  private static final long FIRST_BACKOFF_MILLIS = 250;
  private static final long MAX_BACKOFF_MILLIS = 10_000;
  /** How long a finished run waits for its buffered and in-flight packs before counting them as failed. */
  private static final long FINAL_DRAIN_SECONDS = 15;

  private final Transport transport;
  private final List<EquipmentSignals> signals;
  private final SimClock clock;
  private final Instant start;
  private final Instant end;
  private final Duration interval;
  /** The interval once the simulated clock has caught up with the present (null: {@code interval} throughout). */
  private final Duration liveInterval;
  private final int batch;
  private final PackFormat format;
  private final Duration ackTimeout;
  private final PublishWindow window;
  private final RunCounters counters;
  private final BooleanSupplier stop;
  private final StoreAndForward buffer;
  private final AtomicInteger failuresInARow = new AtomicInteger();
  private volatile long retryAtNanos = System.nanoTime();
  private long nextSeq;

  DeviceSimulator(Transport transport, List<EquipmentSignals> signals, SimClock clock, Instant start, Instant end,
      Duration interval, Duration liveInterval, int batch, PackFormat format, Duration ackTimeout, PublishWindow window, StoreAndForward buffer,
      RunCounters counters, BooleanSupplier stop) {
    this.transport = transport;
    this.signals = signals;
    this.clock = clock;
    this.start = start;
    this.end = end;
    this.interval = interval;
    this.liveInterval = liveInterval;
    this.batch = batch;
    this.format = format;
    this.ackTimeout = ackTimeout;
    this.window = window;
    this.buffer = buffer;
    this.counters = counters;
    this.stop = stop;
  }

  @Override
  public void run() {
    try {
      List<Reading> pending = new ArrayList<>();
      int samples = 0;
      for (Instant t = start; !stop.getAsBoolean() && (end == null || t.isBefore(end)); t = t.plus(step(t))) {
        if (!waitFor(t)) {
          return;
        }
        for (EquipmentSignals s : signals) {
          pending.addAll(s.sample(t));
        }
        // Live samples leave at once: --batch packs history, not what the user watches arrive.
        if (++samples >= batch || live(t)) {
          enqueue(pending);
          pending = new ArrayList<>();
          samples = 0;
        }
      }
      if (!pending.isEmpty() && !stop.getAsBoolean()) {
        enqueue(pending);
      }
      // Give buffered packs their chance before the run ends.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FINAL_DRAIN_SECONDS);
      while (!stop.getAsBoolean() && System.nanoTime() < deadline && (!buffer.isEmpty() || window.inFlight() > 0)) {
        pump();
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      int left = buffer.clear();
      for (int i = 0; i < left; i++) {
        counters.failed("still buffered when the run ended");
      }
    }
  }

  /**
   * The simulated time to the next sample: {@code interval} while backfilling, {@code liveInterval}
   * once the sample is within one interval of the wall clock (the simulated clock never runs ahead of it).
   */
  private Duration step(Instant t) {
    return live(t) ? liveInterval : interval;
  }

  private boolean live(Instant t) {
    return liveInterval != null && !t.isBefore(Instant.now().minus(interval));
  }

  /** Sleeps until the simulated clock reaches {@code t}, sending buffered packs meanwhile. */
  private boolean waitFor(Instant t) throws InterruptedException {
    while (!stop.getAsBoolean()) {
      pump();
      long nanos = clock.realNanosUntil(t);
      if (nanos <= 0) {
        return true;
      }
      TimeUnit.NANOSECONDS.sleep(Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(100)));
    }
    return false;
  }

  private void enqueue(List<Reading> readings) {
    counters.packsSent.increment();
    counters.readingsSent.add(readings.size());
    buffer.add(new StoreAndForward.Pack(nextSeq++, readings.get(0).time(), PackBuilder.encode(readings, format),
        readings.size(), 0, !mayHandOver()));
    pump();
  }

  private boolean mayHandOver() {
    return System.nanoTime() - retryAtNanos >= 0 && transport.canSend();
  }

  /** Hands buffered packs to the transport, oldest first, while the gateway may take them and the window has room. */
  private void pump() {
    while (!stop.getAsBoolean() && mayHandOver() && !buffer.isEmpty()) {
      if (!window.tryAcquire()) {
        return;
      }
      StoreAndForward.Pack pack = buffer.pollOldest(clock.now());
      if (pack == null) {
        window.release();
        return;
      }
      if (pack.attempts() > 0) {
        counters.packsRetried.increment();
      }
      transport.send(pack.bytes()).orTimeout(ackTimeout.toMillis(), TimeUnit.MILLISECONDS)
          .whenComplete((ok, error) -> completed(pack, error));
    }
  }

  private void completed(StoreAndForward.Pack pack, Throwable error) {
    window.release();
    if (error == null) {
      failuresInARow.set(0);
      counters.packsAcked.increment();
      if (pack.late()) {
        counters.packsLate.increment();
      }
      return;
    }
    PublishException failure = PublishException.of(error);
    String reason = PublishException.reasonOf(error);
    if ((failure != null && failure.retryable()) || RETRYABLE.contains(reason)) {
      buffer.add(pack.retried());
      backOff(failure == null ? null : failure.retryAfter());
    } else {
      counters.failed(reason);
    }
  }

  /**
   * No hand-over until the delay the gateway asked for, or an exponential back-off, has passed.
   * The packs in flight during one outage fail together: they count as one round, not one each.
   */
  private synchronized void backOff(Duration asked) {
    if (asked == null && System.nanoTime() - retryAtNanos < 0) {
      return;
    }
    int failures = failuresInARow.incrementAndGet();
    long millis = asked != null ? asked.toMillis()
        : Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << Math.min(failures - 1, 10));
    retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
  }
}
