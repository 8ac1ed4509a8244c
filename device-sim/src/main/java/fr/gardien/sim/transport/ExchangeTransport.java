package fr.gardien.sim.transport;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A transport of request and answer (CoAP, HTTP): no connection to hold, so a pack may always be
 * tried, and the gateway counts as reached while it answers the exchanges.
 */
abstract class ExchangeTransport implements Transport {
  private final AtomicBoolean reachable = new AtomicBoolean(true);
  private final AtomicLong reconnections = new AtomicLong();

  /** The gateway answered an exchange: contact regained if it had been lost. */
  final void answered() {
    if (!reachable.getAndSet(true)) {
      reconnections.incrementAndGet();
    }
  }

  /** The gateway was reached but refused the exchange (not counted as contact regained). */
  final void reachedButRefused() {
    reachable.set(true);
  }

  /** An exchange found no gateway. */
  final void lost() {
    reachable.set(false);
  }

  @Override
  public boolean canSend() {
    return true;
  }

  @Override
  public boolean isConnected() {
    return reachable.get();
  }

  @Override
  public long reconnections() {
    return reconnections.get();
  }
}
