package fr.gardien.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which source the planner picks, by bucket, aggregate and whether the continuous aggregate exists. */
class SeriesPlanTest {

    private static final List<PointRange> RANGES = List.of(new PointRange(1, ZoneId.of("Europe/Paris"),
            Instant.parse("2026-10-19T22:00:00Z"), Instant.parse("2026-10-20T22:00:00Z")));

    /** With the continuous aggregate, 1 h buckets of every aggregate but delta come from it; delta from the gateway's hours. */
    @Test
    void hoursComeFromTheContinuousAggregateForEveryAggregateButDelta() {
        for (Aggregate a : Aggregate.values()) {
            assertThat(SeriesStore.plan(RANGES, Bucket.HOUR, a, true)).as(a.text())
                    .isEqualTo(a == Aggregate.DELTA ? SeriesSource.HOURLY : SeriesSource.CONTINUOUS);
        }
        assertThat(SeriesStore.plan(RANGES, Bucket.HOUR, null, true)).as("all aggregates").isEqualTo(SeriesSource.HOURLY);
    }

    /** Without it (plain PostgreSQL), the plan is the gateway's rollups as before, whatever the aggregate. */
    @Test
    void withoutTheContinuousAggregateHoursComeFromTheGatewayRollup() {
        for (Aggregate a : Aggregate.values()) {
            assertThat(SeriesStore.plan(RANGES, Bucket.HOUR, a, false)).as(a.text()).isEqualTo(SeriesSource.HOURLY);
        }
        assertThat(SeriesStore.plan(RANGES, Bucket.HOUR)).isEqualTo(SeriesSource.HOURLY);
    }

    /** Local days come from the daily rollup and buckets under an hour from raw readings, continuous aggregate or not. */
    @Test
    void daysAndShortBucketsDoNotDependOnTheContinuousAggregate() {
        for (boolean continuous : new boolean[] {true, false}) {
            for (Aggregate a : Aggregate.values()) {
                assertThat(SeriesStore.plan(RANGES, Bucket.DAY, a, continuous)).isEqualTo(SeriesSource.DAILY);
                assertThat(SeriesStore.plan(RANGES, Bucket.parse("15m"), a, continuous)).isEqualTo(SeriesSource.RAW);
            }
        }
    }
}
