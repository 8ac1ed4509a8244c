package fr.gardien.storage.write;

import fr.gardien.storage.db.Text;
import java.time.Instant;
import java.util.Objects;

/**
 * A rejected record kept for the admins (contract: "Nothing rejected is lost silently").
 * Text fields are made storable here: NUL characters, which PostgreSQL text cannot hold, become
 * U+FFFD, so one hostile payload cannot fail the transaction it shares with valid readings; the
 * detail is cut to {@value #DETAIL_MAX_CHARS} characters.
 *
 * @param receivedAt when the gateway received the message
 * @param protocol mqtt, http or coap
 * @param deviceId the authenticated device, or {@code null} when none
 * @param reason the rejection reason (a short, low-cardinality code)
 * @param pointKey the resolved point key, or {@code null} when there was none
 * @param detail a short diagnostic, possibly an excerpt of the record, or {@code null}
 */
public record QuarantineRecord(Instant receivedAt, String protocol, String deviceId, String reason, String pointKey,
                               String detail) {

    public static final int DETAIL_MAX_CHARS = 512;

    public QuarantineRecord {
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(reason, "reason");
        protocol = Text.storable(protocol);
        deviceId = Text.storable(deviceId);
        reason = Text.storable(reason);
        pointKey = Text.storable(pointKey);
        detail = Text.storable(Text.cut(detail, DETAIL_MAX_CHARS));
    }
}
