package fr.gardien.storage.series;

import java.util.List;

/** Where a bucketed series is computed from. */
public enum SeriesSource {
    /** The planner's choice: the largest rollup that divides the bucket, raw readings below an hour. */
    AUTO,
    RAW,
    /** readings_1h, with the rollup log's unfolded segments. */
    HOURLY,
    /** readings_1d, per local day of the site, with the rollup log's unfolded segments. */
    DAILY;

    /**
     * The source {@link #AUTO} picks: hourly rollups for 1 h buckets, daily rollups
     * for days, weeks and months when every zone has whole-hour offsets over its range (else raw
     * readings), raw readings below an hour.
     */
    public static SeriesSource plan(List<PointRange> ranges, Bucket bucket) {
        if (bucket == Bucket.HOUR) {
            return HOURLY;
        }
        if (bucket.calendar()) {
            for (PointRange r : ranges) {
                if (!Bucket.wholeHours(r.zone(), r.from(), r.to())) {
                    return RAW;
                }
            }
            return DAILY;
        }
        return RAW;
    }
}
