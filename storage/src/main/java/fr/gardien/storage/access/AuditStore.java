package fr.gardien.storage.access;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gardien.storage.db.Failures;
import fr.gardien.storage.db.Sql;
import fr.gardien.storage.db.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.sql.DataSource;

/** The audit log of data access: batched inserts, the admins' query, retention. Blocking. */
public final class AuditStore {

    public static final int MAX_LIMIT = 1000;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private final DataSource dataSource;

    public AuditStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Inserts the entries in one transaction, as one JDBC batch.
     *
     * @throws StorageException when the database refused; nothing is stored then
     */
    public void insert(List<AuditEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO audit_log (at, actor, role, method, route, path, sites, parameters, status)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)""")) {
                for (AuditEntry e : entries) {
                    s.setObject(1, OffsetDateTime.ofInstant(e.at(), ZoneOffset.UTC));
                    s.setString(2, e.actor());
                    s.setString(3, e.role());
                    s.setString(4, e.method());
                    s.setString(5, e.route());
                    s.setString(6, e.path());
                    s.setArray(7, c.createArrayOf("text", e.sites().toArray()));
                    s.setString(8, json(e.parameters()));
                    s.setInt(9, e.status());
                    s.addBatch();
                }
                s.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StorageException("cannot write the audit log: " + Failures.describe(e), e);
        }
    }

    /**
     * Entries newest first.
     *
     * @param since only entries at or after it; {@code null}: no filter
     * @param actor only this actor's; {@code null}: no filter
     * @param limit 1 to {@value #MAX_LIMIT}
     */
    public List<AuditEntry> list(Instant since, String actor, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT + ", was " + limit);
        }
        try (Connection c = dataSource.getConnection()) {
            return Sql.newestFirst(c, """
                    SELECT id, at, actor, role, method, route, path, sites, parameters::text, status FROM audit_log WHERE true""",
                    "at", since, "actor", actor, limit, r -> new AuditEntry(r.getLong(1),
                            r.getObject(2, OffsetDateTime.class).toInstant(), r.getString(3), r.getString(4), r.getString(5),
                            r.getString(6), r.getString(7), Arrays.asList((String[]) r.getArray(8).getArray()),
                            parameters(r.getString(9)), r.getInt(10)));
        } catch (SQLException e) {
            throw new StorageException("cannot read the audit log: " + Failures.describe(e), e);
        }
    }

    /**
     * Deletes the entries older than {@code cutoff}.
     *
     * @return how many were deleted
     */
    public int purgeBefore(Instant cutoff) {
        return Sql.update(dataSource, "audit log purge failed", "DELETE FROM audit_log WHERE at < ?",
                OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
    }

    private static String json(Map<String, String> parameters) {
        try {
            return MAPPER.writeValueAsString(new TreeMap<>(parameters));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }

    private static Map<String, String> parameters(String json) {
        try {
            return MAPPER.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new StorageException("unreadable audit parameters: " + e.getOriginalMessage(), e);
        }
    }
}
