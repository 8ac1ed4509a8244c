package fr.gardien.storage.series;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * One point's part of a bucketed query.
 *
 * @param pointId the point's registry id
 * @param zone its site's time zone (days, weeks and months)
 * @param from start, inclusive, on a bucket boundary
 * @param to end, exclusive, on a bucket boundary
 */
public record PointRange(int pointId, ZoneId zone, Instant from, Instant to) {
    public PointRange {
        Objects.requireNonNull(zone, "zone");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
    }
}
