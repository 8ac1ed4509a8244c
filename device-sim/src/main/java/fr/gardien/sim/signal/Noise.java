package fr.gardien.sim.signal;

/**
 * Deterministic pseudo-random functions of (seed, position). Signals built on them are pure
 * functions of time, so two devices of one site see the same weather and a run is repeatable.
 */
final class Noise {
  private Noise() {}

  /** SplitMix64 finaliser: a well-mixed 64-bit hash of its input. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** A seed for one named stream, derived from the run seed. */
  static long derive(long seed, String name) {
    long h = mix(seed + 0x9e3779b97f4a7c15L);
    for (int i = 0; i < name.length(); i++) {
      h = mix(h ^ name.charAt(i));
    }
    return h;
  }

  /** Uniform in [0, 1) for an integer position. */
  static double uniform(long seed, long i) {
    return (mix(seed ^ mix(i)) >>> 11) * 0x1.0p-53;
  }

  /** Smooth value noise in [-1, 1]: cosine interpolation between random knots at integers. */
  static double smooth(long seed, double x) {
    long i = (long) Math.floor(x);
    double f = x - i;
    double a = uniform(seed, i) * 2 - 1;
    double b = uniform(seed, i + 1) * 2 - 1;
    double w = (1 - Math.cos(Math.PI * f)) / 2;
    return a + (b - a) * w;
  }
}
