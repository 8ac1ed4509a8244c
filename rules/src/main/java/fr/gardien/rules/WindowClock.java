package fr.gardien.rules;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * Answers "is this instant inside the local-time window?" on the hot path: the answer is cached
 * for the whole stretch of time it stays the same (until the next bound), so time zone rules
 * are consulted about twice a day per instance.
 */
final class WindowClock {

    private final LocalWindow window;
    private final ZoneId zone;
    private long cachedFrom = 1;
    private long cachedTo = 0;
    private boolean inside;

    WindowClock(LocalWindow window, ZoneId zone) {
        this.window = window;
        this.zone = zone;
    }

    boolean contains(long epochMicros) {
        if (epochMicros < cachedFrom || epochMicros >= cachedTo) {
            locate(epochMicros);
        }
        return inside;
    }

    private void locate(long t) {
        LocalDate day = Instant.ofEpochSecond(Math.floorDiv(t, 1_000_000L)).atZone(zone).toLocalDate();
        long lastEnd = Long.MIN_VALUE;
        long nextStart = Long.MAX_VALUE;
        // The windows that start on the days around t: one of them holds t, or t lies between two.
        for (int k = -2; k <= 1; k++) {
            LocalDate start = day.plusDays(k);
            long s = micros(start, window.from());
            long e = micros(window.wraps() ? start.plusDays(1) : start, window.to());
            if (s <= t && t < e) {
                inside = true;
                cachedFrom = s;
                cachedTo = e;
                return;
            }
            if (e <= t) {
                lastEnd = Math.max(lastEnd, e);
            }
            if (s > t) {
                nextStart = Math.min(nextStart, s);
            }
        }
        inside = false;
        cachedFrom = lastEnd;
        cachedTo = nextStart;
    }

    private long micros(LocalDate day, LocalTime time) {
        Instant at = ZonedDateTime.of(day, time, zone).toInstant();
        return at.getEpochSecond() * 1_000_000L + at.getNano() / 1000;
    }
}
