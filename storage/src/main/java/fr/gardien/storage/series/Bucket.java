package fr.gardien.storage.series;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * The bucket sizes of bucketed series. Up to an hour a bucket is a fixed length aligned on the
 * Unix epoch (so on UTC hours); a day, a week (from Monday) and a month follow the site's time
 * zone, DST included: a day in late October in Europe/Paris lasts 25 hours.
 */
public enum Bucket {
    MINUTE("1m", 60),
    FIVE_MINUTES("5m", 300),
    FIFTEEN_MINUTES("15m", 900),
    HALF_HOUR("30m", 1_800),
    HOUR("1h", 3_600),
    DAY("1d", 0),
    WEEK("1w", 0),
    MONTH("1mo", 0);

    private final String text;
    private final long seconds;

    Bucket(String text, long seconds) {
        this.text = text;
        this.seconds = seconds;
    }

    /** The bucket written as {@code text} ({@code 15m}, {@code 1mo}, ...), or {@code null}. */
    public static Bucket parse(String text) {
        for (Bucket b : values()) {
            if (b.text.equals(text)) {
                return b;
            }
        }
        return null;
    }

    /** How the API writes it. */
    public String text() {
        return text;
    }

    /** True for the buckets that follow a time zone: day, week, month. */
    public boolean calendar() {
        return seconds == 0;
    }

    /** The usual length (a day: 24 h, a month: 31 days), to bound the number of buckets asked for. */
    public Duration nominal() {
        return switch (this) {
            case DAY -> Duration.ofDays(1);
            case WEEK -> Duration.ofDays(7);
            case MONTH -> Duration.ofDays(28);
            default -> Duration.ofSeconds(seconds);
        };
    }

    /** The start of the bucket that contains {@code t}. */
    public Instant floor(Instant t, ZoneId zone) {
        if (!calendar()) {
            return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), seconds) * seconds);
        }
        LocalDate date = t.atZone(zone).toLocalDate();
        date = switch (this) {
            case WEEK -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> date.withDayOfMonth(1);
            default -> date;
        };
        return date.atStartOfDay(zone).toInstant();
    }

    /** The start of the bucket after the one starting at {@code start}. */
    public Instant next(Instant start, ZoneId zone) {
        if (!calendar()) {
            return start.plusSeconds(seconds);
        }
        LocalDate date = start.atZone(zone).toLocalDate();
        date = switch (this) {
            case WEEK -> date.plusWeeks(1);
            case MONTH -> date.plusMonths(1);
            default -> date.plusDays(1);
        };
        return date.atStartOfDay(zone).toInstant();
    }

    /** {@code t} if it starts a bucket, else the start of the next bucket: a range end made whole. */
    public Instant ceil(Instant t, ZoneId zone) {
        Instant floor = floor(t, zone);
        return floor.equals(t) ? t : next(floor, zone);
    }

    /**
     * True when every offset of {@code zone} over [from, to) is a whole number of hours: then each
     * UTC hour falls whole into one local day, and days can be summed from hourly rollups.
     */
    static boolean wholeHours(ZoneId zone, Instant from, Instant to) {
        ZoneRules rules = zone.getRules();
        if (rules.getOffset(from).getTotalSeconds() % 3600 != 0) {
            return false;
        }
        for (ZoneOffsetTransition tr = rules.nextTransition(from); tr != null && tr.getInstant().isBefore(to);
                tr = rules.nextTransition(tr.getInstant())) {
            if (tr.getOffsetAfter().getTotalSeconds() % 3600 != 0) {
                return false;
            }
        }
        return true;
    }
}
