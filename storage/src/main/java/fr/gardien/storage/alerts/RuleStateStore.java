package fr.gardien.storage.alerts;

import fr.gardien.storage.db.Sql;
import fr.gardien.storage.db.StorageException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The rule engine's saved state (issue 3), so that rule state survives a restart: one JSON
 * snapshot per key in {@code rule_state}.
 *
 * <p>Every method is blocking and runs one transaction; run them on the database worker pool.
 * Every method throws {@link StorageException} when the database fails, having changed nothing.
 */
public final class RuleStateStore {

    private static final String WHAT = "rule state store";

    private final DataSource dataSource;

    public RuleStateStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** Saves (replaces) the rule engine's snapshot under {@code key}; {@code json} must be JSON. */
    public void save(String key, String json) {
        Sql.inTransaction(dataSource, WHAT, c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO rule_state (key, state) VALUES (?, ?::jsonb)"
                    + " ON CONFLICT (key) DO UPDATE SET state = excluded.state, saved_at = now()")) {
                s.setString(1, key);
                s.setString(2, json);
                return s.executeUpdate();
            }
        });
    }

    /** The snapshot saved under {@code key}, as JSON text, or empty. */
    public Optional<String> load(String key) {
        return Sql.inTransaction(dataSource, WHAT, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT state::text FROM rule_state WHERE key = ?")) {
                s.setString(1, key);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
                }
            }
        });
    }
}
