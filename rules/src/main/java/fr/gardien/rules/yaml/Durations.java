package fr.gardien.rules.yaml;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way durations are written in Gardien's YAML (rules, gateway configuration, ticketing):
 * a number and a unit ({@code 500ms}, {@code 30s}, {@code 15m}, {@code 2h}, {@code 3d}), a sum of
 * them ({@code 1h30m}), or ISO-8601 ({@code PT30S}). Each reader checks its own range.
 */
public final class Durations {

    private static final Pattern SUM = Pattern.compile("(?:\\d{1,12}(?:ms|s|m|h|d))+");
    private static final Pattern PART = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

    private Durations() {
    }

    /** The duration written, or {@code null} when the text is none of the forms above or is negative. */
    public static Duration parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            if (SUM.matcher(text).matches()) {
                Duration total = Duration.ZERO;
                Matcher part = PART.matcher(text);
                while (part.find()) {
                    long amount = Long.parseLong(part.group(1));
                    total = total.plus(switch (part.group(2)) {
                        case "ms" -> Duration.ofMillis(amount);
                        case "s" -> Duration.ofSeconds(amount);
                        case "m" -> Duration.ofMinutes(amount);
                        case "h" -> Duration.ofHours(amount);
                        default -> Duration.ofDays(amount);
                    });
                }
                return total;
            }
            if (text.startsWith("P") || text.startsWith("p")) {
                Duration iso = Duration.parse(text);
                return iso.isNegative() ? null : iso;
            }
        } catch (ArithmeticException | DateTimeParseException e) {
            return null;
        }
        return null;
    }

    /** Writes a duration in the short form when it is a whole number of one unit ({@code 10ms}, {@code 400d}), else ISO-8601. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (d.getNano() % 1_000_000 != 0) {
            return d.toString();
        }
        if (ms == 0) {
            return "0ms";
        }
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
        String[] units = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms % sizes[i] == 0) {
                return ms / sizes[i] + units[i];
            }
        }
        return d.toString();
    }
}
