package fr.gardien.storage.write;

import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.model.Reading;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

class CopyEncoderTest {

    private static final long MICROS_2000 = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse("2000-01-01T00:00:00Z"));

    /** The stream has PostgreSQL's binary COPY header, tuples of four fields with times shifted to the 2000 epoch, and the trailer. */
    @Test
    void encodesTheBinaryCopyFormat() {
        long t = MICROS_2000 + 1_500_000;
        CopyEncoder encoder = new CopyEncoder().encode(List.of(Reading.numeric(7, t, 21.5)));
        ByteBuffer b = ByteBuffer.wrap(encoder.bytes(), 0, encoder.length());

        byte[] signature = new byte[11];
        b.get(signature);
        assertThat(signature).isEqualTo(new byte[] {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0});
        assertThat(b.getInt()).as("flags").isZero();
        assertThat(b.getInt()).as("header extension").isZero();
        assertThat(b.getShort()).as("fields").isEqualTo((short) 4);
        assertThat(b.getInt()).isEqualTo(4);
        assertThat(b.getInt()).isEqualTo(7);
        assertThat(b.getInt()).isEqualTo(8);
        assertThat(b.getLong()).as("microseconds since 2000-01-01").isEqualTo(1_500_000);
        assertThat(b.getInt()).isEqualTo(8);
        assertThat(b.getDouble()).isEqualTo(21.5);
        assertThat(b.getInt()).as("text is NULL").isEqualTo(-1);
        assertThat(b.getShort()).as("trailer").isEqualTo((short) -1);
        assertThat(b.hasRemaining()).isFalse();
    }

    /** A string reading (NaN value and a text) has a NULL value and its text in UTF-8, NUL made storable. */
    @Test
    void encodesAStringReadingWithANullValue() {
        CopyEncoder encoder = new CopyEncoder().encode(List.of(new Reading(1, MICROS_2000, Double.NaN, "é\0")));
        ByteBuffer b = ByteBuffer.wrap(encoder.bytes(), 19, encoder.length() - 19);
        b.getShort();
        b.getInt();
        b.getInt();
        b.getInt();
        assertThat(b.getLong()).isZero();
        assertThat(b.getInt()).as("value is NULL").isEqualTo(-1);
        byte[] expected = "é\uFFFD".getBytes(StandardCharsets.UTF_8);
        assertThat(b.getInt()).isEqualTo(expected.length);
        byte[] text = new byte[expected.length];
        b.get(text);
        assertThat(text).isEqualTo(expected);
    }

    /** The buffer grows past its initial size and is reused for the next stream. */
    @Test
    void growsAndReusesItsBuffer() {
        CopyEncoder encoder = new CopyEncoder();
        List<Reading> many = java.util.stream.IntStream.range(0, 5000)
                .mapToObj(i -> Reading.numeric(i, MICROS_2000 + i, i)).toList();
        assertThat(encoder.encode(many).length()).isEqualTo(19 + 5000 * (2 + 8 + 12 + 12 + 4) + 2);
        assertThat(encoder.encode(List.of()).length()).isEqualTo(21);
    }
}
