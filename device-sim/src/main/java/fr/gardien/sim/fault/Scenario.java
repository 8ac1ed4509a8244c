package fr.gardien.sim.fault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A fault scenario file: faults written out one by one, and optionally a random mode that draws
 * faults for every site (see {@link RandomFaults}).
 */
public record Scenario(List<Fault> faults, Optional<RandomSpec> random) {

  public Scenario {
    faults = List.copyOf(faults);
  }

  /**
   * {@code random: {per-site-week: N, types: [...], seed: S, warm-up: 3d}}: on average N faults
   * per site and simulated week, of the listed types (all by default), none in the first
   * {@code warm-up} of the run (the baseline rules need a few days of history).
   */
  public record RandomSpec(double perSiteWeek, List<FaultType> types, long seed, Duration warmUp) {
    public RandomSpec {
      types = List.copyOf(types);
    }
  }
}
