package fr.gardien.storage.series;

/** Where a bucketed series is computed from. */
public enum SeriesSource {
    /** The planner's choice: the largest rollup that divides the bucket, raw readings below an hour. */
    AUTO,
    RAW,
    /** readings_1h, with the rollup log's unfolded segments. */
    HOURLY,
    /** readings_1d, per local day of the site, with the rollup log's unfolded segments. */
    DAILY
}
