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
 * snapshot per key in {@code rule_state}; in cluster mode (issue 13), one checkpoint per partition
 * of the readings log, beside its lease in {@code partition_lease}, with the offset it reflects.
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

    /**
     * Saves the rule state of a partition's sites with the log offset it reflects, if the lease
     * is still held under {@code epoch}.
     *
     * @return false when another worker took the partition since (nothing written)
     */
    public boolean saveCheckpoint(String topic, int partition, long epoch, long offset, String json) {
        return Sql.inTransaction(dataSource, WHAT, c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE partition_lease SET rule_offset = ?, rule_state = ?::jsonb,"
                    + " rule_saved_at = now() WHERE topic = ? AND partition = ? AND epoch = ?")) {
                s.setLong(1, offset);
                s.setString(2, json);
                s.setString(3, topic);
                s.setInt(4, partition);
                s.setLong(5, epoch);
                return s.executeUpdate() == 1;
            }
        });
    }

    /** The checkpoint of a partition, or empty when none was saved. */
    public Optional<Checkpoint> checkpoint(String topic, int partition) {
        return Sql.inTransaction(dataSource, WHAT, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT rule_offset, rule_state::text FROM partition_lease"
                    + " WHERE topic = ? AND partition = ? AND rule_offset IS NOT NULL")) {
                s.setString(1, topic);
                s.setInt(2, partition);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(new Checkpoint(r.getLong(1), r.getString(2))) : Optional.empty();
                }
            }
        });
    }

    /**
     * A partition's rule state.
     *
     * @param offset every record of the partition before it is reflected in the state
     * @param json the state, as the rule engine's snapshot in JSON
     */
    public record Checkpoint(long offset, String json) {
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
