package fr.gardien.storage.write;

import fr.gardien.storage.db.Failures;
import fr.gardien.storage.db.Sql;
import fr.gardien.storage.db.StorageException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
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
     * Rejected records, newest first. Blocking.
     *
     * @param since only records received at or after it; {@code null}: no filter
     * @param reason only records of this reason; {@code null}: no filter
     * @param limit at most this many (capped at {@value #MAX_LIMIT}); must be positive
     * @throws StorageException when the database cannot be read
     */
    /**
     * Deletes the entries received before {@code cutoff}. Blocking.
     *
     * @return how many were deleted
     */
    public int purgeBefore(Instant cutoff) {
        return Sql.update(dataSource, "quarantine purge failed", "DELETE FROM quarantine WHERE received_at < ?",
                OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
    }

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
