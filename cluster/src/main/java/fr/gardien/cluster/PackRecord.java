package fr.gardien.cluster;

import fr.gardien.model.Reading;
import fr.gardien.storage.write.QuarantineRecord;
import fr.gardien.storage.write.WriteBatch;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The value of a record of the readings topic: one pack's valid readings and its quarantined
 * records, exactly what a single-process gateway hands its writer. The key is the site, so that
 * a site's packs stay in one partition, in order.
 *
 * <p>Format version 1, big-endian, strings as an int byte length then UTF-8 (-1 for null):
 * <pre>
 * byte    version (1)
 * int     readings; each: int pointId, long epochMicros, byte kind (0 number, 1 string),
 *                         then double value (kind 0) or string text (kind 1)
 * int     quarantined; each: long receivedAt (µs since the epoch), string protocol,
 *                            string deviceId, string reason, string pointKey, string detail
 * </pre>
 * Nothing else of the device's payload travels: a quarantined record carries only the detail
 * that the quarantine table stores anyway. A reader meets an unknown version with
 * {@link IllegalArgumentException}: workers are upgraded before edges.
 */
public final class PackRecord {

    public static final byte VERSION = 1;
    private static final byte NUMBER = 0;
    private static final byte STRING = 1;

    private PackRecord() {
    }

    /** Encodes a pack's readings and quarantined records. */
    public static byte[] encode(WriteBatch batch) {
        int size = 1 + 4 + 4;
        for (Reading r : batch.readings()) {
            size += 4 + 8 + 1 + (r.text() == null ? 8 : 4 + utf8Length(r.text()));
        }
        for (QuarantineRecord q : batch.quarantined()) {
            size += 8 + 4 * 5 + utf8Length(q.protocol()) + utf8Length(q.deviceId()) + utf8Length(q.reason())
                    + utf8Length(q.pointKey()) + utf8Length(q.detail());
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(VERSION);
        out.putInt(batch.readings().size());
        for (Reading r : batch.readings()) {
            out.putInt(r.pointId()).putLong(r.epochMicros());
            if (r.text() == null) {
                out.put(NUMBER).putDouble(r.value());
            } else {
                out.put(STRING);
                putString(out, r.text());
            }
        }
        out.putInt(batch.quarantined().size());
        for (QuarantineRecord q : batch.quarantined()) {
            Instant at = q.receivedAt();
            out.putLong(Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000));
            putString(out, q.protocol());
            putString(out, q.deviceId());
            putString(out, q.reason());
            putString(out, q.pointKey());
            putString(out, q.detail());
        }
        return out.array();
    }

    /**
     * Decodes a record's value.
     *
     * @throws IllegalArgumentException for another version or a truncated or malformed value
     */
    public static WriteBatch decode(byte[] value) {
        try {
            ByteBuffer in = ByteBuffer.wrap(value);
            byte version = in.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("pack record of version " + version + ", this worker reads " + VERSION);
            }
            int readingCount = count(in);
            List<Reading> readings = new ArrayList<>(readingCount);
            for (int i = 0; i < readingCount; i++) {
                int pointId = in.getInt();
                long micros = in.getLong();
                byte kind = in.get();
                readings.add(switch (kind) {
                    case NUMBER -> Reading.numeric(pointId, micros, in.getDouble());
                    case STRING -> new Reading(pointId, micros, Double.NaN, getString(in));
                    default -> throw new IllegalArgumentException("unknown reading kind " + kind);
                });
            }
            int quarantineCount = count(in);
            List<QuarantineRecord> quarantined = new ArrayList<>(quarantineCount);
            for (int i = 0; i < quarantineCount; i++) {
                long micros = in.getLong();
                Instant at = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000);
                quarantined.add(new QuarantineRecord(at, getString(in), getString(in), getString(in), getString(in),
                        getString(in)));
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " bytes after the pack");
            }
            return new WriteBatch(readings, quarantined);
        } catch (BufferUnderflowException | NullPointerException e) {
            throw new IllegalArgumentException("truncated or malformed pack record", e);
        }
    }

    private static int count(ByteBuffer in) {
        int n = in.getInt();
        // Each entry takes at least 13 bytes: a count beyond what is left is a corrupt record, not an allocation.
        if (n < 0 || n > in.remaining()) {
            throw new IllegalArgumentException("impossible count " + n);
        }
        return n;
    }

    private static int utf8Length(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static void putString(ByteBuffer out, String s) {
        if (s == null) {
            out.putInt(-1);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.putInt(bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer in) {
        int length = in.getInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("impossible string length " + length);
        }
        String s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }
}
