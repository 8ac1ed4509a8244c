package fr.gardien.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.gardien.model.ApiToken;
import fr.gardien.model.PointKey;
import fr.gardien.model.RegisteredPoint;
import fr.gardien.storage.series.Aggregate;
import fr.gardien.storage.series.Bucket;
import fr.gardien.storage.series.BucketStats;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The occupancy rule, for each role, bucket and aggregate. */
class OccupancyPolicyTest {

    private static final RegisteredPoint PEOPLE = new RegisteredPoint(1, PointKey.parse("tilleuls/hall/count"),
            "people-counter", "count", "occupancy");
    private static final RegisteredPoint TEMPERATURE = new RegisteredPoint(2, PointKey.parse("tilleuls/boiler-1/supply_temp"),
            "boiler", "Cel", "heat");
    private static final ApiToken ADMIN = new ApiToken("admin", "h", "admin", List.of("*"));
    private static final ApiToken MANAGER = new ApiToken("manager", "h", "building-manager", List.of("tilleuls"));
    private static final ApiToken ENERGY = new ApiToken("energy", "h", "energy-analyst", List.of("*"));

    private final OccupancyPolicy policy = new OccupancyPolicy(5);

    /** Raw occupancy readings and buckets under 15 minutes are refused to every role; 15 minutes and more are allowed. */
    @Test
    void occupancyNeedsBucketsOfAtLeastFifteenMinutes() {
        assertThat(policy.refusal(PEOPLE, null, null)).contains("at least 15m");
        assertThat(policy.refusal(PEOPLE, Bucket.MINUTE, Aggregate.SUM)).contains("at least 15m");
        assertThat(policy.refusal(PEOPLE, Bucket.FIVE_MINUTES, Aggregate.SUM)).contains("at least 15m");
        for (Bucket b : List.of(Bucket.FIFTEEN_MINUTES, Bucket.HALF_HOUR, Bucket.HOUR, Bucket.DAY, Bucket.WEEK, Bucket.MONTH)) {
            assertThat(policy.refusal(PEOPLE, b, Aggregate.SUM)).as(b.text()).isNull();
        }
    }

    /** Occupancy is served as sums, counts and averages only: min, max and last would show a single reading. */
    @Test
    void occupancyIsServedOnlyAsSumCountOrAverage() {
        for (Aggregate a : Aggregate.values()) {
            boolean allowed = a == Aggregate.SUM || a == Aggregate.COUNT || a == Aggregate.AVG;
            assertThat(policy.refusal(PEOPLE, Bucket.HOUR, a) == null).as(a.text()).isEqualTo(allowed);
        }
    }

    /** Other categories are not concerned: raw readings, any bucket, any aggregate, never suppressed. */
    @Test
    void otherPointsAreNotConcerned() {
        assertThat(policy.refusal(TEMPERATURE, null, null)).isNull();
        assertThat(policy.refusal(TEMPERATURE, Bucket.MINUTE, Aggregate.LAST)).isNull();
        assertThat(policy.suppressed(MANAGER, TEMPERATURE, bucket(0))).isFalse();
    }

    /** Below the minimum, buckets are suppressed for managers and admins, never for the energy team; the minimum itself is served. */
    @Test
    void smallCountsAreSuppressedForEveryRoleButTheEnergyTeam() {
        for (ApiToken token : List.of(ADMIN, MANAGER)) {
            assertThat(policy.suppressed(token, PEOPLE, bucket(4))).as(token.role()).isTrue();
            assertThat(policy.suppressed(token, PEOPLE, bucket(0))).as(token.role()).isTrue();
            assertThat(policy.suppressed(token, PEOPLE, bucket(5))).as(token.role()).isFalse();
            assertThat(policy.suppressed(token, PEOPLE, bucket(40))).as(token.role()).isFalse();
        }
        assertThat(policy.suppressed(ENERGY, PEOPLE, bucket(0))).isFalse();
        assertThat(policy.suppressed(ENERGY, PEOPLE, bucket(4))).isFalse();
    }

    /** The minimum is configurable; it must be positive. */
    @Test
    void theMinimumIsConfigurable() {
        OccupancyPolicy strict = new OccupancyPolicy(10);
        assertThat(strict.suppressed(MANAGER, PEOPLE, bucket(9))).isTrue();
        assertThat(strict.suppressed(MANAGER, PEOPLE, bucket(10))).isFalse();
        assertThatThrownBy(() -> new OccupancyPolicy(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static BucketStats bucket(double people) {
        return new BucketStats(Instant.parse("2026-10-24T00:00:00Z"), 3, people, 0, people, 0, 0, 0);
    }
}
