package fr.gardien.gateway.ingest.senml;

/** Resolution of SenML times (RFC 8428 §4.5.3) to epoch microseconds, without allocation. */
final class SenmlTime {

    /** Resolved times below 2^28 s are relative to the receive time (RFC 8428 §4.5.3). */
    static final double RELATIVE_BELOW_SECONDS = 268_435_456d;
    /** 9999-12-31T23:59:59.999999Z: beyond that no calendar or database column follows. */
    static final long MAX_EPOCH_MICROS = 253_402_300_799_999_999L;
    /** Returned by {@link #resolve} for a time that is not finite or out of range. */
    static final long INVALID = Long.MIN_VALUE;

    // Larger magnitudes cannot yield a time before 9999, and this bound keeps every sum below in a long.
    private static final double MAX_ABS_SECONDS = 1e12;

    private SenmlTime() {
    }

    /**
     * @param baseTime {@code bt} in seconds (0 when absent)
     * @param time {@code t} in seconds (0 when absent)
     * @return the absolute time in epoch microseconds, or {@link #INVALID}
     */
    static long resolve(double baseTime, double time, long nowEpochMicros) {
        // Written as !(x <= max) so that NaN is refused too.
        if (!(Math.abs(baseTime) <= MAX_ABS_SECONDS) || !(Math.abs(time) <= MAX_ABS_SECONDS)) {
            return INVALID;
        }
        // Converted separately, then added as longs: a small t keeps its microseconds next to a large bt.
        long micros = toMicros(baseTime) + toMicros(time);
        if (baseTime + time < RELATIVE_BELOW_SECONDS) {
            micros += nowEpochMicros;
        }
        return micros < 0 || micros > MAX_EPOCH_MICROS ? INVALID : micros;
    }

    /** Seconds to microseconds, exact to the double's own precision (|seconds| ≤ 1e12). */
    static long toMicros(double seconds) {
        // Splitting keeps the fraction out of the 2^53 mantissa shared with the whole seconds:
        // seconds * 1e6 on a 2025 date would already sit at 0.25 µs granularity before rounding.
        long whole = (long) seconds;
        return whole * 1_000_000L + Math.round((seconds - whole) * 1e6);
    }
}
