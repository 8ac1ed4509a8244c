package fr.gardien.sim.fault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A fault scenario file: faults written out one by one, and optionally a random mode that draws
 * faults for every site (see {@link RandomFaults}), a grid of faults started at every local hour
 * and a detection-boundary sweep of fault sizes (issue 16).
 */
public record Scenario(List<Fault> faults, Optional<RandomSpec> random, Optional<HoursSpec> hours,
    Optional<SweepSpec> sweep) {

  public Scenario {
    faults = List.copyOf(faults);
  }

  public Scenario(List<Fault> faults, Optional<RandomSpec> random) {
    this(faults, random, Optional.empty(), Optional.empty());
  }

  /**
   * {@code hours: {types: [...], params: {type: {name: value}}, seed: S, warm-up: 3d}}: for each
   * listed type, one fault starting at each local hour of the day (00:00 to 23:00, at a random
   * minute of it), on a site and day drawn at random.
   */
  public record HoursSpec(List<FaultType> types, Map<FaultType, Map<String, String>> params, long seed, Duration warmUp) {
    public HoursSpec {
      types = List.copyOf(types);
      params = Map.copyOf(params);
    }
  }

  /**
   * {@code sweep: {per-size: N, seed: S, warm-up: 7d, sizes: {type: [size, ...]}}}: for each type,
   * N faults of each size of its size parameter ({@link FaultType#sizeParam()}), placed at random.
   */
  public record SweepSpec(Map<FaultType, List<String>> sizes, int perSize, long seed, Duration warmUp) {
    public SweepSpec {
      sizes = Map.copyOf(sizes);
    }
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
