package fr.gardien.rules.detect;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * Hours or days of a site's local time, as spans of event time. A local day lasts 23, 24 or
 * 25 hours; a local hour is cut short by an offset change that does not fall on an hour boundary
 * (Europe/Paris changes at 01:00 UTC, on boundaries: its hours always last one hour). In the
 * autumn the local hour 02:00 happens twice: each is its own period, both labelled hour 2.
 *
 * <p>Mutable and reused: {@link #locate(long)} runs once per period, not once per reading.
 */
final class LocalPeriods {

    static final long HOUR_MICROS = 3_600_000_000L;
    private static final long MICROS_PER_SECOND = 1_000_000L;

    private final ZoneId zone;
    private final ZoneRules rules;
    private final boolean daily;

    /** Start of the located period, inclusive, in epoch microseconds. */
    long start;
    /** End of the located period, exclusive, in epoch microseconds. */
    long end;
    /** Local date of the period, as an epoch day. */
    long epochDay;
    /** Local hour of day at the start of the period, 0 to 23; 0 for a day. */
    int hour;

    LocalPeriods(ZoneId zone, boolean daily) {
        this.zone = zone;
        this.rules = zone.getRules();
        this.daily = daily;
    }

    /** A copy, located on the same period. */
    LocalPeriods copy() {
        LocalPeriods c = new LocalPeriods(zone, daily);
        c.start = start;
        c.end = end;
        c.epochDay = epochDay;
        c.hour = hour;
        return c;
    }

    /** Sets the fields to the period that contains {@code epochMicros}. */
    void locate(long epochMicros) {
        long second = Math.floorDiv(epochMicros, MICROS_PER_SECOND);
        int offset = rules.getOffset(Instant.ofEpochSecond(second)).getTotalSeconds();
        long local = second + offset;
        epochDay = Math.floorDiv(local, 86_400L);
        if (daily) {
            LocalDate date = LocalDate.ofEpochDay(epochDay);
            // atStartOfDay, not midnight: in some zones midnight does not exist on the change day.
            start = date.atStartOfDay(zone).toEpochSecond() * MICROS_PER_SECOND;
            end = date.plusDays(1).atStartOfDay(zone).toEpochSecond() * MICROS_PER_SECOND;
            hour = 0;
            return;
        }
        long secondOfDay = Math.floorMod(local, 86_400L);
        hour = (int) (secondOfDay / 3600);
        long startSecond = local - Math.floorMod(local, 3600L) - offset;
        long endSecond = startSecond + 3600;
        ZoneOffsetTransition next = rules.nextTransition(Instant.ofEpochSecond(startSecond));
        if (next != null) {
            long at = next.toEpochSecond();
            if (at <= second) {
                startSecond = at;
            } else if (at < endSecond) {
                endSecond = at;
            }
        }
        start = startSecond * MICROS_PER_SECOND;
        end = endSecond * MICROS_PER_SECOND;
    }
}
