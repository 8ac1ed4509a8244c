package fr.gardien.storage.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.gardien.storage.testing.FreshDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class QuarantineStoreIT {

    private static final Instant T = Instant.parse("2026-11-01T10:00:00Z");
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    private QuarantineStore store;

    @BeforeEach
    void open() throws Exception {
        store = new QuarantineStore(db.dataSource());
        List<QuarantineRecord> records = new ArrayList<>();
        for (int i = 0; i < 1100; i++) {
            String reason = i % 2 == 0 ? "unknown_point" : "wrong_unit";
            records.add(new QuarantineRecord(T.plusSeconds(i), "mqtt", "gw-" + (i % 3), reason, "s/e/p" + i, "detail " + i));
        }
        db.write(new WriteBatch(List.of(), records));
    }

    /** Entries are listed newest first with every field as written. */
    @Test
    void listsNewestFirst() {
        List<QuarantineEntry> entries = store.list(null, null, 3);
        assertThat(entries).extracting(QuarantineEntry::receivedAt)
                .containsExactly(T.plusSeconds(1099), T.plusSeconds(1098), T.plusSeconds(1097));
        assertThat(entries.get(0)).extracting(QuarantineEntry::protocol, QuarantineEntry::deviceId,
                QuarantineEntry::reason, QuarantineEntry::pointKey, QuarantineEntry::detail)
                .containsExactly("mqtt", "gw-1", "wrong_unit", "s/e/p1099", "detail 1099");
    }

    /** since (inclusive) and reason filter, alone and together; the limit is capped at 1000. */
    @Test
    void filtersBySinceAndReasonAndCapsTheLimit() {
        assertThat(store.list(T.plusSeconds(1090), null, 100)).hasSize(10);
        assertThat(store.list(null, "wrong_unit", 1000)).hasSize(550).allSatisfy(e -> assertThat(e.reason()).isEqualTo("wrong_unit"));
        assertThat(store.list(T.plusSeconds(1090), "unknown_point", 100)).extracting(QuarantineEntry::pointKey)
                .containsExactly("s/e/p1098", "s/e/p1096", "s/e/p1094", "s/e/p1092", "s/e/p1090");
        assertThat(store.list(null, "no_such_reason", 10)).isEmpty();
        assertThat(store.list(null, null, 5000)).hasSize(QuarantineStore.MAX_LIMIT);
        assertThatThrownBy(() -> store.list(null, null, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
