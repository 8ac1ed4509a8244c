package fr.gardien.gateway.backtest;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Optional;

/**
 * A {@code --from} or {@code --to} value: an ISO instant or offset date-time
 * ({@code 2026-01-12T00:00:00Z}, {@code 2026-01-12T06:00+01:00}), or a local date or date-time
 * ({@code 2026-01-12}, {@code 2026-01-12T06:00}) taken in the sites' time zone.
 */
record TimeArgument(String text, Instant instant, LocalDateTime local) {

    /** The parsed value, or empty when the text is none of the accepted forms. */
    static Optional<TimeArgument> parse(String text) {
        String t = text.trim();
        try {
            return Optional.of(new TimeArgument(text, OffsetDateTime.parse(t).toInstant(), null));
        } catch (DateTimeException e) {
            // not an offset date-time; try the local forms
        }
        try {
            return Optional.of(new TimeArgument(text, null, LocalDateTime.parse(t)));
        } catch (DateTimeException e) {
            // not a local date-time
        }
        try {
            return Optional.of(new TimeArgument(text, null, LocalDate.parse(t).atStartOfDay()));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    boolean isLocal() {
        return local != null;
    }

    /** The instant, a local value taken in {@code zone} (the earlier instant of a DST overlap). */
    Instant resolve(ZoneId zone) {
        return instant != null ? instant : local.atZone(zone).toInstant();
    }
}
