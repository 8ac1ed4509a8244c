package fr.gardien.storage.series;

import fr.gardien.model.Reading;
import fr.gardien.storage.db.StorageException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rollup log's unit: what one writer transaction adds to each (point, UTC hour) it touches,
 * as a {@link RollupFold} (a "segment"). The batch writer computes the segments of its
 * transaction here, in memory, and stores them as one {@code rollup_log} row beside the readings
 * (V9__rollup_log.sql); the rollup passes and the real-time series queries read them back.
 *
 * <p>The encoding is a version byte, a segment count, then per segment the point id, the hour
 * (hours since the epoch), the count, sum, min, max, first time and value, last time and value,
 * and the increase: 76 bytes, big-endian.
 */
final class RollupSegments {

    static final long MICROS_PER_HOUR = 3_600_000_000L;
    private static final byte VERSION = 1;
    private static final int SEGMENT_BYTES = 4 + 4 + 4 + 8 * 3 + 8 + 8 + 8 + 8 + 8;

    /** One segment: a point, an hour, and the fold of that transaction's readings in it. */
    record Segment(int pointId, int hour, RollupFold fold) {
        long key() {
            return key(pointId, hour);
        }

        static long key(int pointId, int hour) {
            return ((long) pointId << 32) | (hour & 0xffffffffL);
        }

        static int pointOf(long key) {
            return (int) (key >>> 32);
        }

        static int hourOf(long key) {
            return (int) key;
        }
    }

    private RollupSegments() {
    }

    /**
     * The segments of some readings: their numeric ones (string readings are not rolled up), one
     * segment per (point, hour), each time once (see {@link RollupFold#of}).
     */
    static List<Segment> of(Iterable<Reading> readings) {
        Map<Long, Run> runs = new HashMap<>();
        Run previous = null;
        long previousKey = 0;
        for (Reading r : readings) {
            if (r.text() != null || Double.isNaN(r.value())) {
                continue;
            }
            int hour = (int) Math.floorDiv(r.epochMicros(), MICROS_PER_HOUR);
            long key = Segment.key(r.pointId(), hour);
            // Packs list a point's readings together more often than not: skip the map lookup then.
            Run run = previous != null && key == previousKey ? previous : runs.computeIfAbsent(key, k -> new Run());
            run.add(r.epochMicros(), r.value());
            previous = run;
            previousKey = key;
        }
        List<Segment> segments = new ArrayList<>(runs.size());
        runs.forEach((key, run) -> segments.add(new Segment(Segment.pointOf(key), Segment.hourOf(key),
                RollupFold.of(run.micros, run.values, run.n))));
        return segments;
    }

    static byte[] encode(List<Segment> segments) {
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + segments.size() * SEGMENT_BYTES);
        b.put(VERSION).putInt(segments.size());
        for (Segment s : segments) {
            RollupFold f = s.fold();
            b.putInt(s.pointId()).putInt(s.hour()).putInt(Math.toIntExact(f.count))
                    .putDouble(f.sum).putDouble(f.min).putDouble(f.max)
                    .putLong(f.firstMicros).putDouble(f.first).putLong(f.lastMicros).putDouble(f.last)
                    .putDouble(f.increase);
        }
        return b.array();
    }

    /** Calls {@code sink} with each segment of an encoded row whose point {@code wanted} accepts. */
    static void decode(byte[] bytes, java.util.function.IntPredicate wanted, java.util.function.Consumer<Segment> sink) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte version = b.get();
        if (version != VERSION) {
            throw new StorageException("rollup log row of unknown version " + version);
        }
        int n = b.getInt();
        if (bytes.length != 1 + 4 + (long) n * SEGMENT_BYTES) {
            throw new StorageException("rollup log row of " + bytes.length + " bytes for " + n + " segments");
        }
        for (int i = 0; i < n; i++) {
            int point = b.getInt();
            if (!wanted.test(point)) {
                b.position(b.position() + SEGMENT_BYTES - 4);
                continue;
            }
            int hour = b.getInt();
            int count = b.getInt();
            sink.accept(new Segment(point, hour, new RollupFold(count, b.getDouble(), b.getDouble(), b.getDouble(),
                    b.getLong(), b.getDouble(), b.getLong(), b.getDouble(), b.getDouble())));
        }
    }

    /** A growable run of one (point, hour)'s times and values. */
    private static final class Run {
        long[] micros = new long[8];
        double[] values = new double[8];
        int n;

        void add(long t, double v) {
            if (n == micros.length) {
                micros = Arrays.copyOf(micros, n * 2);
                values = Arrays.copyOf(values, n * 2);
            }
            micros[n] = t;
            values[n] = v;
            n++;
        }
    }
}
