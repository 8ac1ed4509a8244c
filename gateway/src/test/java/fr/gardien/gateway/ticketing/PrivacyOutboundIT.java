package fr.gardien.gateway.ticketing;

import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.gateway.ticketing.connector.Await;
import fr.gardien.gateway.ticketing.connector.CapturingServer;
import fr.gardien.gateway.ticketing.connector.CapturingServer.Answer;
import fr.gardien.gateway.ticketing.connector.CapturingServer.Captured;
import fr.gardien.gateway.ticketing.connector.RestConnector;
import fr.gardien.gateway.ticketing.connector.RestSettings;
import fr.gardien.gateway.ticketing.connector.WebhookConnector;
import fr.gardien.gateway.ticketing.connector.WebhookSettings;
import fr.gardien.storage.alerts.Alert;
import fr.gardien.storage.alerts.AlertTransition;
import fr.gardien.storage.alerts.DigestEntry;
import fr.gardien.storage.alerts.DigestItem;
import java.time.LocalDate;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random alerts over a random portfolio, through the privacy boundary and every connector, one by
 * one and grouped in digest tickets, to
 * capturing servers: no raw value, hidden figure, point key, device, secret, token or person in
 * any request, and every request at a configured connector's address, even when alerts carry
 * another address and servers answer with redirects or hostile ticket references.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PrivacyOutboundIT {

    private Vertx vertx;
    private final List<CapturingServer> servers = new ArrayList<>();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() {
        servers.forEach(CapturingServer::close);
        Await.result(vertx.close());
    }

    private CapturingServer server(Function<Captured, Answer> responder) {
        CapturingServer s = new CapturingServer(vertx, responder);
        servers.add(s);
        return s;
    }

    private Map<CapturingServer, Integer> counts() {
        Map<CapturingServer, Integer> counts = new HashMap<>();
        servers.forEach(s -> counts.put(s, s.captured().size()));
        return counts;
    }

    /** Answers like a ticketing system, but now and then with a redirect to the decoy or a hostile reference. */
    private static Function<Captured, Answer> system(CapturingServer[] decoy, String createAnswer, AtomicInteger n) {
        return c -> {
            int i = n.incrementAndGet();
            if (i % 17 == 0) {
                return new Answer(307, Map.of("Location", decoy[0].url("/steal")), "");
            }
            if (c.path().endsWith("/Ticket") || c.path().endsWith("/issues.json") || c.path().endsWith("/request")
                    || c.path().endsWith("/tickets")) {
                String ref = i % 13 == 0 ? decoy[0].url("/steal?id=" + i) : String.valueOf(i);
                return Answer.of(201, createAnswer.replace("REF", ref));
            }
            return Answer.status(i % 2 == 0 ? 200 : 204);
        };
    }

    @Test
    void noPrivateDataLeavesAndEveryRequestGoesToAConfiguredConnector() {
        CapturingServer decoy = server(c -> Answer.status(200));
        CapturingServer[] decoyRef = {decoy};
        AtomicInteger counter = new AtomicInteger();
        CapturingServer hook = server(system(decoyRef, "", counter));
        CapturingServer glpi = server(system(decoyRef, "{\"id\":\"REF\",\"message\":\"\"}", counter));
        CapturingServer redmine = server(system(decoyRef, "{\"issue\":{\"id\":\"REF\"}}", counter));
        CapturingServer jira = server(system(decoyRef, "{\"issueId\":\"1\",\"issueKey\":\"REF\"}", counter));
        CapturingServer custom = server(system(decoyRef, "{\"id\":\"REF\"}", counter));

        Map<String, String> basePaths = new LinkedHashMap<>();
        Map<String, CapturingServer> serverOf = new HashMap<>();
        List<TicketConnector> connectors = new ArrayList<>();
        connectors.add(new WebhookConnector(vertx, WebhookSettings.fromYaml(insecure(Map.of("name", "hook", "type", "webhook",
                "url", hook.url("/in/gardien"), "secret", "webhook-secret-0123456789")))));
        connectors.add(new RestConnector(vertx, RestSettings.fromYaml(insecure(Map.of("name", "glpi", "type", "rest",
                "template", "glpi", "url", glpi.url("/glpi"), "app-token", "glpi-app", "session-token", "glpi-sess")))));
        connectors.add(new RestConnector(vertx, RestSettings.fromYaml(insecure(Map.of("name", "redmine", "type", "rest",
                "template", "redmine", "url", redmine.url("/redmine"), "api-key", "rm-key", "project-id", 1,
                "closed-status-id", 5)))));
        connectors.add(new RestConnector(vertx, RestSettings.fromYaml(insecure(Map.of("name", "jira", "type", "rest",
                "template", "jira", "url", jira.url(""), "email", "a@b.example", "api-token", "jt",
                "service-desk-id", 1, "request-type-id", 2, "resolve-transition-id", 3)))));
        connectors.add(new RestConnector(vertx, RestSettings.fromYaml(insecure(Map.of("name", "custom", "type", "rest",
                "url", custom.url("/api"), "secrets", Map.of("t", "custom-token"),
                "create", Map.of("method", "POST", "path", "/tickets", "headers", Map.of("X-Token", "${secret:t}"),
                        "body", Map.of("all", "${alertId} ${transition} ${site} ${siteName} ${equipment} "
                                + "${equipmentType} ${rule} ${severity} ${category} ${urgency} ${state} ${summary} "
                                + "${firstSeen} ${lastSeen} ${occurrences} ${dashboardUrl}"), "ref", "/id"),
                "update", Map.of("method", "PATCH", "path", "/tickets/${ref}", "body", Map.of("s", "${summary}")),
                "close", Map.of("method", "DELETE", "path", "/tickets/${ref}"))))));
        basePaths.put("hook", "/in/gardien");
        basePaths.put("glpi", "/glpi/");
        basePaths.put("redmine", "/redmine/");
        basePaths.put("jira", "/rest/");
        basePaths.put("custom", "/api/tickets");
        serverOf.putAll(Map.of("hook", hook, "glpi", glpi, "redmine", redmine, "jira", jira, "custom", custom));

        PrivacyBoundary boundary = new PrivacyBoundary("https://gardien.example");
        int attempts = 0;
        int failures = 0;
        Set<String> forbidden = new java.util.HashSet<>();
        for (long seed = 1; seed <= 4; seed++) {
            RandomAlerts world = new RandomAlerts(seed);
            forbidden.addAll(world.forbidden());
            List<Alert> alerts = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                // An alert's text naming another address must not make a connector go there.
                Alert alert = world.alert(" (voir " + decoy.url("/steal") + ")");
                forbidden.addAll(world.forbidden(alert));
                for (TicketConnector connector : connectors) {
                    String ref = null;
                    for (AlertTransition.Kind kind : List.of(AlertTransition.Kind.OPENED,
                            AlertTransition.Kind.RETRIGGERED, AlertTransition.Kind.ACKNOWLEDGED,
                            AlertTransition.Kind.RESOLVED)) {
                        OutboundAlert out = boundary.outbound(alert, world.transition(alert, kind), world.registry(),
                                i % 2 == 0 ? "fr" : "en");
                        attempts++;
                        Map<CapturingServer, Integer> before = counts();
                        try {
                            DeliveryResult result = Await.result(connector.deliver(out, ref));
                            ref = result.ticketRef();
                        } catch (DeliveryException e) {
                            failures++;
                            assertThat(e.getMessage()).doesNotContain("custom-token", "glpi-sess", "rm-key");
                        }
                        atMostOneRequestAtItsOwnServer(connector, before, serverOf);
                    }
                }
                alerts.add(alert);
            }
            // The same over digest tickets of these alerts.
            DigestItem digest = new DigestItem(new DigestEntry(seed, "routes[0]", alerts.get(0).site(), LocalDate.of(2026, 11, 20),
                    "hook", 3, alerts.size(), "pending", 1, null, null, null, null, null,
                    "digest:" + alerts.get(0).site() + ":2026-11-20:routes[0]"), alerts);
            for (TicketConnector connector : connectors) {
                OutboundDigest out = boundary.digest(digest, world.registry(), seed % 2 == 0 ? "fr" : "en");
                attempts++;
                Map<CapturingServer, Integer> before = counts();
                try {
                    Await.result(connector.deliverDigest(out));
                } catch (DeliveryException e) {
                    failures++;
                }
                atMostOneRequestAtItsOwnServer(connector, before, serverOf);
            }
        }

        assertThat(decoy.captured()).as("requests to an address no connector names").isEmpty();
        int captured = 0;
        for (Map.Entry<String, CapturingServer> e : serverOf.entrySet()) {
            for (Captured c : e.getValue().captured()) {
                captured++;
                assertThat(c.header("host")).isEqualTo("127.0.0.1:" + e.getValue().port());
                assertThat(c.path()).as(e.getKey()).startsWith(basePaths.get(e.getKey()));
                String wire = c.wire();
                assertThat(forbidden.stream().filter(wire::contains).toList()).as("%s: %s", e.getKey(), c.uri()).isEmpty();
            }
        }
        // Every delivery that reached the network is one request at its own connector's server; a
        // hostile reference is refused before any request is made.
        assertThat(captured).isLessThanOrEqualTo(attempts).isGreaterThan(attempts / 2);
        assertThat(failures).as("the hostile answers were exercised").isGreaterThan(0);
    }

    private void atMostOneRequestAtItsOwnServer(TicketConnector connector, Map<CapturingServer, Integer> before,
            Map<String, CapturingServer> serverOf) {
        Map<CapturingServer, Integer> after = counts();
        for (CapturingServer s : servers) {
            int sent = after.get(s) - before.get(s);
            assertThat(sent).as("%s -> server %d", connector.name(), s.port())
                    .isEqualTo(s == serverOf.get(connector.name()) ? Math.min(sent, 1) : 0);
        }
    }

    /** The capturing servers are plain http on loopback: the connectors are allowed to use it (issue 14). */
    private static Map<String, Object> insecure(Map<String, ?> yaml) {
        Map<String, Object> out = new HashMap<>(yaml);
        out.put("allow-insecure", true);
        return out;
    }
}
