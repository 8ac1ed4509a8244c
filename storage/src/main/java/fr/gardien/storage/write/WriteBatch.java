package fr.gardien.storage.write;

import fr.gardien.model.Reading;
import java.util.List;

/**
 * What one message or request contributes to a group commit: its valid readings and its
 * rejected records. Both are written in the same transaction, so a device is acknowledged
 * only once everything it sent is accounted for.
 *
 * @param lane which writer lane takes the batch ({@link BatchWriter}): batches of one lane commit
 *     in the order they were offered. The gateway gives a site's batches one lane, so that a
 *     site's readings reach the rollups in time order.
 */
public record WriteBatch(List<Reading> readings, List<QuarantineRecord> quarantined, int lane) {

    public WriteBatch {
        readings = List.copyOf(readings);
        quarantined = List.copyOf(quarantined);
    }

    /** A batch in the lane of its first reading's point (lane 0 when it has no reading). */
    public WriteBatch(List<Reading> readings, List<QuarantineRecord> quarantined) {
        this(readings, quarantined, readings.isEmpty() ? 0 : readings.get(0).pointId());
    }

    public static WriteBatch of(List<Reading> readings) {
        return new WriteBatch(readings, List.of());
    }

    /** Readings plus quarantined records: what this batch counts against the writer's queue. */
    public int rows() {
        return readings.size() + quarantined.size();
    }
}
