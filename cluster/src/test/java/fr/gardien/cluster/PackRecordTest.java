package fr.gardien.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.gardien.model.Reading;
import fr.gardien.storage.write.QuarantineRecord;
import fr.gardien.storage.write.WriteBatch;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackRecordTest {

    private final WriteBatch pack = new WriteBatch(
            List.of(Reading.numeric(7, 1_763_712_000_123_456L, 71.5), new Reading(8, -5, Double.NaN, "défaut E42"),
                    Reading.numeric(9, 0, Double.NEGATIVE_INFINITY)),
            List.of(new QuarantineRecord(Instant.parse("2026-12-06T07:00:00.123456Z"), "mqtt", "gw-1", "unknown-point",
                    "tilleuls/x/y", "record 3: no point"), new QuarantineRecord(Instant.EPOCH, "http", null, "too-large",
                    null, null)));

    /** Every reading and quarantined record comes back as it went, strings and nulls included. */
    @Test
    void aPackSurvivesTheLog() {
        WriteBatch back = PackRecord.decode(PackRecord.encode(pack));
        assertThat(back.readings()).isEqualTo(pack.readings());
        assertThat(back.quarantined()).isEqualTo(pack.quarantined());
    }

    /** A record of another version is refused by name, not misread. */
    @Test
    void anotherVersionIsRefused() {
        byte[] bytes = PackRecord.encode(pack);
        bytes[0] = 2;
        assertThatThrownBy(() -> PackRecord.decode(bytes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 2");
    }

    /** A truncated or padded record is refused, and a corrupt count allocates nothing. */
    @Test
    void aDamagedRecordIsRefused() {
        byte[] bytes = PackRecord.encode(pack);
        assertThatThrownBy(() -> PackRecord.decode(Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PackRecord.decode(Arrays.copyOf(bytes, bytes.length + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after the pack");
        assertThatThrownBy(() -> PackRecord.decode(new byte[] {1, 0x7f, -1, -1, -1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("impossible count");
        assertThatThrownBy(() -> PackRecord.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
