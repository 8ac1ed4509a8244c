package fr.gardien.gateway.ticketing;

import fr.gardien.gateway.registry.Registry;
import fr.gardien.model.Equipment;
import fr.gardien.model.Site;
import fr.gardien.storage.Alert;
import fr.gardien.storage.AlertTransition;

/**
 * The one place where an outbound payload is made: from an alert and its transition to an
 * {@link OutboundAlert}, field by field from the allow-list. The explanation's figures, the
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
                transition.kind().name().toLowerCase(),
                alert.id() + ":" + transition.id(),
                alert.site(),
                site == null ? alert.site() : site.name(),
                alert.equipment(),
                equipmentType,
                alert.ruleId(),
                alert.severity().name().toLowerCase(),
                alert.category(),
                alert.urgency().name().toLowerCase().replace('_', '-'),
                alert.state().code(),
                summary,
                alert.firstSeen(),
                alert.lastSeen(),
                alert.occurrences(),
                dashboardBaseUrl + "/#/alerts/" + alert.id());
    }
}
