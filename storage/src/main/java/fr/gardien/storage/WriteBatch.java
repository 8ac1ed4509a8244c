package fr.gardien.storage;

import fr.gardien.model.Reading;
import java.util.List;

/**
 * What one message or request contributes to a group commit: its valid readings and its
 * rejected records. Both are written in the same transaction, so a device is acknowledged
 * only once everything it sent is accounted for.
 */
public record WriteBatch(List<Reading> readings, List<QuarantineRecord> quarantined) {

    public WriteBatch {
        readings = List.copyOf(readings);
        quarantined = List.copyOf(quarantined);
    }

    public static WriteBatch of(List<Reading> readings) {
        return new WriteBatch(readings, List.of());
    }

    /** Readings plus quarantined records: what this batch counts against the writer's queue. */
    public int rows() {
        return readings.size() + quarantined.size();
    }
}
