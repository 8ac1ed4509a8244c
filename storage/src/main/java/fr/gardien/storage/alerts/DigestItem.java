package fr.gardien.storage.alerts;

import java.util.List;

/** A claimed digest with its alerts as they are now, oldest first. */
public record DigestItem(DigestEntry entry, List<Alert> alerts) {
    public DigestItem {
        alerts = List.copyOf(alerts);
    }
}
