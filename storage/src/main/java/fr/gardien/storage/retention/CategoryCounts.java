package fr.gardien.storage.retention;

import fr.gardien.storage.db.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * What each point category holds, for the processing register and the data-protection officer
 * (issue 14): counts and oldest dates, never a value.
 */
public final class CategoryCounts {

    private final DataSource dataSource;

    public CategoryCounts(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Readings per category as the daily rollups count them (cheap on years of data; the
     * current day's readings count once they are rolled up). Blocking.
     *
     * @throws StorageException when the database refuses
     */
    public Map<String, Long> readingsPerCategory() {
        Map<String, Long> out = new TreeMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT coalesce(p.category, ''), sum(d.count) FROM readings_1d d"
                        + " JOIN points p ON p.id = d.point_id GROUP BY 1");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new StorageException("readings per category not counted: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * How many rows, and the oldest one's date.
     *
     * @param oldest {@code null} when there are none
     */
    public record Tally(long count, Instant oldest) {
        static final Tally NONE = new Tally(0, null);
    }

    /**
     * What one point category holds.
     *
     * @param readings raw readings (counted exactly; the oldest is the oldest reading's time)
     * @param hourlyRollups rows of the hourly rollups (the oldest is the oldest bucket's start)
     * @param dailyRollups rows of the daily rollups
     * @param quarantine quarantined records attributed to the category (their point key is one of its points')
     */
    public record CategoryTally(Tally readings, Tally hourlyRollups, Tally dailyRollups, Tally quarantine) {
    }

    /**
     * Everything counted at once.
     *
     * @param categories point category → what it holds ({@code ""} for points without a category)
     * @param unattributedQuarantine quarantined records of no known point (unknown key, pack refused whole)
     * @param alerts alert category (the rule's: heating, lift, …) → alert state → its tally (by {@code first_seen})
     */
    public record Inventory(Map<String, CategoryTally> categories, Tally unattributedQuarantine,
                            Map<String, Map<String, Tally>> alerts) {
    }

    /**
     * Counts per category of readings, rollups, quarantine and alerts, with their oldest dates.
     * Blocking; the raw readings are counted exactly, a scan of the readings table.
     *
     * @throws StorageException when the database refuses
     */
    public Inventory inventory() {
        try (Connection c = dataSource.getConnection()) {
            Map<String, Tally> readings = tallies(c, "SELECT coalesce(p.category, ''), count(*), min(r.ts) FROM readings r"
                    + " JOIN points p ON p.id = r.point_id GROUP BY 1");
            Map<String, Tally> hourly = tallies(c, "SELECT coalesce(p.category, ''), count(*), min(h.bucket) FROM readings_1h h"
                    + " JOIN points p ON p.id = h.point_id GROUP BY 1");
            Map<String, Tally> daily = tallies(c, "SELECT coalesce(p.category, ''), count(*), min(d.bucket) FROM readings_1d d"
                    + " JOIN points p ON p.id = d.point_id GROUP BY 1");
            // NULL: no point has that key (or the record has none).
            Map<String, Tally> quarantine = tallies(c, "SELECT CASE WHEN p.id IS NULL THEN NULL ELSE coalesce(p.category, '') END,"
                    + " count(*), min(q.received_at) FROM quarantine q LEFT JOIN points p ON p.key = q.point_key GROUP BY 1");
            Map<String, CategoryTally> categories = new TreeMap<>();
            java.util.Set<String> names = new java.util.TreeSet<>();
            names.addAll(readings.keySet());
            names.addAll(hourly.keySet());
            names.addAll(daily.keySet());
            quarantine.keySet().stream().filter(java.util.Objects::nonNull).forEach(names::add);
            try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT coalesce(category, '') FROM points");
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            for (String name : names) {
                categories.put(name, new CategoryTally(readings.getOrDefault(name, Tally.NONE), hourly.getOrDefault(name, Tally.NONE),
                        daily.getOrDefault(name, Tally.NONE), quarantine.getOrDefault(name, Tally.NONE)));
            }
            Map<String, Map<String, Tally>> alerts = new TreeMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT category, state, count(*), min(first_seen) FROM alerts GROUP BY 1, 2");
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    alerts.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getString(2),
                            new Tally(rs.getLong(3), instant(rs, 4)));
                }
            }
            return new Inventory(categories, quarantine.getOrDefault(null, Tally.NONE), alerts);
        } catch (SQLException e) {
            throw new StorageException("counts per category not read: " + e.getMessage(), e);
        }
    }

    private static Map<String, Tally> tallies(Connection c, String sql) throws SQLException {
        Map<String, Tally> out = new java.util.HashMap<>();
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), new Tally(rs.getLong(2), instant(rs, 3)));
            }
        }
        return out;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
