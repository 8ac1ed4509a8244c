package fr.gardien.sim.run;

import fr.gardien.sim.mqtt.MqttLink;
import fr.gardien.sim.mqtt.PublishException;
import fr.gardien.sim.mqtt.PublishWindow;
import fr.gardien.sim.senml.PackBuilder;
import fr.gardien.sim.senml.Reading;
import fr.gardien.sim.signal.EquipmentSignals;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One simulated device: every interval of simulated time it samples its equipment and publishes
 * one SenML pack on {@code telemetry/{deviceId}}. A full window makes it wait; a pack lost with
 * the connection is sent again once the link has reconnected (at most {@value #MAX_ATTEMPTS} times).
 */
final class DeviceSimulator implements Runnable {
  static final int MAX_ATTEMPTS = 3;
  private static final Set<String> RETRYABLE =
      Set.of("connection lost", "not connected", "client closing", "no acknowledgement in time");

  private record Pending(byte[] pack, int attempt) {}

  private final String topic;
  private final MqttLink link;
  private final List<EquipmentSignals> signals;
  private final SimClock clock;
  private final Instant start;
  private final Instant end;
  private final Duration interval;
  private final int qos;
  private final Duration ackTimeout;
  private final PublishWindow window;
  private final RunCounters counters;
  private final BooleanSupplier stop;
  private final Queue<Pending> retries = new ConcurrentLinkedQueue<>();

  DeviceSimulator(String deviceId, MqttLink link, List<EquipmentSignals> signals, SimClock clock,
      Instant start, Instant end, Duration interval, int qos, Duration ackTimeout,
      PublishWindow window, RunCounters counters, BooleanSupplier stop) {
    this.topic = "telemetry/" + deviceId;
    this.link = link;
    this.signals = signals;
    this.clock = clock;
    this.start = start;
    this.end = end;
    this.interval = interval;
    this.qos = qos;
    this.ackTimeout = ackTimeout;
    this.window = window;
    this.counters = counters;
    this.stop = stop;
  }

  @Override
  public void run() {
    try {
      for (Instant t = start; !stop.getAsBoolean() && (end == null || t.isBefore(end)); t = t.plus(interval)) {
        if (!waitFor(t)) {
          return;
        }
        List<Reading> readings = new ArrayList<>();
        for (EquipmentSignals s : signals) {
          readings.addAll(s.sample(t));
        }
        counters.packsSent.increment();
        counters.readingsSent.add(readings.size());
        send(new Pending(PackBuilder.encode(readings), 1));
      }
      // Give packs lost with a connection their chance before the run ends.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (!stop.getAsBoolean() && System.nanoTime() < deadline
          && (!retries.isEmpty() || window.inFlight() > 0)) {
        sendRetries();
        Thread.sleep(20);
      }
      while (retries.poll() != null) {
        counters.failed("lost with the connection, not resent before the end");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sleeps until the simulated clock reaches {@code t}, resending lost packs meanwhile. */
  private boolean waitFor(Instant t) throws InterruptedException {
    while (!stop.getAsBoolean()) {
      sendRetries();
      long nanos = clock.realNanosUntil(t);
      if (nanos <= 0) {
        return true;
      }
      TimeUnit.NANOSECONDS.sleep(Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(100)));
    }
    return false;
  }

  private void sendRetries() throws InterruptedException {
    Pending p;
    while (!stop.getAsBoolean() && (p = retries.poll()) != null) {
      counters.packsRetried.increment();
      send(p);
    }
  }

  private void send(Pending pending) throws InterruptedException {
    while (!link.isConnected()) {
      if (stop.getAsBoolean()) {
        counters.failed("stopped before reconnection");
        return;
      }
      Thread.sleep(50);
    }
    if (!window.acquire(stop)) {
      counters.failed("stopped with a full window");
      return;
    }
    link.publish(topic, pending.pack(), qos)
        .orTimeout(ackTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((ok, error) -> {
          window.release();
          if (error == null) {
            counters.packsAcked.increment();
            return;
          }
          String reason = PublishException.reasonOf(error);
          if (RETRYABLE.contains(reason) && pending.attempt() < MAX_ATTEMPTS) {
            retries.add(new Pending(pending.pack(), pending.attempt() + 1));
          } else {
            counters.failed(reason);
          }
        });
  }
}
