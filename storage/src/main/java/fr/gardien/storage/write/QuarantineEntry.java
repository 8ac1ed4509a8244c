package fr.gardien.storage.write;

import java.time.Instant;

/** A stored {@link QuarantineRecord} with its id, as listed by the {@link QuarantineStore}. */
public record QuarantineEntry(long id, Instant receivedAt, String protocol, String deviceId, String reason,
                              String pointKey, String detail) {
}
