package fr.gardien.storage.write;

import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.storage.db.Database;
import fr.gardien.storage.db.DatabaseConfig;
import fr.gardien.storage.db.RetentionConfig;
import fr.gardien.storage.testing.TestPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Quarantined records are kept for their retention only. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QuarantinePurgeIT {

    /** Entries received before the cutoff are deleted, newer ones kept. */
    @Test
    void entriesOlderThanTheCutoffAreDeleted() throws Exception {
        DatabaseConfig config = TestPostgres.shared().newDatabase();
        try (Database database = Database.open(config, RetentionConfig.of(Duration.ofDays(400)));
                BatchWriter writer = new BatchWriter(database.dataSource(), database.partitions(), WriterConfig.DEFAULTS,
                        WriterMetrics.NOOP)) {
            Instant now = Instant.now();
            writer.offer(new WriteBatch(List.of(), List.of(
                    new QuarantineRecord(now.minus(Duration.ofDays(40)), "mqtt", "dev-1", "unknown-point", "a/b/c", "old"),
                    new QuarantineRecord(now.minus(Duration.ofDays(1)), "mqtt", "dev-1", "unknown-point", "a/b/c", "recent"))))
                    .get(10, TimeUnit.SECONDS);
            QuarantineStore store = new QuarantineStore(database.dataSource());

            assertThat(store.purgeBefore(now.minus(Duration.ofDays(30)))).isEqualTo(1);
            assertThat(store.list(null, null, 10)).extracting(QuarantineEntry::detail).containsExactly("recent");
        }
    }
}
