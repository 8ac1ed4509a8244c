package fr.gardien.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The key of a measured point: {@code site/equipment/point}, the SenML resolved name of its
 * readings (contract: "Telemetry payload").
 */
public record PointKey(String site, String equipment, String point) {

    /** Site and equipment ids: lower-case letters, digits and dashes (contract: portfolio file). */
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** Point names: lower-case letters, digits and underscores, as in the point vocabulary. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_]{0,62}");

    public PointKey {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(equipment, "equipment");
        Objects.requireNonNull(point, "point");
    }

    /**
     * Parses {@code site/equipment/point}.
     *
     * @return the key, or {@code null} when the text is not of that shape
     */
    public static PointKey parse(String text) {
        int first = text.indexOf('/');
        if (first <= 0) {
            return null;
        }
        int second = text.indexOf('/', first + 1);
        if (second <= first + 1 || second == text.length() - 1 || text.indexOf('/', second + 1) >= 0) {
            return null;
        }
        String site = text.substring(0, first);
        String equipment = text.substring(first + 1, second);
        String point = text.substring(second + 1);
        if (!ID.matcher(site).matches() || !ID.matcher(equipment).matches() || !NAME.matcher(point).matches()) {
            return null;
        }
        return new PointKey(site, equipment, point);
    }

    @Override
    public String toString() {
        return site + '/' + equipment + '/' + point;
    }
}
