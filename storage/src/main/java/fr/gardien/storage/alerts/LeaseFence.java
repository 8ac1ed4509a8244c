package fr.gardien.storage.alerts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;

/**
 * The lease a worker holds on a partition of the readings log (table {@code partition_lease},
 * issue 13), as a condition of an alert transition of one of the partition's sites: the
 * transition commits only while the lease still has this epoch, as a batch of readings does.
 *
 * @param topic the readings log
 * @param partition the partition of the signal's site
 * @param epoch the epoch the worker took the partition with
 */
public record LeaseFence(String topic, int partition, long epoch) {

    public LeaseFence {
        Objects.requireNonNull(topic, "topic");
    }

    /**
     * Within the caller's transaction: whether the lease still has this epoch. The lease row is
     * then locked (shared) until the transaction ends, so no other worker can take the partition
     * over before the transition commits.
     */
    boolean holds(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT epoch FROM partition_lease WHERE topic = ? AND partition = ? FOR SHARE")) {
            s.setString(1, topic);
            s.setInt(2, partition);
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getLong(1) == epoch;
            }
        }
    }
}
