package fr.gardien.sim.signal;

import java.time.Instant;
import java.time.ZoneId;

/**
 * Outdoor temperature of one site, a pure function of time: a seasonal cycle (about 4 °C in
 * late January, 20 °C in late July, a temperate French climate), a day/night cycle (coldest
 * near 04:00, warmest near 16:00) and weather fronts that drift over a few days.
 */
public final class SiteWeather {
  private final long seed;
  private final ZoneId zone;

  public SiteWeather(long seed, String siteId, ZoneId zone) {
    this.seed = Noise.derive(seed, "weather/" + siteId);
    this.zone = zone;
  }

  /** The site's time zone, in which daily rhythms are evaluated. */
  public ZoneId zone() {
    return zone;
  }

  /** Outdoor temperature in °C at {@code t}. */
  public double outdoorTemp(Instant t) {
    double seasonal = 12 - 8 * Math.cos(2 * Math.PI * (Rhythm.dayOfYear(t, zone) - 20) / 365.25);
    double daily = -3.5 * Math.cos(2 * Math.PI * (Rhythm.localHour(t, zone) - 4) / 24);
    double hours = t.getEpochSecond() / 3600.0;
    double fronts = 3.5 * Noise.smooth(seed, hours / 36) + 1.0 * Noise.smooth(seed + 1, hours / 5);
    return seasonal + daily + fronts;
  }

  /** Heating demand in [0, 1]: 0 at 18 °C outdoors or warmer, 1 at −8 °C or colder. */
  public double heatingLoad(Instant t) {
    return Math.max(0, Math.min(1, (18 - outdoorTemp(t)) / 26));
  }
}
