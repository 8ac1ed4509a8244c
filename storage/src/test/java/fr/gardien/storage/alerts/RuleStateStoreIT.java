package fr.gardien.storage.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.gardien.storage.db.Database;
import fr.gardien.storage.db.StorageException;
import fr.gardien.storage.testing.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RuleStateStoreIT {

    private Database db;
    private RuleStateStore store;

    @BeforeEach
    void open() {
        db = Fixtures.freshDatabase();
        store = new RuleStateStore(db.dataSource());
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** The rule engine's snapshot is saved, replaced and loaded back as JSON. */
    @Test
    void ruleStateRoundTrip() {
        assertThat(store.load("engine")).isEmpty();
        store.save("engine", "{\"v\": 1}");
        store.save("engine", "{\"v\": 2, \"keys\": [\"a\"]}");
        assertThat(store.load("engine")).contains("{\"v\": 2, \"keys\": [\"a\"]}");
        assertThatThrownBy(() -> store.save("engine", "not json")).isInstanceOf(StorageException.class);
    }
}
