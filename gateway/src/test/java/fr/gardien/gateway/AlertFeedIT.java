package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.ADMIN_TOKEN;
import static fr.gardien.gateway.GatewayHarness.MANAGER_MARRONNIERS_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.SyndFeedInput;
import fr.gardien.rules.RuleSignal;
import fr.gardien.rules.Severity;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

/** The Atom feed of a site's alerts: valid RFC 4287, in the caller's language, Basic or Bearer, scoped. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AlertFeedIT {

    static final String ATOM = "http://www.w3.org/2005/Atom";
    static final HttpClient http = HttpClient.newHttpClient();

    @RegisterExtension
    static final GatewayHarness harness = GatewayHarness.perClass(Map.of(),
                "ticketing:\n  public-url: https://gardien.example/\n");
    static long alertId;

    @BeforeAll
    static void start() throws Exception {
        alertId = raise();
    }

    static long raise() throws Exception {
        return harness.gateway.alerts().apply(AlertApiIT.signal(RuleSignal.Kind.RAISED, "heating-no-heat", "tilleuls",
                        "boiler-1", Severity.CRITICAL, java.time.Instant.now().minusSeconds(60)))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).alert().id();
    }

    static HttpResponse<String> feed(String pathAndQuery, String authorization, String language) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(harness.httpBase() + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (language != null) {
            request.header("Accept-Language", language);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String basic(String user, String token) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8));
    }

    /** A feed reader with HTTP Basic (the token as password) gets an Atom feed that a feed parser reads, with the alert linked to the dashboard. */
    @Test
    void aFeedReaderWithBasicGetsAValidAtomFeed() throws Exception {
        HttpResponse<String> response = feed("/api/v1/sites/tilleuls/alerts.atom", basic("reader", ADMIN_TOKEN), "en");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/atom+xml"));

        SyndFeed parsed = new SyndFeedInput().build(new StringReader(response.body()));
        assertThat(parsed.getFeedType()).isEqualTo("atom_1.0");
        assertThat(parsed.getUri()).isEqualTo("urn:gardien:site:tilleuls:alerts");
        assertThat(parsed.getTitle()).isEqualTo("Gardien — Résidence Les Tilleuls: alerts");
        assertThat(parsed.getPublishedDate()).isNotNull();
        List<SyndEntry> entries = parsed.getEntries();
        assertThat(entries).anySatisfy(e -> {
            assertThat(e.getUri()).isEqualTo("urn:gardien:alert:" + alertId);
            assertThat(e.getTitle()).isEqualTo("[critical] boiler-1 — heating-no-heat (open)");
            assertThat(e.getDescription().getValue()).isEqualTo("Supply below 35 °C for 45 min");
            assertThat(e.getLink()).isEqualTo("https://gardien.example/#/alerts/" + alertId);
            assertThat(e.getUpdatedDate()).isNotNull();
        });

        // RFC 4287 §4.1.1: a feed has exactly one id, title and updated, and an author when its entries have none.
        Document xml = parse(response.body());
        Element root = xml.getDocumentElement();
        assertThat(root.getNamespaceURI()).isEqualTo(ATOM);
        assertThat(root.getLocalName()).isEqualTo("feed");
        for (String required : List.of("id", "title", "updated", "author")) {
            assertThat(children(root, required)).as(required).isEqualTo(1);
        }
        Element entry = (Element) root.getElementsByTagNameNS(ATOM, "entry").item(0);
        for (String required : List.of("id", "title", "updated", "summary")) {
            assertThat(children(entry, required)).as("entry " + required).isEqualTo(1);
        }
    }

    /** The summary follows ?lang, else Accept-Language, French by default; a bearer token works too. */
    @Test
    void theSummaryIsInTheCallersLanguage() throws Exception {
        String french = feed("/api/v1/sites/tilleuls/alerts.atom", "Bearer " + ADMIN_TOKEN, null).body();
        SyndFeed parsed = new SyndFeedInput().build(new StringReader(french));
        assertThat(parsed.getTitle()).isEqualTo("Gardien — Résidence Les Tilleuls : alertes");
        assertThat(parsed.getEntries()).anySatisfy(e -> {
            assertThat(e.getTitle()).isEqualTo("[critique] boiler-1 — heating-no-heat (ouverte)");
            assertThat(e.getDescription().getValue()).isEqualTo("Départ sous 35 °C depuis 45 min");
        });
        String english = feed("/api/v1/sites/tilleuls/alerts.atom?lang=en", basic("", ADMIN_TOKEN), "fr").body();
        assertThat(new SyndFeedInput().build(new StringReader(english)).getEntries())
                .anySatisfy(e -> assertThat(e.getDescription().getValue()).isEqualTo("Supply below 35 °C for 45 min"));
        assertThat(feed("/api/v1/sites/tilleuls/alerts.atom?lang=de", basic("", ADMIN_TOKEN), null).statusCode()).isEqualTo(400);
    }

    /** No credentials get 401 with a Basic challenge; another site's manager 403; an unknown site 404. */
    @Test
    void theFeedIsAuthenticatedAndScoped() throws Exception {
        HttpResponse<String> anonymous = feed("/api/v1/sites/tilleuls/alerts.atom", null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().allValues("WWW-Authenticate")).anySatisfy(v -> assertThat(v).startsWith("Basic "));
        assertThat(feed("/api/v1/sites/tilleuls/alerts.atom", basic("x", "wrong-token-123"), null).statusCode()).isEqualTo(401);
        HttpResponse<String> other = feed("/api/v1/sites/tilleuls/alerts.atom", basic("x", MANAGER_MARRONNIERS_TOKEN), null);
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.body()).doesNotContain("heating-no-heat");
        HttpResponse<String> own = feed("/api/v1/sites/marronniers/alerts.atom", basic("x", MANAGER_MARRONNIERS_TOKEN), null);
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.body()).doesNotContain("tilleuls/");
        assertThat(feed("/api/v1/sites/acacias/alerts.atom", basic("x", ADMIN_TOKEN), null).statusCode()).isEqualTo(404);
    }

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    static int children(Element parent, String name) {
        int count = 0;
        for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && ATOM.equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
                count++;
            }
        }
        return count;
    }
}
