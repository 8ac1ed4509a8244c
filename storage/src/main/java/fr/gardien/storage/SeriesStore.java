package fr.gardien.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Reads stored readings. Plain SQL on {@code readings}, so one query path serves native
 * partitions (pruned on ts) and TimescaleDB hypertables (chunk exclusion) alike.
 */
public final class SeriesStore {

    /**
     * DISTINCT ON (ts): the same reading stored twice (an MQTT redelivery after a lost PUBACK)
     * comes back once; the readings table deliberately has no unique constraint (see V1__schema).
     */
    private static final String RAW = """
            SELECT DISTINCT ON (ts) ts, value, text FROM readings
            WHERE point_id = ? AND ts >= ? AND ts < ?
            ORDER BY ts
            LIMIT ?""";

    private final DataSource dataSource;

    public SeriesStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Raw values of one point with {@code from <= time < to}, ascending, at most {@code limit},
     * each time once. A string value has a NaN value. Blocking.
     *
     * @throws IllegalArgumentException when limit is not positive
     * @throws StorageException when the database cannot be read
     */
    public List<SeriesValue> raw(int pointId, Instant from, Instant to, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        if (!from.isBefore(to)) {
            return List.of();
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(RAW)) {
            s.setInt(1, pointId);
            s.setObject(2, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
            s.setObject(3, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
            s.setInt(4, limit);
            List<SeriesValue> values = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    double value = r.getDouble(2);
                    if (r.wasNull()) {
                        value = Double.NaN;
                    }
                    values.add(new SeriesValue(r.getObject(1, OffsetDateTime.class).toInstant(), value, r.getString(3)));
                }
            }
            return values;
        } catch (SQLException e) {
            throw new StorageException("cannot read the series of point " + pointId + ": " + Failures.describe(e), e);
        }
    }
}
