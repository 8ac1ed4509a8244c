package fr.gardien.storage.access;

import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.storage.testing.FreshDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The audit log: batched inserts, filters, order and retention. */
@Timeout(60)
class AuditStoreIT {

    private static final Instant T = Instant.parse("2026-11-22T01:00:00Z");
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    private AuditStore store;

    @BeforeEach
    void open() {
        store = new AuditStore(db.dataSource());
    }

    private static AuditEntry entry(Instant at, String actor, String site) {
        return new AuditEntry(0, at, actor, "building-manager", "GET", "/api/v1/alerts", "/api/v1/alerts",
                List.of(site), Map.of("site", site, "limit", "10"), 200);
    }

    /** A batch is stored whole and read back newest first, filtered by time and actor. */
    @Test
    void entriesAreReadBackNewestFirstWithTheirFilters() {
        List<AuditEntry> batch = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            batch.add(entry(T.plusSeconds(i), i % 2 == 0 ? "alice" : "bob", "s" + i));
        }
        store.insert(batch);

        List<AuditEntry> newest = store.list(null, null, 5);
        assertThat(newest).extracting(AuditEntry::at).containsExactly(T.plusSeconds(299), T.plusSeconds(298),
                T.plusSeconds(297), T.plusSeconds(296), T.plusSeconds(295));
        AuditEntry first = newest.get(0);
        assertThat(first.actor()).isEqualTo("bob");
        assertThat(first.sites()).containsExactly("s299");
        assertThat(first.parameters()).isEqualTo(Map.of("site", "s299", "limit", "10"));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.id()).isPositive();

        assertThat(store.list(T.plusSeconds(290), "alice", 100)).extracting(AuditEntry::at)
                .containsExactly(T.plusSeconds(298), T.plusSeconds(296), T.plusSeconds(294), T.plusSeconds(292),
                        T.plusSeconds(290));
    }

    /** Retention deletes what is older than the cutoff and nothing else. */
    @Test
    void purgeDeletesOnlyOlderEntries() {
        store.insert(List.of(entry(T.minus(Duration.ofDays(500)), "alice", "a"), entry(T, "alice", "b")));
        assertThat(store.purgeBefore(T.minus(Duration.ofDays(400)))).isEqualTo(1);
        assertThat(store.list(null, null, 10)).extracting(e -> e.sites().get(0)).containsExactly("b");
    }
}
