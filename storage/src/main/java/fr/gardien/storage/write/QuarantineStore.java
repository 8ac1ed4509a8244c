package fr.gardien.storage.write;

import fr.gardien.storage.db.Failures;
import fr.gardien.storage.db.Sql;
import fr.gardien.storage.db.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/** Reads the quarantine of rejected records (written by the {@link BatchWriter}). */
public final class QuarantineStore {

    public static final int MAX_LIMIT = 1000;

    private final DataSource dataSource;

    public QuarantineStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Deletes the entries past their retention (issue 14). An entry is attributed to a category
     * when its point key is the key of a point (registered now or retired); an entry of a category
     * of {@code perCategory} goes after that category's retention. Every other entry (a point key
     * no point has, a pack refused whole, which has none, a category without its own retention)
     * goes after {@code others}. Blocking.
     *
     * @return how many were deleted
     * @throws StorageException when the database refuses
     */
    public int purge(Map<String, Duration> perCategory, Duration others, Instant now) {
        try (Connection c = dataSource.getConnection()) {
            int deleted = 0;
            for (Map.Entry<String, Duration> category : perCategory.entrySet()) {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM quarantine WHERE received_at < ?"
                        + " AND point_key IN (SELECT key FROM points WHERE category = ?)")) {
                    s.setObject(1, OffsetDateTime.ofInstant(now.minus(category.getValue()), ZoneOffset.UTC));
                    s.setString(2, category.getKey());
                    deleted += s.executeUpdate();
                }
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM quarantine q WHERE received_at < ? AND NOT EXISTS"
                    + " (SELECT 1 FROM points p WHERE p.key = q.point_key AND p.category = ANY (?))")) {
                s.setObject(1, OffsetDateTime.ofInstant(now.minus(others), ZoneOffset.UTC));
                s.setArray(2, c.createArrayOf("text", perCategory.keySet().toArray()));
                deleted += s.executeUpdate();
            }
            return deleted;
        } catch (SQLException e) {
            throw new StorageException("quarantine purge failed: " + Failures.describe(e), e);
        }
    }

    /**
     * Rejected records, newest first. Blocking.
     *
     * @param since only records received at or after it; {@code null}: no filter
     * @param reason only records of this reason; {@code null}: no filter
     * @param limit at most this many (capped at {@value #MAX_LIMIT}); must be positive
     * @throws StorageException when the database cannot be read
     */
    public List<QuarantineEntry> list(Instant since, String reason, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        try (Connection c = dataSource.getConnection()) {
            return Sql.newestFirst(c,
                    "SELECT id, received_at, protocol, device_id, reason, point_key, detail FROM quarantine WHERE true",
                    "received_at", since, "reason", reason, Math.min(limit, MAX_LIMIT),
                    r -> new QuarantineEntry(r.getLong(1), r.getObject(2, OffsetDateTime.class).toInstant(),
                            r.getString(3), r.getString(4), r.getString(5), r.getString(6), r.getString(7)));
        } catch (SQLException e) {
            throw new StorageException("cannot list the quarantine: " + Failures.describe(e), e);
        }
    }
}
