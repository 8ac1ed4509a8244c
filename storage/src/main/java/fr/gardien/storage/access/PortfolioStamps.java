package fr.gardien.storage.access;

import fr.gardien.storage.db.Failures;
import fr.gardien.storage.db.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Which portfolio file the registry holds (issue 13): its modification time and digest, and a
 * version that grows at every apply, in table {@code portfolio_applied}. Processes sharing the
 * database read it to tell whether their own copy of the file is newer, and whether the registry
 * changed since they last loaded it. Blocking.
 */
public final class PortfolioStamps {

    /**
     * The file last applied.
     *
     * @param version grows by one at every apply
     * @param fileModified the file's modification time, to the microsecond
     * @param contentSha256 hex SHA-256 of the file's bytes
     * @param appliedBy the process that applied it, for the logs
     */
    public record Stamp(long version, Instant fileModified, String contentSha256, String appliedBy) {
    }

    private final DataSource dataSource;

    public PortfolioStamps(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The stamp of the file last applied; empty before any apply by a cluster process. */
    public Optional<Stamp> read() {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT version, file_modified, content_sha256, applied_by FROM portfolio_applied")) {
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Stamp(r.getLong(1), r.getObject(2, OffsetDateTime.class).toInstant(), r.getString(3),
                        r.getString(4)));
            }
        } catch (SQLException e) {
            throw new StorageException("cannot read the applied portfolio's stamp: " + Failures.describe(e), e);
        }
    }

    /**
     * Records that a file was applied (after {@link RegistryStore#apply}).
     *
     * @return the stamp now stored, its version one above the previous
     */
    public Stamp record(Instant fileModified, String contentSha256, String appliedBy) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                INSERT INTO portfolio_applied (version, file_modified, content_sha256, applied_by) VALUES (1, ?, ?, ?)
                ON CONFLICT (singleton) DO UPDATE SET version = portfolio_applied.version + 1,
                    file_modified = EXCLUDED.file_modified, content_sha256 = EXCLUDED.content_sha256,
                    applied_at = now(), applied_by = EXCLUDED.applied_by
                RETURNING version, file_modified""")) {
            s.setObject(1, OffsetDateTime.ofInstant(fileModified, ZoneOffset.UTC));
            s.setString(2, contentSha256);
            s.setString(3, appliedBy);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return new Stamp(r.getLong(1), r.getObject(2, OffsetDateTime.class).toInstant(), contentSha256, appliedBy);
            }
        } catch (SQLException e) {
            throw new StorageException("cannot record the applied portfolio's stamp: " + Failures.describe(e), e);
        }
    }
}
