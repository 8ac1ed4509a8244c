package fr.gardien.storage.series;

/**
 * Receives the delta (consumption, see {@link Aggregate#DELTA}) of each bucket of one range of a
 * {@link SeriesStore#deltas} query, range by range, as they are read.
 */
@FunctionalInterface
public interface DeltaSink {

    /**
     * One range's buckets that have readings, ascending. The arrays are the store's and are reused:
     * they are valid only during the call, and may be longer than {@code n}.
     *
     * @param index the range's position in the query
     * @param starts each bucket's start, in epoch seconds
     * @param deltas each bucket's delta
     * @param n how many buckets
     */
    void accept(int index, long[] starts, double[] deltas, int n);
}
