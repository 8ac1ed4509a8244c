package fr.gardien.storage.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WriteConfigTest {

    /** A writer config whose queue cannot hold one full batch is refused. */
    @Test
    void writerConfigIsValidated() {
        assertThat(WriterConfig.DEFAULTS).isEqualTo(new WriterConfig(5000, Duration.ofMillis(25), 200_000, 2))
                .isEqualTo(new WriterConfig(5000, Duration.ofMillis(25), Duration.ofMillis(2), 200_000, 2));
        assertThatThrownBy(() -> new WriterConfig(10, Duration.ofMillis(10), Duration.ofMillis(-1), 10, 2))
                .hasMessageStartingWith("writer.batch-gap: ");
        assertThatThrownBy(() -> new WriterConfig(5000, Duration.ofMillis(10), 4999, 2))
                .hasMessage("writer.queue-capacity: must be at least writer.batch-max-rows (5000), got 4999");
        assertThatThrownBy(() -> new WriterConfig(0, Duration.ofMillis(10), 10, 2))
                .hasMessage("writer.batch-max-rows: expected an integer from 1 to 1000000, got 0");
        assertThatThrownBy(() -> new WriterConfig(10, Duration.ofMillis(-1), 10, 2)).hasMessageContaining("delay");
        assertThatThrownBy(() -> new WriterConfig(10, Duration.ofMillis(1), 10, 0)).hasMessageContaining("threads");
    }

    /** A quarantined record is made storable: detail cut to 512 chars, NUL characters replaced. */
    @Test
    void quarantineRecordIsMadeStorable() {
        QuarantineRecord record = new QuarantineRecord(Instant.EPOCH, "mqtt", "dev\0ice", "unknown_point", null,
                "x".repeat(600));
        assertThat(record.detail()).hasSize(QuarantineRecord.DETAIL_MAX_CHARS);
        assertThat(record.deviceId()).isEqualTo("dev\uFFFDice");
        assertThat(record.pointKey()).isNull();

        String emoji = "a".repeat(511) + "\uD83D\uDE00";
        assertThat(new QuarantineRecord(Instant.EPOCH, "http", null, "r", null, emoji).detail())
                .as("a surrogate pair is never split").hasSize(511);
    }

    /** A write batch counts readings and quarantined records against the queue. */
    @Test
    void writeBatchCountsAllItsRows() {
        WriteBatch batch = new WriteBatch(
                java.util.List.of(fr.gardien.model.Reading.numeric(1, 0, 1.0), fr.gardien.model.Reading.numeric(1, 1, 2.0)),
                java.util.List.of(new QuarantineRecord(Instant.EPOCH, "coap", "d", "r", null, null)));
        assertThat(batch.rows()).isEqualTo(3);
    }
}
