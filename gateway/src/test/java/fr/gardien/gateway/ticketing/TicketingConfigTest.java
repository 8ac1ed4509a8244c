package fr.gardien.gateway.ticketing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.gardien.gateway.config.ConfigException;
import fr.gardien.rules.yaml.YamlFile;
import fr.gardien.rules.yaml.YamlNode;
import fr.gardien.gateway.registry.Registry;
import fr.gardien.model.Equipment;
import fr.gardien.model.Site;
import fr.gardien.rules.Explanation;
import fr.gardien.rules.Severity;
import fr.gardien.rules.Urgency;
import fr.gardien.storage.alerts.Alert;
import fr.gardien.storage.alerts.OutboxStore;
import fr.gardien.storage.alerts.OutboxStore.Routing;
import fr.gardien.storage.access.StoredRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class TicketingConfigTest {

    @TempDir
    Path dir;

    static final Registry REGISTRY = Registry.of(new StoredRegistry(List.of(
            new Site("tilleuls", "Résidence Les Tilleuls", ZoneId.of("Europe/Paris"), List.of(
                    new Equipment("boiler-1", "boiler", List.of()), new Equipment("lift-a", "lift", List.of())))),
            List.of(), List.of(), List.of()));

    private YamlNode section(String... lines) throws IOException, YamlFile.ReadException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, "ticketing:\n" + String.join("\n", lines) + "\n");
        YamlFile yaml = YamlFile.read(file);
        assertThat(yaml.problems()).isEmpty();
        return ((YamlNode.Mapping) yaml.root()).get("ticketing").value();
    }

    private TicketingConfig parse(String... lines) throws Exception {
        return TicketingConfig.parse(section(lines), "config.yaml");
    }

    static Set<String> names(TicketingConfig c) {
        Set<String> names = new java.util.HashSet<>();
        c.connectors().forEach(s -> names.add(s.name()));
        return names;
    }

    static Alert alert(String site, String equipment, String category, Severity severity, Urgency urgency) {
        return new Alert(1, "rule", site, equipment, severity, category, urgency, Alert.State.OPEN,
                new Explanation(null, null, Map.of(), "fr", "en"), Instant.EPOCH, Instant.EPOCH, 1, 0, null, null, null, null,
                null, null, null, Instant.EPOCH);
    }

    /** A full section is read with its connectors, routes in order, default and delivery settings. */
    @Test
    void fullSectionIsRead() throws Exception {
        TicketingConfig c = parse(
                "  public-url: https://gardien.example",
                "  language: en",
                "  connectors:",
                "    - name: heating-contractor",
                "      type: webhook",
                "      url: https://tickets.example/hook",
                "      secret: s3cret",
                "    - name: glpi",
                "      type: rest",
                "  routes:",
                "    - match: {equipment-type: [boiler, substation], severity: critical}",
                "      connector: heating-contractor",
                "      categories: [heat, hot-water]",
                "      quiet-hours: {from: \"22:00\", to: \"07:00\"}",
                "    - match: {}",
                "      connector: glpi",
                "  default: glpi",
                "  delivery:",
                "    max-attempts: 5",
                "    initial-backoff: 10s",
                "    max-backoff: 30m",
                "    concurrency: 2",
                "    poll-interval: 500ms");

        assertThat(c.connectors()).extracting(ConnectorSpec::name, ConnectorSpec::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("heating-contractor", ConnectorSpec.Type.WEBHOOK),
                        org.assertj.core.groups.Tuple.tuple("glpi", ConnectorSpec.Type.REST));
        assertThat(c.connectors().get(0).field("url")).isInstanceOfSatisfying(YamlNode.Scalar.class,
                s -> assertThat(s.text()).isEqualTo("https://tickets.example/hook"));
        assertThat(c.connectors().get(0).path("url")).isEqualTo("ticketing.connectors[0].url");
        assertThat(c.routes()).hasSize(2);
        Route first = c.routes().get(0);
        assertThat(first.match()).isEqualTo(Map.of("equipment-type", Set.of("boiler", "substation"), "severity",
                Set.of("critical")));
        assertThat(first.categories()).containsExactlyInAnyOrder("heat", "hot-water");
        assertThat(first.quietHours()).isEqualTo(new QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 0)));
        assertThat(c.defaultConnector()).isEqualTo("glpi");
        assertThat(c.delivery()).isEqualTo(new DeliverySettings(5, Duration.ofSeconds(10), Duration.ofMinutes(30), 2,
                Duration.ofMillis(500), Duration.ofMinutes(5)));
        assertThat(c.publicUrl()).isEqualTo("https://gardien.example");
        assertThat(c.language()).isEqualTo("en");
    }

    /** Absent settings take the documented defaults. */
    @Test
    void defaultsApply() throws Exception {
        TicketingConfig c = parse("  connectors:", "    - {name: hook, type: webhook}");

        assertThat(c.delivery()).isEqualTo(DeliverySettings.DEFAULTS);
        assertThat(c.delivery().maxAttempts()).isEqualTo(10);
        assertThat(c.delivery().initialBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.delivery().maxBackoff()).isEqualTo(Duration.ofHours(1));
        assertThat(c.delivery().concurrency()).isEqualTo(4);
        assertThat(c.delivery().pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.publicUrl()).isEqualTo("http://localhost:8080");
        assertThat(c.language()).isEqualTo("fr");
        assertThat(c.defaultConnector()).isNull();
        assertThat(c.enabled()).isTrue();
    }

    /** Every error of the section is reported at once, each with its line and key. */
    @Test
    void everyErrorIsReportedWithItsLine() {
        assertThatThrownBy(() -> parse(
                "  connectors:",                                   // 2
                "    - name: hook",                                // 3
                "      type: fax",                                 // 4
                "    - name: hook",                                // 5
                "      type: webhook",                             // 6
                "    - type: email",                               // 7
                "  routes:",                                       // 8
                "    - match: {colour: red, severity: urgent}",    // 9
                "      connector: nowhere",                        // 10
                "      quiet-hours: {from: \"25:00\", to: \"07:00\"}", // 11
                "      daily-budget: -1",                          // 12
                "  default: missing",                              // 13
                "  delivery:",                                     // 14
                "    max-attempts: 0",                             // 15
                "    initial-backoff: soon",                       // 16
                "  language: de"))                                 // 17
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactlyInAnyOrder(
                        "config.yaml:4: ticketing.connectors[0].type: expected webhook, rest or email, got \"fax\"",
                        "config.yaml:5: ticketing.connectors[1].name: \"hook\" is already the name of the connector at line 3",
                        "config.yaml:7: ticketing.connectors[2].name: missing",
                        "config.yaml:9: ticketing.routes[0].match.colour: unknown field; expected one of site, equipment-type,"
                                + " category, severity, urgency",
                        "config.yaml:9: ticketing.routes[0].match.severity: expected one of critical, info, major, warning,"
                                + " got \"urgent\"",
                        "config.yaml:10: ticketing.routes[0].connector: no connector is named \"nowhere\"",
                        "config.yaml:11: ticketing.routes[0].quiet-hours.from: expected a time of day HH:MM, got \"25:00\"",
                        "config.yaml:12: ticketing.routes[0].daily-budget: expected an integer from 0 to 100000, got \"-1\"",
                        "config.yaml:13: ticketing.default: no connector is named \"missing\"",
                        "config.yaml:15: ticketing.delivery.max-attempts: expected an integer from 1 to 1000, got \"0\"",
                        "config.yaml:16: ticketing.delivery.initial-backoff: expected a duration such as 500ms, 30s, 5m or 1h,"
                                + " got \"soon\"",
                        "config.yaml:17: ticketing.language: expected fr or en, got \"de\""));
    }

    /** The first matching route wins; an alert no route matches goes to the default. */
    @Test
    void firstMatchingRouteWinsElseTheDefault() throws Exception {
        TicketingConfig c = parse(
                "  connectors:",
                "    - {name: heating, type: webhook}",
                "    - {name: critical, type: webhook}",
                "    - {name: catch-all, type: email}",
                "  routes:",
                "    - match: {equipment-type: boiler}",
                "      connector: heating",
                "    - match: {severity: [critical, major], site: tilleuls}",
                "      connector: critical",
                "  default: catch-all");
        Router router = new Router(c.routes(), c.defaultConnector(), names(c));
        Instant now = Instant.parse("2026-11-20T12:00:00Z");

        assertThat(router.route(alert("tilleuls", "boiler-1", "heat", Severity.CRITICAL, Urgency.IMMEDIATE), null, REGISTRY, now))
                .isEqualTo(Routing.to("heating", null));
        assertThat(router.route(alert("tilleuls", "lift-a", "lift", Severity.CRITICAL, Urgency.IMMEDIATE), null, REGISTRY, now))
                .isEqualTo(Routing.to("critical", null));
        assertThat(router.route(alert("tilleuls", "lift-a", "lift", Severity.WARNING, Urgency.PLANNED), null, REGISTRY, now))
                .isEqualTo(Routing.to("catch-all", null));
        assertThat(new Router(c.routes(), null, names(c)).route(alert("tilleuls", "lift-a", "lift", Severity.WARNING, Urgency.PLANNED),
                null, REGISTRY, now)).isEqualTo(Routing.skip("no route matches and there is no default connector"));
    }

    /**
     * A route's daily budget is keyed by its name (else its position), counted per site and
     * local day of the site, exempts immediate alerts, and only an alert's first delivery carries it;
     * two routes may not share a name.
     */
    @Test
    void aRoutesDailyBudgetIsCarriedByTheFirstDeliveryOfAnAlert() throws Exception {
        TicketingConfig c = parse(
                "  connectors:",
                "    - {name: heating, type: webhook}",
                "  routes:",
                "    - match: {equipment-type: boiler}",
                "      name: boilers",
                "      connector: heating",
                "      daily-budget: 3",
                "    - match: {}",
                "      connector: heating",
                "      daily-budget: 0");
        assertThat(c.routes()).extracting(Route::name, Route::dailyBudget)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("boilers", 3),
                        org.assertj.core.groups.Tuple.tuple("routes[1]", 0));
        Router router = new Router(c.routes(), c.defaultConnector(), names(c));
        // 00:30 on the 21st in Paris, still the 20th in UTC.
        Instant now = Instant.parse("2026-11-20T23:30:00Z");

        Routing routing = router.route(alert("tilleuls", "boiler-1", "heat", Severity.MAJOR, Urgency.PLANNED), null, REGISTRY, now);
        assertThat(routing.budget()).isEqualTo(new OutboxStore.Budget("boilers", "tilleuls", java.time.LocalDate.of(2026, 11, 21), 3,
                false, Instant.parse("2026-11-21T23:00:00Z")));
        assertThat(router.route(alert("tilleuls", "lift-a", "lift", Severity.MAJOR, Urgency.IMMEDIATE), null, REGISTRY, now)
                .budget()).extracting(OutboxStore.Budget::route, OutboxStore.Budget::exempt).containsExactly("routes[1]", true);
        assertThat(router.route(alert("tilleuls", "boiler-1", "heat", Severity.MAJOR, Urgency.PLANNED), "heating", REGISTRY, now))
                .isEqualTo(Routing.to("heating", null));

        assertThatThrownBy(() -> parse(
                "  connectors:",
                "    - {name: heating, type: webhook}",
                "  routes:",
                "    - {match: {}, name: all, connector: heating}",
                "    - {match: {}, name: all, connector: heating}"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactly(
                        "config.yaml:6: ticketing.routes[1].name: another route has this name"));
    }

    /** An alert already routed keeps its connector (where its ticket is), over the routes and their categories. */
    @Test
    void previousConnectorOfTheAlertWins() throws Exception {
        TicketingConfig c = parse(
                "  connectors:",
                "    - {name: heating, type: webhook}",
                "    - {name: general, type: webhook}",
                "  routes:",
                "    - match: {site: tilleuls}",
                "      connector: heating",
                "      categories: [heat]",
                "  default: general");
        Router router = new Router(c.routes(), c.defaultConnector(), names(c));
        Alert lift = alert("tilleuls", "lift-a", "lift", Severity.MAJOR, Urgency.WITHIN_DAYS);

        assertThat(router.route(lift, "general", REGISTRY, Instant.EPOCH)).isEqualTo(Routing.to("general", null));
        // A connector no longer configured is forgotten: the routes decide again.
        assertThat(router.route(lift, "removed", REGISTRY, Instant.EPOCH).skipReason()).isNotNull();
    }

    /** A category not enabled on the matching route is skipped, not sent to a later route. */
    @Test
    void disabledCategoryIsSkipped() throws Exception {
        TicketingConfig c = parse(
                "  connectors:",
                "    - {name: heating, type: webhook}",
                "  routes:",
                "    - match: {site: tilleuls}",
                "      connector: heating",
                "      categories: [heat]",
                "  default: heating");
        Routing r = new Router(c.routes(), c.defaultConnector(), names(c)).route(
                alert("tilleuls", "lift-a", "lift", Severity.MAJOR, Urgency.WITHIN_DAYS), null, REGISTRY, Instant.EPOCH);

        assertThat(r.connector()).isNull();
        assertThat(r.skipReason()).isEqualTo("category lift is not enabled on the route of line 5");
    }

    /** During quiet hours in the site's zone a non-immediate delivery waits until they end; an immediate one does not. */
    @Test
    void quietHoursHoldNonImmediateDeliveriesUntilTheirEndInTheSiteZone() throws Exception {
        TicketingConfig c = parse(
                "  connectors:",
                "    - {name: heating, type: webhook}",
                "  routes:",
                "    - match: {}",
                "      connector: heating",
                "      quiet-hours: {from: \"22:00\", to: \"07:00\"}");
        Router router = new Router(c.routes(), null, names(c));
        // 23:30 in Paris (UTC+1 in November): quiet until 07:00 Paris, 06:00 UTC the next day.
        Instant night = Instant.parse("2026-11-20T22:30:00Z");
        Instant day = Instant.parse("2026-11-20T12:00:00Z");

        assertThat(router.route(alert("tilleuls", "lift-a", "lift", Severity.MAJOR, Urgency.WITHIN_DAYS), null, REGISTRY, night))
                .isEqualTo(Routing.to("heating", Instant.parse("2026-11-21T06:00:00Z")));
        assertThat(router.route(alert("tilleuls", "boiler-1", "heat", Severity.CRITICAL, Urgency.IMMEDIATE), null, REGISTRY, night))
                .isEqualTo(Routing.to("heating", null));
        assertThat(router.route(alert("tilleuls", "lift-a", "lift", Severity.MAJOR, Urgency.PLANNED), null, REGISTRY, day))
                .isEqualTo(Routing.to("heating", null));
        // After midnight, the end is the same day's 07:00.
        assertThat(new QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 0))
                .endOf(Instant.parse("2026-11-21T02:00:00Z"), ZoneId.of("Europe/Paris")))
                .isEqualTo(Instant.parse("2026-11-21T06:00:00Z"));
    }

    /** The backoff doubles from the initial wait, stays within its jitter band and is capped. */
    @Test
    void backoffDoublesWithJitterAndIsCapped() {
        Backoff low = new Backoff(Duration.ofSeconds(30), Duration.ofHours(1), () -> 0.0);
        Backoff high = new Backoff(Duration.ofSeconds(30), Duration.ofHours(1), () -> 0.999999);

        assertThat(low.after(1)).isEqualTo(Duration.ofSeconds(15));
        assertThat(high.after(1)).isBetween(Duration.ofSeconds(29), Duration.ofSeconds(30));
        assertThat(low.after(3)).isEqualTo(Duration.ofSeconds(60));
        assertThat(high.after(20)).isLessThanOrEqualTo(Duration.ofHours(1));
        assertThat(low.after(20)).isEqualTo(Duration.ofMinutes(30));
    }
}
