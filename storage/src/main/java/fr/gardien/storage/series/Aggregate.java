package fr.gardien.storage.series;

import java.util.Locale;

/** What a bucket of a series reports. */
public enum Aggregate {
    AVG, MIN, MAX, SUM, COUNT, LAST,
    /**
     * Consumption of a cumulative counter (a meter index) over the bucket: the sum of the positive
     * steps between consecutive readings, the step into the bucket's first reading included. A
     * decrease is a meter reset or replacement: it adds nothing, and the new index counts from its
     * first value.
     */
    DELTA;

    /** The aggregate written as {@code text} ({@code avg}, {@code delta}, ...), or {@code null}. */
    public static Aggregate parse(String text) {
        for (Aggregate a : values()) {
            if (a.text().equals(text)) {
                return a;
            }
        }
        return null;
    }

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
