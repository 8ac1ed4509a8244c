package fr.gardien.gateway.api;

import fr.gardien.model.ApiToken;
import fr.gardien.model.RegisteredPoint;
import fr.gardien.storage.series.Aggregate;
import fr.gardien.storage.series.Bucket;
import fr.gardien.storage.series.BucketStats;
import java.util.EnumSet;
import java.util.Set;

/**
 * The one place where the occupancy rule lives (product brief: occupancy of common areas is
 * personal data). Points of category {@code occupancy} count people per interval; they are:
 * <ul>
 *   <li>served only aggregated, in buckets of at least 15 minutes, to every role;</li>
 *   <li>only as sums, counts of readings or averages: min, max and last would give a single
 *       reading's count, delta has no meaning for counts of an interval;</li>
 *   <li>to every role but the energy team ({@code energy-analyst}), only for buckets whose people
 *       count (the bucket's sum) reaches the minimum ({@code api.occupancy-min-count}); below it
 *       the value is suppressed;</li>
 *   <li>to those roles, every bucket is built from closed 15-minute buckets that reach the
 *       minimum only ({@link OccupancyDisclosure}), so that no difference of answers recovers a
 *       suppressed one.</li>
 * </ul>
 */
public final class OccupancyPolicy {

    public static final String CATEGORY = "occupancy";
    public static final Bucket MIN_BUCKET = Bucket.FIFTEEN_MINUTES;
    static final String ENERGY_ROLE = "energy-analyst";
    static final Set<Aggregate> AGGREGATES = EnumSet.of(Aggregate.SUM, Aggregate.COUNT, Aggregate.AVG);

    private final int minCount;

    public OccupancyPolicy(int minCount) {
        if (minCount < 1) {
            throw new IllegalArgumentException("minCount must be positive, was " + minCount);
        }
        this.minCount = minCount;
    }

    public static boolean applies(RegisteredPoint point) {
        return CATEGORY.equals(point.category());
    }

    /**
     * Why {@code point} may not be served with that bucket and aggregate, or {@code null} when it
     * may. A {@code null} bucket asks for raw readings.
     */
    public String refusal(RegisteredPoint point, Bucket bucket, Aggregate aggregate) {
        if (!applies(point)) {
            return null;
        }
        if (bucket == null || bucket.compareTo(MIN_BUCKET) < 0) {
            return "occupancy point " + point.key() + " is served only in buckets of at least " + MIN_BUCKET.text()
                    + " (bucket=15m, 30m, 1h, 1d, 1w or 1mo)";
        }
        if (!AGGREGATES.contains(aggregate)) {
            return "occupancy point " + point.key() + " is served only as agg=sum, count or avg";
        }
        return null;
    }

    /** True when {@code token} may not see this bucket of {@code point}: too few people counted. */
    public boolean suppressed(ApiToken token, RegisteredPoint point, BucketStats bucket) {
        // Yes, < is intentional: a bucket counting exactly the minimum is served.
        return restricted(token, point) && bucket.sum() < minCount;
    }

    /**
     * True when {@code token} sees {@code point} only through {@link OccupancyDisclosure}: an
     * occupancy point, for every role but the energy team.
     */
    public boolean restricted(ApiToken token, RegisteredPoint point) {
        return applies(point) && !ENERGY_ROLE.equals(token.role());
    }

    public int minCount() {
        return minCount;
    }
}
