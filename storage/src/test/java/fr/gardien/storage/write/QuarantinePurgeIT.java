package fr.gardien.storage.write;

import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.storage.db.Database;
import fr.gardien.storage.db.DatabaseConfig;
import fr.gardien.storage.db.RetentionConfig;
import fr.gardien.storage.testing.TestPostgres;
import java.time.Duration;
import java.time.Instant;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Quarantined records are kept for their retention only: their point's category's, or the global one. */
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

            assertThat(store.purge(Map.of(), Duration.ofDays(30), now)).isEqualTo(1);
            assertThat(store.list(null, null, 10)).extracting(QuarantineEntry::detail).containsExactly("recent");
        }
    }

    /**
     * Issue 14: an entry whose point key is an occupancy point's goes at occupancy's retention
     * (7 days here); entries of a category without its own, of an unknown point and of a pack
     * refused whole (no point key) at the global one (30 days).
     */
    @Test
    void entriesOfACategoryGoAtItsRetentionTheOthersAtTheGlobalOne() throws Exception {
        DatabaseConfig config = TestPostgres.shared().newDatabase();
        try (Database database = Database.open(config, RetentionConfig.of(Duration.ofDays(400)));
                BatchWriter writer = new BatchWriter(database.dataSource(), database.partitions(), WriterConfig.DEFAULTS,
                        WriterMetrics.NOOP)) {
            try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO points (key, site_id, equipment_id, name, equipment_type, unit, category, position) VALUES"
                        + " ('tilleuls/hall/count', 'tilleuls', 'hall', 'count', 'x', 'count', 'occupancy', 0),"
                        + " ('tilleuls/boiler-1/supply_temp', 'tilleuls', 'boiler-1', 'supply_temp', 'x', 'Cel', 'heat', 1)");
            }
            Instant now = Instant.now();
            List<QuarantineRecord> records = new java.util.ArrayList<>();
            for (int days : new int[] {40, 10, 1}) {
                Instant at = now.minus(Duration.ofDays(days));
                records.add(new QuarantineRecord(at, "mqtt", "dev-1", "wrong-unit", "tilleuls/hall/count", "occupancy " + days));
                records.add(new QuarantineRecord(at, "mqtt", "dev-1", "wrong-unit", "tilleuls/boiler-1/supply_temp", "heat " + days));
                records.add(new QuarantineRecord(at, "mqtt", "dev-1", "unknown-point", "tilleuls/nowhere/x", "unknown " + days));
                records.add(new QuarantineRecord(at, "mqtt", "dev-1", "invalid-payload", null, "whole " + days));
            }
            writer.offer(new WriteBatch(List.of(), records)).get(10, TimeUnit.SECONDS);
            QuarantineStore store = new QuarantineStore(database.dataSource());

            assertThat(store.purge(Map.of("occupancy", Duration.ofDays(7)), Duration.ofDays(30), now)).isEqualTo(5);
            assertThat(store.list(null, null, 100)).extracting(QuarantineEntry::detail).containsExactlyInAnyOrder(
                    "occupancy 1", "heat 10", "heat 1", "unknown 10", "unknown 1", "whole 10", "whole 1");
        }
    }
}
