package fr.gardien.sim.signal;

import java.time.Instant;

/** The generator of one point's values, in its model's canonical unit. */
interface PointSignal {

  /**
   * The value at {@code t}; calls come with non-decreasing times, {@code dtSeconds} after
   * the previous one (the nominal interval on the first call).
   */
  double next(Instant t, double dtSeconds);
}
