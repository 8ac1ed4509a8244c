package fr.gardien.storage;

/** Where a bucketed series is computed from. */
public enum SeriesSource {
    /** The planner's choice: the largest rollup that divides the bucket, raw readings below an hour. */
    AUTO,
    RAW,
    /** readings_1h. */
    HOURLY,
    /**
     * readings_1h_cagg, TimescaleDB's continuous aggregate ({@code Database#continuousAggregate()}):
     * 1 h buckets and longer fixed ones, every aggregate but delta.
     */
    CONTINUOUS,
    /** readings_1d, per local day of the site. */
    DAILY
}
