package fr.gardien.rules.lifecycle;

import java.time.Instant;

/**
 * A maintenance window as the alert lifecycle sees it: while it lasts ({@code startsAt}
 * inclusive, {@code endsAt} exclusive) no alert is opened for the site, equipment and rule it
 * covers. The stored silence implements it.
 */
public interface SilenceWindow {

    String site();

    /** The equipment covered, or {@code null} for every equipment of the site. */
    String equipment();

    /** The rule covered, or {@code null} for every rule. */
    String ruleId();

    Instant startsAt();

    Instant endsAt();

    /** Whether this window covers a raise of {@code ruleId} on {@code site}/{@code equipment} at {@code at}. */
    default boolean covers(String ruleId, String site, String equipment, Instant at) {
        return site().equals(site)
                && (equipment() == null || equipment().equals(equipment))
                && (ruleId() == null || ruleId().equals(ruleId))
                && !startsAt().isAfter(at) && endsAt().isAfter(at);
    }
}
