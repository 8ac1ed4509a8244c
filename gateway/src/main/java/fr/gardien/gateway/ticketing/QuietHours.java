package fr.gardien.gateway.ticketing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A daily period, in the site's time zone, during which non-immediate deliveries wait. It may
 * span midnight ({@code 22:00} to {@code 07:00}).
 */
public record QuietHours(LocalTime from, LocalTime to) {

    public QuietHours {
        if (from.equals(to)) {
            throw new IllegalArgumentException("quiet hours must not start and end at the same time");
        }
    }

    /** The end of the quiet period {@code at} falls in, or {@code null} when {@code at} is not quiet. */
    public Instant endOf(Instant at, ZoneId zone) {
        ZonedDateTime local = at.atZone(zone);
        LocalTime t = local.toLocalTime();
        LocalDate day = local.toLocalDate();
        if (from.isBefore(to)) {
            // Yes, from inclusive and to exclusive: at 07:00 the period is over.
            return !t.isBefore(from) && t.isBefore(to) ? ZonedDateTime.of(day, to, zone).toInstant() : null;
        }
        if (!t.isBefore(from)) {
            return ZonedDateTime.of(day.plusDays(1), to, zone).toInstant();
        }
        return t.isBefore(to) ? ZonedDateTime.of(day, to, zone).toInstant() : null;
    }
}
