package fr.gardien.storage.series;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which source the planner picks, by bucket and zone. */
class SeriesPlanTest {

    private static final List<PointRange> RANGES = List.of(new PointRange(1, ZoneId.of("Europe/Paris"),
            Instant.parse("2026-10-19T22:00:00Z"), Instant.parse("2026-10-20T22:00:00Z")));

    /** 1 h buckets from the hourly rollups, local days from the daily ones, buckets under an hour from raw readings. */
    @Test
    void eachBucketComesFromTheLargestRollupThatDividesIt() {
        assertThat(SeriesSource.plan(RANGES, Bucket.HOUR)).isEqualTo(SeriesSource.HOURLY);
        assertThat(SeriesSource.plan(RANGES, Bucket.DAY)).isEqualTo(SeriesSource.DAILY);
        assertThat(SeriesSource.plan(RANGES, Bucket.WEEK)).isEqualTo(SeriesSource.DAILY);
        assertThat(SeriesSource.plan(RANGES, Bucket.parse("15m"))).isEqualTo(SeriesSource.RAW);
    }

    /** A zone with a non-whole-hour offset cannot take its days from UTC hours: raw readings then. */
    @Test
    void daysOfAZoneWithAHalfHourOffsetComeFromRawReadings() {
        List<PointRange> kolkata = List.of(new PointRange(1, ZoneId.of("Asia/Kolkata"),
                Instant.parse("2026-10-19T18:30:00Z"), Instant.parse("2026-10-20T18:30:00Z")));
        assertThat(SeriesSource.plan(kolkata, Bucket.DAY)).isEqualTo(SeriesSource.RAW);
    }
}
