package fr.gardien.storage.access;

import fr.gardien.model.ApiToken;
import fr.gardien.storage.db.Failures;
import fr.gardien.storage.db.StorageException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * API tokens created and revoked through the API ({@code source = 'api'}), next to the
 * portfolio's (which {@link RegistryStore#apply} owns). Names are unique across both. Blocking.
 */
public final class TokenStore {

    /** What a revocation found. */
    public enum Revocation { REVOKED, NOT_FOUND, PORTFOLIO }

    private final DataSource dataSource;

    public TokenStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Stores a new token created through the API.
     *
     * @return false when a token of that name exists already (from either source); nothing is stored then
     * @throws StorageException when the database refused
     */
    public boolean create(ApiToken token, String createdBy, Instant createdAt) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                INSERT INTO api_tokens (name, token_hash, role, sites, position, source, expires_at, created_at, created_by)
                VALUES (?, ?, ?, ?, 0, 'api', ?, ?, ?) ON CONFLICT (name) DO NOTHING""")) {
            s.setString(1, token.name());
            s.setString(2, token.tokenHash());
            s.setString(3, token.role());
            s.setArray(4, c.createArrayOf("text", token.sites().toArray()));
            s.setObject(5, token.expiresAt() == null ? null : OffsetDateTime.ofInstant(token.expiresAt(), ZoneOffset.UTC));
            s.setObject(6, OffsetDateTime.ofInstant(createdAt, ZoneOffset.UTC));
            s.setString(7, createdBy);
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StorageException("cannot store the API token: " + Failures.describe(e), e);
        }
    }

    /**
     * Deletes an API-created token; a portfolio token is left alone (the file owns it).
     *
     * @throws StorageException when the database refused
     */
    public Revocation revoke(String name) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                WITH deleted AS (DELETE FROM api_tokens WHERE name = ? AND source = 'api' RETURNING 1)
                SELECT (SELECT count(*) FROM deleted), (SELECT count(*) FROM api_tokens WHERE name = ? AND source = 'portfolio')""")) {
            s.setString(1, name);
            s.setString(2, name);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                if (r.getLong(1) == 1) {
                    return Revocation.REVOKED;
                }
                return r.getLong(2) == 1 ? Revocation.PORTFOLIO : Revocation.NOT_FOUND;
            }
        } catch (SQLException e) {
            throw new StorageException("cannot revoke the API token: " + Failures.describe(e), e);
        }
    }

    /** Every token without its hash: the portfolio's first, then the API's, oldest first. */
    public List<IssuedToken> list() {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                SELECT name, role, sites, source, created_at, created_by, expires_at FROM api_tokens
                ORDER BY source = 'api', position, created_at, name""");
             ResultSet r = s.executeQuery()) {
            List<IssuedToken> tokens = new ArrayList<>();
            while (r.next()) {
                Array sites = r.getArray(3);
                OffsetDateTime expires = r.getObject(7, OffsetDateTime.class);
                tokens.add(new IssuedToken(r.getString(1), r.getString(2), Arrays.asList((String[]) sites.getArray()),
                        r.getString(4), r.getObject(5, OffsetDateTime.class).toInstant(), r.getString(6),
                        expires == null ? null : expires.toInstant()));
            }
            return tokens;
        } catch (SQLException e) {
            throw new StorageException("cannot list the API tokens: " + Failures.describe(e), e);
        }
    }

    /** Every token with its hash, as {@link RegistryStore#load} gives them: what authentication needs. */
    public List<ApiToken> tokens() {
        try (Connection c = dataSource.getConnection()) {
            return RegistryStore.readTokens(c);
        } catch (SQLException e) {
            throw new StorageException("cannot read the API tokens: " + Failures.describe(e), e);
        }
    }
}
