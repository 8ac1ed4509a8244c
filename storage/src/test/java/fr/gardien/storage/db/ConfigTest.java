package fr.gardien.storage.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
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
                .hasMessageStartingWith("storage.partition-interval: expected a duration from 1m to 366d")
                .hasMessageEndingWith(", got 30s");
        assertThatThrownBy(() -> new RetentionConfig(Duration.ofDays(1), Duration.ofMillis(90_500), 3))
                .hasMessageContaining("whole seconds");
        assertThatThrownBy(() -> new RetentionConfig(Duration.ofDays(1), Duration.ofDays(1), -1))
                .hasMessageContaining("ahead");
    }
}
