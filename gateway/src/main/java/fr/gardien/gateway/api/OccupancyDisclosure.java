package fr.gardien.gateway.api;

import fr.gardien.storage.series.Bucket;
import fr.gardien.storage.series.BucketStats;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What of an occupancy point a role other than the energy team may learn (issue 14). The unit of
 * disclosure is the 15-minute bucket ("quarter"), computed from the raw readings:
 * <ul>
 *   <li>a quarter is disclosed only once <em>closed</em> ({@link #GRACE} after its end), so that
 *       polling a bucket still filling never shows a new reading as the difference of two polls;</li>
 *   <li>a closed quarter is <em>visible</em> when it counts at least the minimum of people;</li>
 *   <li>every value served at any bucket size (15 min to a month) is the sum (count, average) of
 *       the visible quarters it contains, and of nothing else.</li>
 * </ul>
 * So any combination of answers (a larger bucket minus its parts, two overlapping ranges, two
 * polls) is a combination of visible quarters, each of which is served on its own: nothing of a
 * quarter below the minimum, nor of one still filling, can be recovered.
 */
public final class OccupancyDisclosure {

    /** How long after its end a quarter is closed: readings of the quarter arriving later are late data. */
    public static final Duration GRACE = Duration.ofMinutes(15);
    static final Bucket QUARTER = OccupancyPolicy.MIN_BUCKET;

    private final int minCount;

    /** With the minimum of {@code policy} (validated there). */
    public OccupancyDisclosure(OccupancyPolicy policy) {
        this.minCount = policy.minCount();
    }

    /** The end of the closed quarters at {@code now}: every quarter ending at or before it is closed. */
    public static Instant closedUntil(Instant now) {
        return QUARTER.floor(now.minus(GRACE), ZoneId.of("UTC"));
    }

    /**
     * Folds the quarters of one point into buckets of {@code bucket}: a bucket is listed when it
     * holds at least one closed quarter with readings; its count and sum are those of its visible
     * quarters, both 0 when none is visible (then {@link OccupancyPolicy#suppressed} hides it).
     *
     * @param quarters the point's 15-minute buckets, ascending, from its raw readings
     * @return the buckets, ascending
     */
    public List<BucketStats> fold(List<BucketStats> quarters, Bucket bucket, ZoneId zone, Instant now) {
        Instant closed = closedUntil(now);
        Map<Instant, BucketStats> out = new LinkedHashMap<>();
        for (BucketStats q : quarters) {
            if (QUARTER.next(q.start(), zone).isAfter(closed)) {
                continue; // still filling (or within the grace): not disclosed at all
            }
            Instant start = bucket.floor(q.start(), zone);
            BucketStats sofar = out.getOrDefault(start, visible(start, 0, 0));
            // Yes, < is intentional: a quarter counting exactly the minimum is visible.
            out.put(start, q.sum() < minCount ? sofar : visible(start, sofar.count() + q.count(), sofar.sum() + q.sum()));
        }
        return new ArrayList<>(out.values());
    }

    /** Only count and sum are known of a visible fold: min, max, first, last and delta are never served. */
    private static BucketStats visible(Instant start, long count, double sum) {
        return new BucketStats(start, count, sum, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
}
