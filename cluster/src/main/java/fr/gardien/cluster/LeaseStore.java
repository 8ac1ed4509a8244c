package fr.gardien.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The workers' fencing in PostgreSQL (table {@code partition_lease}, migration V12): who holds a
 * partition of the readings log, under which epoch, and the offset up to which it is stored.
 * Kafka's group generation is not trusted for this: a worker paused past its session timeout
 * still believes it owns its partitions until its next poll, and only the database sees both it
 * and its successor.
 */
public final class LeaseStore {

    private static final String ACQUIRE = "INSERT INTO partition_lease AS l (topic, partition, epoch, holder, acquired_at)"
            + " VALUES (?, ?, 1, ?, now())"
            + " ON CONFLICT (topic, partition) DO UPDATE SET epoch = l.epoch + 1, holder = EXCLUDED.holder, acquired_at = now()"
            + " RETURNING epoch, next_offset";
    private static final String ADVANCE = "UPDATE partition_lease SET next_offset = ?"
            + " WHERE topic = ? AND partition = ? AND epoch = ?";

    private final DataSource dataSource;

    public LeaseStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Takes a partition over: raises its epoch (every earlier holder is fenced from now on).
     *
     * @return the new epoch and the offset to read from
     * @throws SQLException when the database cannot be reached
     */
    public Lease acquire(String topic, int partition, String holder) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(ACQUIRE)) {
            s.setString(1, topic);
            s.setInt(2, partition);
            s.setString(3, holder);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new Lease(partition, rs.getLong(1), rs.getLong(2));
            }
        }
    }

    /**
     * Within the caller's transaction: moves the partition's offset to {@code nextOffset} if the
     * lease is still held.
     *
     * @return false when another worker took the partition since (the caller rolls back)
     */
    static boolean advance(Connection c, String topic, Lease lease, long nextOffset) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(ADVANCE)) {
            s.setLong(1, nextOffset);
            s.setString(2, topic);
            s.setInt(3, lease.partition());
            s.setLong(4, lease.epoch());
            return s.executeUpdate() == 1;
        }
    }

    /**
     * A partition held under an epoch, and where its stored part ends.
     *
     * @param nextOffset the first offset not stored yet
     */
    public record Lease(int partition, long epoch, long nextOffset) {

        Lease at(long offset) {
            return new Lease(partition, epoch, offset);
        }
    }
}
