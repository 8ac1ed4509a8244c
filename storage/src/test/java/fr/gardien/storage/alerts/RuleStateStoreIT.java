package fr.gardien.storage.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.gardien.storage.db.StorageException;
import fr.gardien.storage.testing.FreshDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class RuleStateStoreIT {

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    private RuleStateStore store;

    @BeforeEach
    void open() {
        store = new RuleStateStore(db.dataSource());
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
