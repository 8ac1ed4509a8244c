package fr.gardien.storage.write;

import fr.gardien.model.Reading;
import fr.gardien.storage.db.Text;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes readings in PostgreSQL's binary COPY format for
 * {@code COPY readings (point_id, ts, value, text) FROM STDIN (FORMAT binary)}: the 19-byte
 * header, one tuple per reading (int4, timestamptz as int64 microseconds since 2000-01-01 UTC,
 * float8 or NULL, text or NULL), and the -1 trailer (PostgreSQL docs, "COPY", Binary Format).
 * One instance per writer thread; its buffer is reused.
 */
final class CopyEncoder {

    static final String SQL = "COPY readings (point_id, ts, value, text) FROM STDIN (FORMAT binary)";
    /** 2000-01-01T00:00:00Z in microseconds since the Unix epoch. */
    static final long PG_EPOCH_MICROS = 946_684_800_000_000L;
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0,
        0, 0, 0, 0, // flags: no OIDs
        0, 0, 0, 0}; // header extension length

    private byte[] buf = new byte[64 * 1024];
    private int len;

    /** Encodes the whole COPY stream; the result is valid until the next call. */
    CopyEncoder encode(Iterable<Reading> readings) {
        len = 0;
        put(HEADER);
        for (Reading r : readings) {
            ensure(2 + 8 + 12 + 12 + 4);
            putShort(4);
            putInt(4);
            putInt(r.pointId());
            putInt(8);
            putLong(r.epochMicros() - PG_EPOCH_MICROS);
            boolean string = Double.isNaN(r.value()) && r.text() != null;
            if (string) {
                putInt(-1);
            } else {
                putInt(8);
                putLong(Double.doubleToLongBits(r.value()));
            }
            if (r.text() == null) {
                putInt(-1);
            } else {
                byte[] text = Text.storable(r.text()).getBytes(StandardCharsets.UTF_8);
                ensure(4 + text.length);
                putInt(text.length);
                put(text);
            }
        }
        ensure(2);
        putShort(-1);
        return this;
    }

    byte[] bytes() {
        return buf;
    }

    int length() {
        return len;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }

    private void put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    private void putShort(int v) {
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void putInt(int v) {
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }
}
