package fr.gardien.storage.write;

import fr.gardien.model.Reading;
import fr.gardien.storage.db.PartitionManager;
import fr.gardien.storage.series.RollupStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What storing packs writes, inside a transaction the caller holds: the readings with one binary
 * COPY, what they add to the rollups (one {@link RollupStore#log} row) and the quarantined
 * records. The single-process {@link BatchWriter} and the cluster's workers (which add their
 * fenced offsets to the same transaction) both write through it. Not thread-safe: one per thread.
 */
public final class PackRows {

    private static final String INSERT_QUARANTINE = "INSERT INTO quarantine"
            + " (received_at, protocol, device_id, reason, point_key, detail) VALUES (?, ?, ?, ?, ?, ?)";

    private static final Logger log = LoggerFactory.getLogger(PackRows.class);

    private final PartitionManager partitions;
    private final CopyEncoder encoder = new CopyEncoder();

    public PackRows(PartitionManager partitions) {
        this.partitions = Objects.requireNonNull(partitions, "partitions");
    }

    /**
     * Creates the native partitions the readings fall in, if missing. Call it before taking the
     * transaction's connection: creating a partition needs a connection of its own.
     */
    public void prepare(List<Reading> readings) {
        if (partitions.timescale()) {
            return;
        }
        long interval = partitions.intervalMicros();
        long last = Long.MIN_VALUE;
        for (Reading r : readings) {
            long start = Math.floorDiv(r.epochMicros(), interval) * interval;
            if (start != last) {
                partitions.ensureCovered(start, start);
                last = start;
            }
        }
    }

    /** Writes readings, their rollup log row and the quarantined records on {@code c}; no commit. */
    public void write(Connection c, List<Reading> readings, List<QuarantineRecord> quarantined) throws SQLException {
        if (!readings.isEmpty()) {
            copy(c, encoder.encode(readings));
            // In the same transaction: a committed reading is always in the rollup log or folded.
            RollupStore.log(c, readings);
        }
        if (!quarantined.isEmpty()) {
            insertQuarantine(c, quarantined);
        }
    }

    /** Rolls a failed transaction back; a rollback that fails too only matters to the debug log (the connection is discarded). */
    public static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            log.debug("rollback failed [cause: {}]", e.getMessage());
        }
    }

    /** After a failed transaction: the partitions it believed created are checked again next time. */
    public void failed() {
        partitions.forget();
    }

    private static void copy(Connection c, CopyEncoder encoded) throws SQLException {
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(CopyEncoder.SQL);
        try {
            in.writeToCopy(encoded.bytes(), 0, encoded.length());
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private static void insertQuarantine(Connection c, List<QuarantineRecord> records) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(INSERT_QUARANTINE)) {
            for (QuarantineRecord q : records) {
                s.setObject(1, OffsetDateTime.ofInstant(q.receivedAt(), ZoneOffset.UTC));
                s.setString(2, q.protocol());
                setNullable(s, 3, q.deviceId());
                s.setString(4, q.reason());
                setNullable(s, 5, q.pointKey());
                setNullable(s, 6, q.detail());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void setNullable(PreparedStatement s, int index, String value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.VARCHAR);
        } else {
            s.setString(index, value);
        }
    }
}
