package fr.gardien.rules;

import java.time.LocalTime;

/**
 * The part of each day, in the site's local time, when a rule is watched (e.g. 01:00–05:00 for
 * night flow). {@code from} is inclusive, {@code to} exclusive; a window whose {@code to} is
 * before its {@code from} spans midnight (22:00–06:00). On a DST night the window keeps its
 * local bounds, so it lasts an hour more or less in real time; a bound that falls in the
 * spring-forward gap moves forward by the gap, as {@link java.time.ZonedDateTime} does.
 */
public record LocalWindow(LocalTime from, LocalTime to) {

    public LocalWindow {
        if (from.equals(to)) {
            throw new IllegalArgumentException("a window needs two different times, got " + from + " twice");
        }
    }

    /** Whether the window spans midnight. */
    public boolean wraps() {
        return to.isBefore(from);
    }
}
