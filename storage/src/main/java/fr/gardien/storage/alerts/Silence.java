package fr.gardien.storage.alerts;

import fr.gardien.rules.lifecycle.SilenceWindow;
import java.time.Instant;

/**
 * A maintenance window: while it lasts ({@code startsAt} inclusive, {@code endsAt} exclusive),
 * no alert is opened for what it covers.
 *
 * @param equipment the equipment covered, or {@code null} for the whole site
 * @param ruleId the rule covered, or {@code null} for every rule
 */
public record Silence(long id, String site, String equipment, String ruleId, Instant startsAt, Instant endsAt,
        String createdBy, String reason, Instant createdAt) implements SilenceWindow {
}
