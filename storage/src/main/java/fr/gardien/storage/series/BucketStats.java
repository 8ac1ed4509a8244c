package fr.gardien.storage.series;

import java.time.Instant;

/**
 * What is known of the numeric readings of one bucket, enough to answer every {@link Aggregate}.
 *
 * @param start the bucket's start
 * @param count readings (each time once)
 * @param sum their sum
 * @param min smallest value
 * @param max largest value
 * @param first value of the earliest reading
 * @param last value of the latest reading
 * @param increase the bucket's delta (see {@link Aggregate#DELTA})
 */
public record BucketStats(Instant start, long count, double sum, double min, double max, double first, double last,
                          double increase) {

    /** The value of {@code aggregate} for this bucket. */
    public double value(Aggregate aggregate) {
        return switch (aggregate) {
            case AVG -> sum / count;
            case MIN -> min;
            case MAX -> max;
            case SUM -> sum;
            case COUNT -> count;
            case LAST -> last;
            case DELTA -> increase;
        };
    }
}
