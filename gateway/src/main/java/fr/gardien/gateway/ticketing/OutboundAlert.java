package fr.gardien.gateway.ticketing;

import java.time.Instant;

/**
 * Everything that may leave the landlord's perimeter about an alert, and nothing more: the
 * allow-list of issue 4 and of the contract ("Outbound tickets"). Every connector builds its
 * request from this record only; adding a field here is the visible act of widening what leaves.
 * No readings, no series, no device, no secret, no person: an alert's summary carries aggregated
 * figures only (the rule's template over its detector's figures).
 *
 * @param alertId the alert's id in Gardien (for the callback and the dashboard link)
 * @param transition what happened: opened, retriggered, acknowledged, resolved, reopened
 * @param idempotencyKey {@code alertId:transitionId}, the same on every try of this delivery
 * @param site the site id
 * @param siteName the site's name as in the portfolio (a building, not a person)
 * @param equipment the equipment id
 * @param equipmentType the equipment type (boiler, lift, …)
 * @param rule the rule id
 * @param severity info, warning, major, critical
 * @param category the rule's category (routing)
 * @param urgency immediate, within-days, planned
 * @param state open, acknowledged, resolved
 * @param summary the alert's summary in the connector's language
 * @param firstSeen when the condition first held
 * @param lastSeen when it was last observed
 * @param occurrences how many times it was raised while active
 * @param dashboardUrl a link back to the alert in Gardien's dashboard
 */
public record OutboundAlert(long alertId, String transition, String idempotencyKey, String site, String siteName,
        String equipment, String equipmentType, String rule, String severity, String category, String urgency,
        String state, String summary, Instant firstSeen, Instant lastSeen, int occurrences, String dashboardUrl) {
}
