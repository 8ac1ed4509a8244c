package fr.gardien.storage.access;

import fr.gardien.model.ApiToken;
import fr.gardien.model.Device;
import fr.gardien.model.Equipment;
import fr.gardien.model.PointKey;
import fr.gardien.model.PointSpec;
import fr.gardien.model.Portfolio;
import fr.gardien.model.RegisteredPoint;
import fr.gardien.model.Site;
import fr.gardien.storage.db.Failures;
import fr.gardien.storage.db.StorageException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Registry persistence: sites, equipment, points, devices and API tokens. Point ids are stable:
 * a point keeps its id across applies, a point no longer declared is retired (never deleted,
 * its id never reused) and gets its id back if declared again. Sites, equipment, devices and
 * tokens no longer declared are deleted. Everything is kept in declaration order.
 *
 * <p>API tokens created through the API ({@code source = 'api'}, see {@link TokenStore}) are
 * not the portfolio's: an apply neither deletes nor changes them, and a portfolio that declares
 * a token under the name of an API-created one is refused.
 */
public final class RegistryStore {

    /** pg_advisory_xact_lock key serializing applies ("GARDREGI"). */
    private static final long APPLY_LOCK = 0x4741524452454749L;

    private final DataSource dataSource;

    public RegistryStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * In one transaction: upserts sites, equipment, points, devices and API tokens of the
     * portfolio, retires points no longer declared and deletes what else is no longer declared.
     * Blocking.
     *
     * @return the registry as now stored
     * @throws StorageException when the database refused (e.g. a device of an undeclared site);
     *     nothing is changed then
     */
    public StoredRegistry apply(Portfolio portfolio) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_xact_lock(" + APPLY_LOCK + ")");
                }
                List<String> equipmentKeys = new ArrayList<>();
                List<String> pointKeys = new ArrayList<>();
                upsertSites(c, portfolio.sites(), equipmentKeys, pointKeys);
                update(c, "UPDATE points SET retired_at = now() WHERE retired_at IS NULL AND NOT (key = ANY(?))",
                        pointKeys);
                update(c, "DELETE FROM equipment WHERE NOT ((site_id || '/' || id) = ANY(?))", equipmentKeys);
                update(c, "DELETE FROM devices WHERE NOT (id = ANY(?))",
                        portfolio.devices().stream().map(Device::id).toList());
                upsertDevices(c, portfolio.devices());
                List<String> tokenNames = portfolio.apiTokens().stream().map(ApiToken::name).toList();
                refuseNamesOfApiTokens(c, tokenNames);
                update(c, "DELETE FROM api_tokens WHERE source = 'portfolio' AND NOT (name = ANY(?))", tokenNames);
                upsertTokens(c, portfolio.apiTokens());
                update(c, "DELETE FROM sites WHERE NOT (id = ANY(?))", portfolio.sites().stream().map(Site::id).toList());
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StorageException("cannot store the registry: " + Failures.describe(e), e);
        }
        return load();
    }

    private static void upsertSites(Connection c, List<Site> sites, List<String> equipmentKeys, List<String> pointKeys)
            throws SQLException {
        try (PreparedStatement site = c.prepareStatement("""
                INSERT INTO sites (id, name, timezone, position) VALUES (?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, timezone = EXCLUDED.timezone,
                    position = EXCLUDED.position""");
             PreparedStatement equipment = c.prepareStatement("""
                INSERT INTO equipment (site_id, id, type, position, name) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (site_id, id) DO UPDATE SET type = EXCLUDED.type, position = EXCLUDED.position,
                    name = EXCLUDED.name""");
             PreparedStatement point = c.prepareStatement("""
                INSERT INTO points (key, site_id, equipment_id, name, equipment_type, unit, category, position, label)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (key) DO UPDATE SET equipment_type = EXCLUDED.equipment_type, unit = EXCLUDED.unit,
                    category = EXCLUDED.category, position = EXCLUDED.position, label = EXCLUDED.label,
                    retired_at = NULL""")) {
            int sitePosition = 0;
            int pointPosition = 0;
            for (Site s : sites) {
                site.setString(1, s.id());
                site.setString(2, s.name());
                site.setString(3, s.timezone().getId());
                site.setInt(4, sitePosition++);
                site.addBatch();
                int equipmentPosition = 0;
                for (Equipment e : s.equipment()) {
                    equipmentKeys.add(s.id() + '/' + e.id());
                    equipment.setString(1, s.id());
                    equipment.setString(2, e.id());
                    equipment.setString(3, e.type());
                    equipment.setInt(4, equipmentPosition++);
                    equipment.setString(5, e.name());
                    equipment.addBatch();
                    for (PointSpec p : e.points()) {
                        String key = new PointKey(s.id(), e.id(), p.name()).toString();
                        pointKeys.add(key);
                        point.setString(1, key);
                        point.setString(2, s.id());
                        point.setString(3, e.id());
                        point.setString(4, p.name());
                        point.setString(5, e.type());
                        point.setString(6, p.unit());
                        point.setString(7, p.category());
                        point.setInt(8, pointPosition++);
                        point.setString(9, p.label());
                        point.addBatch();
                    }
                }
            }
            site.executeBatch();
            equipment.executeBatch();
            point.executeBatch();
        }
    }

    private static void upsertDevices(Connection c, List<Device> devices) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO devices (id, site_id, secret_hash, position) VALUES (?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET site_id = EXCLUDED.site_id, secret_hash = EXCLUDED.secret_hash,
                    position = EXCLUDED.position""")) {
            int position = 0;
            for (Device d : devices) {
                s.setString(1, d.id());
                s.setString(2, d.site());
                s.setString(3, d.secretHash());
                s.setInt(4, position++);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void refuseNamesOfApiTokens(Connection c, List<String> names) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT name FROM api_tokens WHERE source = 'api' AND name = ANY(?) ORDER BY name")) {
            s.setArray(1, c.createArrayOf("text", names.toArray()));
            List<String> taken = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    taken.add(r.getString(1));
                }
            }
            if (!taken.isEmpty()) {
                throw new StorageException("api-tokens: the name(s) " + taken + " belong to tokens created through the API;"
                        + " rename them in the file or revoke the API token(s) first (DELETE /api/v1/tokens/{name})");
            }
        }
    }

    private static void upsertTokens(Connection c, List<ApiToken> tokens) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO api_tokens (name, token_hash, role, sites, position, source)
                VALUES (?, ?, ?, ?, ?, 'portfolio')
                ON CONFLICT (name) DO UPDATE SET token_hash = EXCLUDED.token_hash, role = EXCLUDED.role,
                    sites = EXCLUDED.sites, position = EXCLUDED.position
                WHERE api_tokens.source = 'portfolio'""")) {
            int position = 0;
            for (ApiToken t : tokens) {
                s.setString(1, t.name());
                s.setString(2, t.tokenHash());
                s.setString(3, t.role());
                s.setArray(4, c.createArrayOf("text", t.sites().toArray()));
                s.setInt(5, position++);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void update(Connection c, String sql, List<String> values) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setArray(1, c.createArrayOf("text", values.toArray()));
            s.executeUpdate();
        }
    }

    /**
     * The registry as stored, in declaration order; points are the active ones. Blocking.
     *
     * @throws StorageException when the database cannot be read
     */
    public StoredRegistry load() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                StoredRegistry registry = read(c);
                c.commit();
                return registry;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StorageException("cannot read the registry: " + Failures.describe(e), e);
        }
    }

    private static StoredRegistry read(Connection c) throws SQLException {
        Map<String, List<PointSpec>> specs = new LinkedHashMap<>();
        List<RegisteredPoint> points = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("""
                SELECT id, site_id, equipment_id, name, equipment_type, unit, category, label
                FROM points WHERE retired_at IS NULL ORDER BY position, id""")) {
            while (r.next()) {
                PointKey key = new PointKey(r.getString(2), r.getString(3), r.getString(4));
                points.add(new RegisteredPoint(r.getInt(1), key, r.getString(5), r.getString(6), r.getString(7)));
                specs.computeIfAbsent(key.site() + '/' + key.equipment(), k -> new ArrayList<>())
                        .add(new PointSpec(key.point(), r.getString(6), r.getString(7), r.getString(8)));
            }
        }
        Map<String, List<Equipment>> equipment = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT site_id, id, type, name FROM equipment ORDER BY site_id, position")) {
            while (r.next()) {
                String site = r.getString(1);
                String id = r.getString(2);
                equipment.computeIfAbsent(site, k -> new ArrayList<>())
                        .add(new Equipment(id, r.getString(3), specs.getOrDefault(site + '/' + id, List.of()), r.getString(4)));
            }
        }
        List<Site> sites = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT id, name, timezone FROM sites ORDER BY position")) {
            while (r.next()) {
                String id = r.getString(1);
                sites.add(new Site(id, r.getString(2), ZoneId.of(r.getString(3)), equipment.getOrDefault(id, List.of())));
            }
        }
        List<Device> devices = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT id, site_id, secret_hash FROM devices ORDER BY position")) {
            while (r.next()) {
                devices.add(new Device(r.getString(1), r.getString(2), r.getString(3)));
            }
        }
        return new StoredRegistry(sites, points, devices, readTokens(c));
    }

    /** Every API token: the portfolio's in declaration order, then those created through the API. */
    static List<ApiToken> readTokens(Connection c) throws SQLException {
        List<ApiToken> tokens = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("""
                SELECT name, token_hash, role, sites, expires_at FROM api_tokens
                ORDER BY source = 'api', position, created_at, name""")) {
            while (r.next()) {
                Array array = r.getArray(4);
                OffsetDateTime expires = r.getObject(5, OffsetDateTime.class);
                tokens.add(new ApiToken(r.getString(1), r.getString(2), r.getString(3),
                        Arrays.asList((String[]) array.getArray()), expires == null ? null : expires.toInstant()));
            }
        }
        return tokens;
    }
}
