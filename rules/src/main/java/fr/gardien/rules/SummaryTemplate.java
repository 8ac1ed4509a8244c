package fr.gardien.rules;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A summary text with {@code {placeholders}}, compiled once. Numbers are shown with at most one
 * decimal (a comma in French), durations as {@code 45 min} or {@code 2 h 10 min}.
 */
final class SummaryTemplate {

    static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_][a-z0-9_]*)}");
    /** Placeholders the engine fills whatever the detector. */
    static final Set<String> STANDARD = Set.of("value", "threshold", "duration", "equipment", "site", "since",
            "duration_minutes");
    private static final MathContext TWO_DIGITS = new MathContext(2, RoundingMode.HALF_UP);
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    private final List<String> parts; // even index: literal, odd index: placeholder name
    private final boolean french;

    SummaryTemplate(String text, boolean french) {
        this.french = french;
        this.parts = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        int at = 0;
        while (m.find()) {
            parts.add(text.substring(at, m.start()));
            parts.add(m.group(1));
            at = m.end();
        }
        parts.add(text.substring(at));
    }

    /** The placeholder names of a text. */
    static List<String> placeholders(String text) {
        return PLACEHOLDER.matcher(text).results().map(m -> m.group(1)).toList();
    }

    String render(Map<String, Double> figures, String site, String equipment, ZoneId zone, Instant from, Instant to) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i);
            if (i % 2 == 0) {
                out.append(part);
                continue;
            }
            switch (part) {
                case "site" -> out.append(site);
                case "equipment" -> out.append(equipment);
                case "since" -> out.append(HH_MM.format(from.atZone(zone)));
                case "duration" -> out.append(duration((to.getEpochSecond() - from.getEpochSecond()) / 60, french));
                default -> {
                    Double value = figures.get(part);
                    out.append(value == null ? "?" : number(value, french));
                }
            }
        }
        return out.toString();
    }

    /**
     * At most one decimal, none when round: 55, 54.3 (54,3 in French). Below 1 in magnitude, two
     * significant digits (0.05, -0.042), since one decimal would show a 0.05 m3/h threshold as 0.1
     * and a pressure falling by 0.04 bar/h as 0.
     */
    static String number(double value, boolean french) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "?";
        }
        if (value != 0 && Math.abs(value) < 1) {
            BigDecimal d = new BigDecimal(value).round(TWO_DIGITS).stripTrailingZeros();
            if (d.abs().compareTo(BigDecimal.ONE) < 0) {
                String text = d.toPlainString();
                return french ? text.replace('.', ',') : text;
            }
        }
        long tenths = Math.round(value * 10);
        String sign = tenths < 0 ? "-" : "";
        long abs = Math.abs(tenths);
        String text = sign + (abs / 10) + (abs % 10 == 0 ? "" : (french ? "," : ".") + (abs % 10));
        return text;
    }

    /** {@code 45 min}, {@code 2 h 10 min}, {@code 3 d 2 h} ({@code 3 j 2 h} in French). */
    static String duration(long minutes, boolean french) {
        long m = Math.max(0, minutes);
        if (m < 60) {
            return m + " min";
        }
        if (m < 24 * 60) {
            return (m / 60) + " h" + (m % 60 == 0 ? "" : " " + (m % 60) + " min");
        }
        long days = m / (24 * 60);
        long hours = (m % (24 * 60)) / 60;
        return days + (french ? " j" : " d") + (hours == 0 ? "" : " " + hours + " h");
    }
}
