package fr.gardien.gateway.ticketing.connector;

import fr.gardien.gateway.ticketing.OutboundAlert;
import fr.gardien.gateway.ticketing.OutboundDigest;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * The plain-text body of an alert's mail, in French or English, made of the
 * {@link OutboundAlert}'s fields and nothing else: the summary first (what a person reads),
 * then one labelled line per field (what a mail parser can pick up).
 */
final class EmailBody {

    private EmailBody() {
    }

    private record Labels(String site, String equipment, String rule, String severity, String category, String urgency,
            String state, String transition, String firstSeen, String lastSeen, String occurrences, String alert,
            String delivery, String link, String footer) {
    }

    private static final Labels FR = new Labels("Site", "Équipement", "Règle", "Gravité", "Catégorie", "Urgence",
            "État", "Transition", "Première détection", "Dernière détection", "Occurrences", "Alerte Gardien",
            "Livraison", "Tableau de bord",
            "Message automatique de Gardien. Pour acquitter ou clore l'alerte, utilisez le tableau de bord"
                    + " ou le retour de votre outil de tickets.");
    private static final Labels EN = new Labels("Site", "Equipment", "Rule", "Severity", "Category", "Urgency",
            "State", "Transition", "First seen", "Last seen", "Occurrences", "Gardien alert", "Delivery", "Dashboard",
            "Automatic message from Gardien. To acknowledge or close the alert, use the dashboard"
                    + " or your ticketing tool's callback.");

    /** @param language {@code fr} or {@code en} */
    static String text(OutboundAlert a, String language) {
        Labels l = "en".equals(language) ? EN : FR;
        StringBuilder b = new StringBuilder();
        b.append(value(a.summary())).append("\n\n");
        line(b, l.site(), a.siteName() + " (" + a.site() + ")");
        line(b, l.equipment(), a.equipmentType() == null ? a.equipment() : a.equipment() + " (" + a.equipmentType() + ")");
        line(b, l.rule(), a.rule());
        line(b, l.severity(), a.severity());
        line(b, l.category(), a.category());
        line(b, l.urgency(), a.urgency());
        line(b, l.state(), a.state());
        line(b, l.transition(), a.transition());
        line(b, l.firstSeen(), time(a.firstSeen()));
        line(b, l.lastSeen(), time(a.lastSeen()));
        line(b, l.occurrences(), Integer.toString(a.occurrences()));
        line(b, l.alert(), Long.toString(a.alertId()));
        line(b, l.delivery(), a.idempotencyKey());
        line(b, l.link(), a.dashboardUrl());
        b.append("\n-- \n").append(l.footer()).append('\n');
        return b.toString();
    }

    /**
     * A digest's mail: its summary, the site and day, then one block per grouped alert (its
     * summary and labelled fields), then how many were not listed.
     */
    static String text(OutboundDigest d, String language) {
        boolean en = "en".equals(language);
        Labels l = en ? EN : FR;
        StringBuilder b = new StringBuilder();
        b.append(value(d.summary())).append("\n\n");
        line(b, l.site(), d.siteName() + " (" + d.site() + ")");
        line(b, en ? "Day" : "Jour", d.day().toString());
        line(b, en ? "Daily ticket budget" : "Budget quotidien de tickets", Integer.toString(d.budget()));
        line(b, en ? "Alerts" : "Alertes", Integer.toString(d.alertCount()));
        line(b, l.delivery(), d.idempotencyKey());
        line(b, l.link(), d.dashboardUrl());
        for (OutboundAlert a : d.alerts()) {
            b.append('\n').append("* ").append(value(a.summary())).append('\n');
            line(b, l.equipment(), a.equipmentType() == null ? a.equipment() : a.equipment() + " (" + a.equipmentType() + ")");
            line(b, l.rule(), a.rule());
            line(b, l.severity(), a.severity());
            line(b, l.state(), a.state());
            line(b, l.firstSeen(), time(a.firstSeen()));
            line(b, l.alert(), Long.toString(a.alertId()));
            line(b, l.link(), a.dashboardUrl());
        }
        int unlisted = d.alertCount() - d.alerts().size();
        if (unlisted > 0) {
            b.append('\n').append(en ? unlisted + " more alert(s), listed in the dashboard."
                    : unlisted + " alerte(s) de plus, listées dans le tableau de bord.").append('\n');
        }
        b.append("\n-- \n").append(l.footer()).append('\n');
        return b.toString();
    }

    private static void line(StringBuilder b, String label, String value) {
        b.append(label).append(": ").append(value(value)).append('\n');
    }

    private static String value(String text) {
        // One field, one line: a summary cannot forge a line a mail parser would read as another field.
        return text == null ? "-" : EmailConnector.oneLine(text);
    }

    private static String time(Instant at) {
        return at == null ? null : DateTimeFormatter.ISO_INSTANT.format(at);
    }
}
