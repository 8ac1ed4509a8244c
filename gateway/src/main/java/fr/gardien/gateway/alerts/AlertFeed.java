package fr.gardien.gateway.alerts;

import fr.gardien.gateway.registry.RegistryView;
import fr.gardien.gateway.access.AuditLog;
import fr.gardien.gateway.access.BearerAuth;
import fr.gardien.gateway.web.Problem;
import fr.gardien.gateway.registry.Registry;
import fr.gardien.model.ApiToken;
import fr.gardien.model.Site;
import fr.gardien.storage.alerts.Alert;
import fr.gardien.storage.alerts.AlertQuery;
import io.vertx.ext.web.RoutingContext;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/sites/{site}/alerts.atom}: an Atom feed (RFC 4287) of a site's alerts for
 * feed readers, the {@value #ENTRIES} most recently changed first. One entry per alert (its id
 * stays, its {@code updated} moves with each transition), titled and summarised in the caller's
 * language ({@code ?lang=fr|en}, else {@code Accept-Language}, French by default), linked to
 * the alert in the dashboard. Scoped like every site route: 403 for a site the token may not see,
 * 404 for an unknown one.
 */
public final class AlertFeed {

    public static final String MEDIA_TYPE = "application/atom+xml";
    static final int ENTRIES = 50;
    private static final String ATOM = "http://www.w3.org/2005/Atom";
    private static final Logger log = LoggerFactory.getLogger(AlertFeed.class);

    private final AlertService alerts;
    private final RegistryView registry;
    private final String publicUrl;
    private final Clock clock;

    /**
     * @param publicUrl the gateway's public base URL (links to the dashboard and to the feed itself)
     */
    public AlertFeed(AlertService alerts, RegistryView registry, String publicUrl, Clock clock) {
        this.alerts = alerts;
        this.registry = registry;
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        this.clock = clock;
    }

    public void handle(RoutingContext ctx) {
        ApiToken token = BearerAuth.token(ctx);
        String siteId = ctx.pathParam("site");
        if (!token.maySee(siteId)) {
            Problem.forbidden(ctx, "this token may not read site " + siteId);
            return;
        }
        Site site = registry.current().site(siteId);
        if (site == null) {
            Problem.notFound(ctx, "no site " + siteId);
            return;
        }
        String lang = ctx.request().getParam("lang");
        Language language;
        if (lang == null || lang.isBlank()) {
            language = AlertApi.language(ctx);
        } else if (lang.equals("fr") || lang.equals("en")) {
            language = lang.equals("en") ? Language.EN : Language.FR;
        } else {
            Problem.badRequest(ctx, "invalid-parameter", "lang must be fr or en, got \"" + lang + "\"");
            return;
        }
        AuditLog.site(ctx, siteId);
        alerts.list(new AlertQuery(null, Set.of(siteId), null, null, ENTRIES)).onComplete(ar -> {
            if (ar.failed()) {
                log.warn("alert feed failed [site: {}, cause: {}]", siteId, ar.cause().toString());
                Problem.unavailable(ctx, 5, "the database did not answer");
                return;
            }
            String self = publicUrl + ctx.request().path() + (lang == null || lang.isBlank() ? "" : "?lang=" + lang);
            ctx.response().putHeader("Content-Type", MEDIA_TYPE + "; charset=utf-8")
                    .end(feed(site, ar.result(), language, self));
        });
    }

    String feed(Site site, List<Alert> list, Language language, String self) {
        boolean fr = language == Language.FR;
        Instant updated = list.stream().map(Alert::updatedAt).max(Instant::compareTo).orElse(clock.instant());
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeStartElement("feed");
            xml.writeDefaultNamespace(ATOM);
            xml.writeAttribute("xml:lang", fr ? "fr" : "en");
            text(xml, "id", "urn:gardien:site:" + site.id() + ":alerts");
            text(xml, "title", "Gardien — " + site.name() + (fr ? " : alertes" : ": alerts"));
            text(xml, "updated", updated.toString());
            link(xml, "self", MEDIA_TYPE, self);
            link(xml, "alternate", "text/html", publicUrl + "/");
            xml.writeStartElement("author");
            text(xml, "name", "Gardien");
            xml.writeEndElement();
            text(xml, "generator", "Gardien");
            for (Alert alert : list) {
                xml.writeStartElement("entry");
                text(xml, "id", "urn:gardien:alert:" + alert.id());
                text(xml, "title", "[" + severity(alert, fr) + "] " + alert.equipment() + " — " + alert.ruleId()
                        + " (" + state(alert, fr) + ")");
                text(xml, "updated", alert.updatedAt().toString());
                text(xml, "published", alert.firstSeen().toString());
                link(xml, "alternate", "text/html", publicUrl + "/#/alerts/" + alert.id());
                xml.writeEmptyElement("category");
                xml.writeAttribute("term", Alert.code(alert.severity()));
                xml.writeAttribute("label", severity(alert, fr));
                xml.writeStartElement("summary");
                xml.writeAttribute("type", "text");
                xml.writeCharacters(fr ? alert.explanation().summaryFr() : alert.explanation().summaryEn());
                xml.writeEndElement();
                xml.writeEndElement();
            }
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing XML to a string cannot fail", e);
        }
        return out.toString();
    }

    private static void text(XMLStreamWriter xml, String element, String text) throws XMLStreamException {
        xml.writeStartElement(element);
        xml.writeCharacters(text);
        xml.writeEndElement();
    }

    private static void link(XMLStreamWriter xml, String rel, String type, String href) throws XMLStreamException {
        xml.writeEmptyElement("link");
        xml.writeAttribute("rel", rel);
        xml.writeAttribute("type", type);
        xml.writeAttribute("href", href);
    }

    private static String severity(Alert alert, boolean fr) {
        return switch (alert.severity()) {
            case INFO -> fr ? "information" : "info";
            case WARNING -> fr ? "avertissement" : "warning";
            case MAJOR -> fr ? "majeure" : "major";
            case CRITICAL -> fr ? "critique" : "critical";
        };
    }

    private static String state(Alert alert, boolean fr) {
        return switch (alert.state()) {
            case OPEN -> fr ? "ouverte" : "open";
            case ACKNOWLEDGED -> fr ? "prise en compte" : "acknowledged";
            case RESOLVED -> fr ? "résolue" : "resolved";
        };
    }
}
