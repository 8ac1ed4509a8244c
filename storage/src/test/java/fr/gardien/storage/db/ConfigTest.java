package fr.gardien.storage.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.gardien.storage.write.QuarantineRecord;
import fr.gardien.storage.write.WriteBatch;
import fr.gardien.storage.write.WriterConfig;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConfigTest {

    /** The database config refuses what would fail later, and never prints a password. */
    @Test
    void databaseConfigIsValidatedAndMasksThePassword() {
        assertThatThrownBy(() -> new DatabaseConfig("jdbc:mysql://x/y", "u", "", 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:postgresql:");
        assertThatThrownBy(() -> new DatabaseConfig("jdbc:postgresql://x/y", "u", "", 0))
                .hasMessageContaining("pool size");
        assertThatThrownBy(() -> new DatabaseConfig("jdbc:postgresql://x/y", " ", "", 2))
                .hasMessageContaining("user");

        DatabaseConfig config = new DatabaseConfig("jdbc:postgresql://h/db?user=u&password=s3cret&ssl=true", "u",
                "hunter2", 4);
        assertThat(config.toString()).doesNotContain("hunter2").doesNotContain("s3cret").contains("ssl=true");
        assertThat(config.safeUrl()).isEqualTo("jdbc:postgresql://h/db?user=u&password=***&ssl=true");
    }

    /** Retention and partition widths that cannot work are refused at start. */
    @Test
    void retentionConfigIsValidated() {
        assertThat(RetentionConfig.of(Duration.ofDays(30)).partitionInterval()).isEqualTo(Duration.ofDays(1));
        assertThat(RetentionConfig.of(Duration.ofDays(30)).partitionsAhead()).isEqualTo(3);
        assertThatThrownBy(() -> RetentionConfig.of(Duration.ZERO)).hasMessageContaining("retention");
        assertThatThrownBy(() -> new RetentionConfig(Duration.ofDays(1), Duration.ofSeconds(30), 3))
                .hasMessageContaining("at least 1 minute");
        assertThatThrownBy(() -> new RetentionConfig(Duration.ofDays(1), Duration.ofMillis(90_500), 3))
                .hasMessageContaining("whole seconds");
        assertThatThrownBy(() -> new RetentionConfig(Duration.ofDays(1), Duration.ofDays(1), -1))
                .hasMessageContaining("ahead");
    }

    /** A writer config whose queue cannot hold one full batch is refused. */
    @Test
    void writerConfigIsValidated() {
        assertThat(WriterConfig.DEFAULTS).isEqualTo(new WriterConfig(5000, Duration.ofMillis(10), 200_000, 2));
        assertThatThrownBy(() -> new WriterConfig(5000, Duration.ofMillis(10), 4999, 2))
                .hasMessageContaining("at least one full batch");
        assertThatThrownBy(() -> new WriterConfig(0, Duration.ofMillis(10), 10, 2)).hasMessageContaining("max rows");
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
