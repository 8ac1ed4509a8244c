package fr.gardien.sim.signal;

import fr.gardien.sim.senml.Reading;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * What a building's sensors and field gateway do to the values the equipment produces (issue 16,
 * held-out buildings), applied after the faults: temperatures sent at a coarser resolution; a water
 * meter of litre pulses, whose index moves by whole pulses and whose flow is the pulses of the last
 * {@value #FLOW_MINUTES} minutes; bursts of readings that never arrive; a clock that drifts
 * between two daily synchronisations. With the usual building's profile it changes nothing. Not
 * thread-safe: one owner, non-decreasing times.
 */
final class SensorEffects {
  /** The span over which a pulse meter's gateway turns pulses into a flow. */
  static final int FLOW_MINUTES = 15;
  private static final double SECONDS_PER_WEEK_HOUR = 3600;

  private final BuildingProfile building;
  private final long gapSeed;
  private final long clockSeed;
  private final ArrayDeque<double[]> volumes = new ArrayDeque<>();

  /**
   * @param gapSeed the seed of this equipment's bursts of missing data
   * @param clockSeed the seed of the site's field gateway clock (shared by its equipment)
   */
  SensorEffects(BuildingProfile building, long gapSeed, long clockSeed) {
    this.building = building;
    this.gapSeed = gapSeed;
    this.clockSeed = clockSeed;
  }

  /** Whether any effect applies: the usual building's sensors send what the equipment does. */
  boolean active() {
    return building.temperatureStep() > 0 || building.pulseLitres() > 0 || building.gapsPerWeek() > 0
        || building.clockDriftSecondsPerDay() != 0;
  }

  /** The readings that leave the field gateway for one sample at {@code t}. */
  List<Reading> apply(List<Reading> in, Instant t) {
    if (inGap(t)) {
      return List.of();
    }
    double volume = Double.NaN;
    if (building.pulseLitres() > 0) {
      for (Reading r : in) {
        if (name(r).equals("volume") && "m3".equals(r.unit())) {
          volume = pulses(r.value());
        }
      }
    }
    double flow = Double.NaN;
    if (!Double.isNaN(volume)) {
      double now = t.getEpochSecond();
      volumes.addLast(new double[] {now, volume});
      while (volumes.size() > 1 && volumes.peekFirst()[0] < now - FLOW_MINUTES * 60 && second()[0] <= now - FLOW_MINUTES * 60) {
        volumes.removeFirst();
      }
      double[] first = volumes.peekFirst();
      flow = now > first[0] ? Math.max(0, (volume - first[1]) / ((now - first[0]) / 3600)) : 0;
    }
    long shift = Math.round(clockOffsetSeconds(t));
    List<Reading> out = new ArrayList<>(in.size());
    for (Reading r : in) {
      double v = r.value();
      String n = name(r);
      if ("Cel".equals(r.unit()) && building.temperatureStep() > 0) {
        v = Math.round(v / building.temperatureStep()) * building.temperatureStep();
      } else if (n.equals("volume") && !Double.isNaN(volume)) {
        v = volume;
      } else if (n.equals("flow") && !Double.isNaN(flow) && "m3/h".equals(r.unit())) {
        v = Math.round(flow * 1000) / 1000.0;
      }
      out.add(new Reading(r.key(), r.unit(), v, r.integral(), shift == 0 ? r.time() : r.time().plusSeconds(shift)));
    }
    return out;
  }

  private double[] second() {
    var it = volumes.iterator();
    it.next();
    return it.next();
  }

  /** The index in whole pulses, m3. */
  private double pulses(double m3) {
    double litres = building.pulseLitres();
    return Math.floor(m3 * 1000 / litres) * litres / 1000;
  }

  /**
   * Whether {@code t} falls in a burst of missing data: each hour may start one (with the
   * probability that gives about {@code gapsPerWeek}, unless the hour before started one), at a
   * random minute, lasting 5 minutes to {@code gapMaxMinutes}.
   */
  boolean inGap(Instant t) {
    if (building.gapsPerWeek() <= 0) {
      return false;
    }
    long second = t.getEpochSecond();
    long hour = Math.floorDiv(second, 3600);
    double p = building.gapsPerWeek() / 168.0;
    for (long k = hour - 1; k <= hour; k++) {
      // An hour starts no burst after an hour that did: two never join into a longer silence.
      if (Noise.uniform(gapSeed, 3 * k) < p && Noise.uniform(gapSeed, 3 * (k - 1)) >= p) {
        double start = k * SECONDS_PER_WEEK_HOUR + 3600 * Noise.uniform(gapSeed, 3 * k + 1);
        double length = 60 * (5 + (building.gapMaxMinutes() - 5) * Noise.uniform(gapSeed, 3 * k + 2));
        if (second >= start && second < start + length) {
          return true;
        }
      }
    }
    return false;
  }

  /** The field gateway's clock error at {@code t}, s: it drifts through the day and is reset at a daily synchronisation. */
  double clockOffsetSeconds(Instant t) {
    return clockOffsetSeconds(building, clockSeed, t);
  }

  static double clockOffsetSeconds(BuildingProfile building, long clockSeed, Instant t) {
    if (building.clockDriftSecondsPerDay() == 0) {
      return 0;
    }
    double phase = Noise.uniform(clockSeed, 0) * 86400;
    double sinceSync = Math.floorMod(t.getEpochSecond() - (long) phase, 86400L);
    return building.clockDriftSecondsPerDay() * sinceSync / 86400;
  }

  /** The clock seed of a site's field gateway, shared by its equipment. */
  static long clockSeed(long runSeed, String site) {
    return Noise.derive(runSeed, "clock/" + site);
  }

  private static String name(Reading r) {
    return r.key().substring(r.key().lastIndexOf('/') + 1);
  }
}
