package fr.gardien.sim.signal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** Calendar shapes shared by the signal models, in the site's local time. */
final class Rhythm {
  private Rhythm() {}

  /** Local hour of day as a fraction, 0 ≤ h < 24. */
  static double localHour(Instant t, ZoneId zone) {
    ZonedDateTime z = t.atZone(zone);
    return z.getHour() + z.getMinute() / 60.0 + z.getSecond() / 3600.0;
  }

  /** Day of year as a fraction, 0 ≤ d < 366. */
  static double dayOfYear(Instant t, ZoneId zone) {
    ZonedDateTime z = t.atZone(zone);
    return z.getDayOfYear() - 1 + localHour(t, zone) / 24.0;
  }

  /**
   * Activity of a residential building over the day, in [0.03, ~1]: a morning peak around
   * 08:00, a midday plateau, a long evening peak around 18:30, almost nothing 01:00–05:00.
   */
  static double activity(Instant t, ZoneId zone) {
    double h = localHour(t, zone);
    return 0.03 + 0.9 * bump(h, 8.0, 1.2) + 0.8 * bump(h, 18.5, 1.8) + 0.3 * bump(h, 12.5, 2.5);
  }

  /**
   * Use of a lift: the building's activity, a third lower on Saturdays and Sundays (no trips to
   * work or school; fewer deliveries and visits of the services).
   */
  static double liftUse(Instant t, ZoneId zone) {
    java.time.DayOfWeek day = t.atZone(zone).getDayOfWeek();
    boolean weekend = day == java.time.DayOfWeek.SATURDAY || day == java.time.DayOfWeek.SUNDAY;
    return activity(t, zone) * (weekend ? 0.65 : 1.0);
  }

  private static double bump(double h, double centre, double width) {
    double d = Math.abs(h - centre);
    d = Math.min(d, 24 - d);
    return Math.exp(-d * d / (2 * width * width));
  }
}
