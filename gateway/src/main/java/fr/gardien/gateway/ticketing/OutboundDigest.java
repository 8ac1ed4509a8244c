package fr.gardien.gateway.ticketing;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Everything that may leave about a digest ticket (issue 4: "a daily ticket budget per site
 * beyond which alerts are grouped into one digest ticket"): the site, the day, the budget, and
 * the grouped alerts as {@link OutboundAlert}s, so that the allow-list stays the one of
 * {@link OutboundAlert}. Built by {@link PrivacyBoundary#digest} only.
 *
 * @param digestId the digest's id in Gardien
 * @param idempotencyKey {@code digest:<site>:<day>:<route>}, the same on every try
 * @param route the route's name (or position) whose budget was spent
 * @param day the site's local day
 * @param budget the route's daily budget of tickets
 * @param alertCount how many alerts the digest groups (all of them, even beyond {@code alerts})
 * @param severity the highest severity among them
 * @param urgency the most urgent class among them
 * @param summary the digest's text in the connector's language: counts by rule and equipment
 * @param firstSeen the earliest first detection among them
 * @param lastSeen the latest detection among them
 * @param dashboardUrl a link to the site's alerts in the dashboard
 * @param alerts the grouped alerts, oldest first, at most {@link #MAX_LISTED}
 */
public record OutboundDigest(long digestId, String idempotencyKey, String site, String siteName, String route,
        LocalDate day, int budget, int alertCount, String severity, String urgency, String summary, Instant firstSeen,
        Instant lastSeen, String dashboardUrl, List<OutboundAlert> alerts) {

    /** A ticket stays readable: the first alerts are listed one by one, the rest only counted. */
    public static final int MAX_LISTED = 200;

    public OutboundDigest {
        alerts = List.copyOf(alerts);
    }

    /**
     * The digest as one ticket in the shape of an alert, for connectors that speak in alert
     * fields (REST templates, mail subjects): rule {@code digest}, transition {@code digest},
     * alert id 0 (the ticketing system's callback cannot act on a digest), the equipment and
     * categories joined, the alert count as occurrences. Every value comes from this record.
     */
    public OutboundAlert asTicket() {
        return new OutboundAlert(0, "digest", idempotencyKey, site, siteName,
                join(alerts.stream().map(OutboundAlert::equipment).toList()),
                join(alerts.stream().map(OutboundAlert::equipmentType).toList()),
                "digest", severity, join(alerts.stream().map(OutboundAlert::category).toList()), urgency, "open", summary,
                firstSeen, lastSeen, alertCount, dashboardUrl);
    }

    private static String join(List<String> values) {
        return String.join(", ", values.stream().filter(v -> v != null).distinct().sorted().toList());
    }
}
