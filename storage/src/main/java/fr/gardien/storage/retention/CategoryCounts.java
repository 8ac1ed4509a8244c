package fr.gardien.storage.retention;

import fr.gardien.storage.db.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/** How many readings each point category holds, for the processing register: counts, never values. */
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
}
