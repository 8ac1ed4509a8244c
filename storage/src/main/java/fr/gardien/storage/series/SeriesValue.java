package fr.gardien.storage.series;

import java.time.Instant;

/**
 * One stored value of a point.
 *
 * @param value the numeric value, NaN for a string value
 * @param text the string value, or {@code null}
 */
public record SeriesValue(Instant time, double value, String text) {
}
