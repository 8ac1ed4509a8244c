package fr.gardien.gateway.ticketing;

import fr.gardien.gateway.registry.Registry;
import fr.gardien.model.Equipment;
import fr.gardien.model.Site;
import fr.gardien.storage.alerts.Alert;
import fr.gardien.storage.alerts.AlertTransition;
import fr.gardien.storage.alerts.DigestEntry;
import fr.gardien.storage.alerts.DigestItem;
import fr.gardien.rules.Severity;
import fr.gardien.rules.Urgency;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place where an outbound payload is made: from an alert and its transition to an
 * {@link OutboundAlert}, field by field from the allow-list, and from a digest's alerts to an
 * {@link OutboundDigest} made of such records. The explanation's figures, the
 * explanation period and everything about devices and readings stay inside.
 */
public final class PrivacyBoundary {

    private final String dashboardBaseUrl;

    /**
     * @param dashboardBaseUrl the gateway's public base URL (e.g. {@code https://gardien.example}),
     *     for the link back to the alert
     */
    public PrivacyBoundary(String dashboardBaseUrl) {
        this.dashboardBaseUrl = dashboardBaseUrl.endsWith("/")
                ? dashboardBaseUrl.substring(0, dashboardBaseUrl.length() - 1) : dashboardBaseUrl;
    }

    /**
     * @param language {@code fr} or {@code en}: the summary's language
     */
    public OutboundAlert outbound(Alert alert, AlertTransition transition, Registry registry, String language) {
        return outbound(alert, transition.kind().name().toLowerCase(), alert.id() + ":" + transition.id(), registry, language);
    }

    /**
     * The digest ticket of a (route, site, day): its grouped alerts field by field from the same
     * allow-list, with counts and a summary made of them.
     *
     * @param language {@code fr} or {@code en}: the summaries' language
     */
    public OutboundDigest digest(DigestItem item, Registry registry, String language) {
        DigestEntry d = item.entry();
        List<Alert> alerts = item.alerts();
        List<OutboundAlert> listed = new ArrayList<>();
        for (Alert a : alerts.subList(0, Math.min(alerts.size(), OutboundDigest.MAX_LISTED))) {
            listed.add(outbound(a, "digest", d.idempotencyKey() + ":" + a.id(), registry, language));
        }
        Severity severity = alerts.stream().map(Alert::severity).max(Comparator.naturalOrder()).orElse(Severity.INFO);
        Urgency urgency = alerts.stream().map(Alert::urgency).min(Comparator.naturalOrder()).orElse(Urgency.PLANNED);
        Instant firstSeen = alerts.stream().map(Alert::firstSeen).min(Comparator.naturalOrder()).orElse(null);
        Instant lastSeen = alerts.stream().map(Alert::lastSeen).max(Comparator.naturalOrder()).orElse(null);
        Site site = registry.site(d.site());
        String siteName = site == null ? d.site() : site.name();
        return new OutboundDigest(d.id(), d.idempotencyKey(), d.site(), siteName, d.route(), d.day(), d.budget(),
                alerts.size(), severity.name().toLowerCase(), urgency(urgency), digestSummary(d, siteName, alerts, language),
                firstSeen, lastSeen, dashboardBaseUrl + "/#/sites/" + d.site(), listed);
    }

    /** "7 alerts beyond the daily budget of 5 tickets — Résidence X, 2026-11-22: 4 × rule (equipment), …" */
    private static String digestSummary(DigestEntry d, String siteName, List<Alert> alerts, String language) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Alert a : alerts) {
            counts.merge(a.ruleId() + " (" + a.equipment() + ")", 1, Integer::sum);
        }
        List<String> parts = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .map(e -> e.getValue() + " × " + e.getKey()).toList();
        boolean en = "en".equals(language);
        String head = en
                ? alerts.size() + " alert(s) beyond the daily budget of " + d.budget() + " ticket(s) — " + siteName + ", " + d.day()
                : alerts.size() + " alerte(s) au-delà du budget quotidien de " + d.budget() + " ticket(s) — " + siteName + ", "
                        + d.day().format(DateTimeFormatter.ofPattern("dd/MM/yyyy"));
        return head + (en ? ": " : " : ") + String.join(", ", parts);
    }

    private OutboundAlert outbound(Alert alert, String transition, String idempotencyKey, Registry registry, String language) {
        Site site = registry.site(alert.site());
        String equipmentType = null;
        if (site != null) {
            for (Equipment e : site.equipment()) {
                if (e.id().equals(alert.equipment())) {
                    equipmentType = e.type();
                }
            }
        }
        String summary = "en".equals(language) ? alert.explanation().summaryEn() : alert.explanation().summaryFr();
        return new OutboundAlert(
                alert.id(),
                transition,
                idempotencyKey,
                alert.site(),
                site == null ? alert.site() : site.name(),
                alert.equipment(),
                equipmentType,
                alert.ruleId(),
                alert.severity().name().toLowerCase(),
                alert.category(),
                urgency(alert.urgency()),
                alert.state().code(),
                summary,
                alert.firstSeen(),
                alert.lastSeen(),
                alert.occurrences(),
                dashboardBaseUrl + "/#/alerts/" + alert.id());
    }

    private static String urgency(Urgency u) {
        return u.name().toLowerCase().replace('_', '-');
    }
}
