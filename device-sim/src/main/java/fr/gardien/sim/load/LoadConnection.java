package fr.gardien.sim.load;

import fr.gardien.sim.mqtt.MqttLink;
import fr.gardien.sim.mqtt.PublishException;
import fr.gardien.sim.mqtt.PublishWindow;
import fr.gardien.sim.mqtt.VertxLink;
import fr.gardien.sim.senml.PackBuilder;
import fr.gardien.sim.senml.Reading;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One connection of the load generator: publishes packs of the device's site points, cycling
 * through them with timestamps that increase per point and stay near now, keeping at most the
 * window's size unacknowledged. With a period it publishes at a fixed rate (catching up when
 * late, counting late sends); without one, as fast as acknowledgements allow.
 *
 * <p>Two ways to drive it, with the same window, pacing and stats: {@link #run()} on a thread of
 * its own, blocking while the window is full (for Paho's links), or {@link #start(VertxLink)} on
 * the link's event loop, where each acknowledgement publishes the next pack on the same thread
 * and, paced, a timer set for each next send time paces them (no thread of its own and no
 * hand-off per message).
 */
final class LoadConnection implements Runnable {
  private final MqttLink link;
  private final String topic;
  private final List<Reading> points;
  private final long[] lastMillis;
  private final int packSize;
  private final int qos;
  private final PublishWindow window;
  private final LoadStats stats;
  private final BooleanSupplier stop;
  private final long periodNanos;
  private final long firstSendNanos;
  private final Duration ackTimeout;
  private int cursor;
  /** Event-loop mode only, touched on the link's context. */
  private long nextSendNanos;
  private boolean pumping;
  private boolean pumpAgain;
  private Vertx vertx;
  private long pacingTimer = -1;

  LoadConnection(MqttLink link, String deviceId, List<Reading> points, int packSize, int qos,
      PublishWindow window, LoadStats stats, BooleanSupplier stop, long periodNanos,
      long firstSendNanos, Duration ackTimeout) {
    this.link = link;
    this.topic = "telemetry/" + deviceId;
    this.points = List.copyOf(points);
    this.lastMillis = new long[points.size()];
    this.packSize = packSize;
    this.qos = qos;
    this.window = window;
    this.stats = stats;
    this.stop = stop;
    this.periodNanos = periodNanos;
    this.firstSendNanos = firstSendNanos;
    this.ackTimeout = ackTimeout;
  }

  PublishWindow window() {
    return window;
  }

  MqttLink link() {
    return link;
  }

  @Override
  public void run() {
    long next = firstSendNanos;
    try {
      while (!stop.getAsBoolean()) {
        if (periodNanos > 0) {
          long wait = next - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(100)));
            continue;
          }
          if (-wait > periodNanos) {
            stats.lateSends.increment();
          }
          next += periodNanos;
        }
        if (!link.isConnected()) {
          Thread.sleep(50);
          continue;
        }
        if (!window.acquire(stop)) {
          return;
        }
        publish(nextPack());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void publish(byte[] pack) {
    stats.published.increment();
    long start = System.nanoTime();
    link.publish(topic, pack, qos)
        .orTimeout(ackTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((ok, error) -> completed(start, error));
  }

  /** Counted before the window is released: whoever sees the window drained sees every count. */
  private void completed(long start, Throwable error) {
    if (error == null) {
      stats.acked(start, packSize);
    } else {
      stats.failed(PublishException.reasonOf(error));
    }
    window.release();
  }

  /**
   * Starts publishing on the link's context and returns at once; the link fails its own
   * unacknowledged publishes after the ack timeout. Stops when {@code stop} becomes true.
   */
  void start(VertxLink vertxLink) {
    vertxLink.context().runOnContext(v -> {
      vertx = vertxLink.context().owner();
      nextSendNanos = firstSendNanos;
      vertxLink.onConnected(this::pump);
      // Acknowledgements and, paced, a timer set for the next send drive the sends; this tick only
      // restarts them after a pause (a reconnection) that nothing else would end.
      vertx.setPeriodic(100, id -> {
        if (stop.getAsBoolean()) {
          vertx.cancelTimer(id);
        } else {
          pump();
        }
      });
      pump();
    });
  }

  /** Sends what the window and the pace allow; on the link's context, re-entered by completions. */
  private void pump() {
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    try {
      do {
        pumpAgain = false;
        sendWhileAllowed();
      } while (pumpAgain);
    } finally {
      pumping = false;
    }
  }

  private void sendWhileAllowed() {
    while (!stop.getAsBoolean() && link.isConnected()) {
      long now = System.nanoTime();
      if (periodNanos > 0 && nextSendNanos > now) {
        if (pacingTimer < 0) {
          // Vert.x timers count whole milliseconds: rounded up, never early.
          long millis = Math.max(1, (nextSendNanos - now + 999_999) / 1_000_000);
          pacingTimer = vertx.setTimer(millis, id -> {
            pacingTimer = -1;
            pump();
          });
        }
        return;
      }
      if (!window.tryAcquire()) {
        return;
      }
      if (periodNanos > 0) {
        if (now - nextSendNanos > periodNanos) {
          stats.lateSends.increment();
        }
        nextSendNanos += periodNanos;
      }
      stats.published.increment();
      long start = System.nanoTime();
      link.publish(topic, nextPack(), qos).whenComplete((ok, error) -> {
        completed(start, error);
        pump();
      });
    }
  }

  /** The next pack: {@code packSize} readings, cycling through the points. */
  byte[] nextPack() {
    long now = System.currentTimeMillis();
    List<Reading> pack = new ArrayList<>(packSize);
    for (int i = 0; i < packSize; i++) {
      int p = cursor;
      cursor = (cursor + 1) % points.size();
      long t = Math.max(now, lastMillis[p] + 1);
      lastMillis[p] = t;
      pack.add(points.get(p).at(Instant.ofEpochMilli(t)));
    }
    return PackBuilder.encode(pack);
  }
}
