package fr.gardien.sim.mqtt;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The bounded window of unacknowledged publishes of one connection. When it is full the
 * publisher waits (nothing is dropped) and the wait is counted: the gateway withholds PUBACKs
 * when overloaded, and this is how that back-pressure reaches the sender.
 */
public final class PublishWindow {
  private final int size;
  private final Semaphore permits;
  private final AtomicLong fullWaits = new AtomicLong();
  /** Whether the non-blocking publisher's last try found the window full. */
  private volatile boolean waitingForSlot;

  public PublishWindow(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("window size must be at least 1, got " + size);
    }
    this.size = size;
    this.permits = new Semaphore(size);
  }

  /**
   * Takes a slot, waiting while the window is full; returns false, without a slot, when
   * {@code stop} becomes true while waiting.
   */
  public boolean acquire(BooleanSupplier stop) throws InterruptedException {
    if (permits.tryAcquire()) {
      return true;
    }
    fullWaits.incrementAndGet();
    while (!stop.getAsBoolean()) {
      if (permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Takes a slot if one is free, without waiting, for a publisher that tries again when a slot
   * frees. A failed try counts one full wait; the failed tries that follow it before a slot is
   * taken are the same wait.
   */
  public boolean tryAcquire() {
    if (permits.tryAcquire()) {
      waitingForSlot = false;
      return true;
    }
    if (!waitingForSlot) {
      waitingForSlot = true;
      fullWaits.incrementAndGet();
    }
    return false;
  }

  /** Frees the slot of an acknowledged or failed publish. */
  public void release() {
    permits.release();
  }

  /** Publishes not yet acknowledged. */
  public int inFlight() {
    return size - permits.availablePermits();
  }

  /** Waits until every slot is free or the timeout passes; true when drained. */
  public boolean awaitDrained(long timeoutMillis) throws InterruptedException {
    if (permits.tryAcquire(size, timeoutMillis, TimeUnit.MILLISECONDS)) {
      permits.release(size);
      return true;
    }
    return false;
  }

  /** How many times a publisher found the window full and had to wait. */
  public long fullWaits() {
    return fullWaits.get();
  }
}
