package fr.gardien.gateway.ticketing.connector;

import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.gateway.config.ConfigException;
import fr.gardien.gateway.ticketing.OutboundAlert;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The connectors' settings factories: every error at once, secrets never shown, destinations fixed. */
class ConnectorSettingsTest {

    private static final String SECRET = "very-secret-value-1234567890";

    private static List<String> errors(Function<Map<String, Object>, ?> factory, Map<String, Object> yaml) {
        try {
            factory.apply(yaml);
        } catch (ConfigException e) {
            return e.errors();
        }
        throw new AssertionError("accepted: " + yaml);
    }

    private static Map<String, Object> custom(Map<String, Object> create) {
        Map<String, Object> yaml = new HashMap<>(Map.of("name", "t", "type", "rest", "url", "https://tickets.example/api",
                "secrets", Map.of("token", SECRET)));
        yaml.put("create", create);
        return yaml;
    }

    /** A valid webhook is read with its defaults, and its toString hides the secret. */
    @Test
    void webhookIsReadWithDefaultsAndMasksItsSecret() {
        WebhookSettings s = WebhookSettings.fromYaml(Map.of("name", "hook", "type", "webhook",
                "url", "https://tickets.example/hook/", "secret", SECRET));
        assertThat(s.url().toString()).isEqualTo("https://tickets.example/hook");
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.trustPem()).isNull();
        assertThat(s.toString()).doesNotContain(SECRET).contains("****");
    }

    /** Every webhook error is reported at once, and none shows the (too short) secret. */
    @Test
    void webhookReportsEveryErrorAtOnce() {
        List<String> errors = errors(WebhookSettings::fromYaml, Map.of("type", "webhook", "url", "ftp://x.example/",
                "secret", "short-secret", "timeout", "ten seconds", "trust-pem", "/nonexistent.pem", "retries", 3));
        assertThat(errors).hasSize(6);
        assertThat(String.join("\n", errors)).contains("name: required", "url:", "secret:", "timeout:",
                "trust-pem:", "retries: unknown field").doesNotContain("short-secret");
        assertThat(errors(WebhookSettings::fromYaml, Map.of("name", "h", "url", "https://user:pw@x.example/h",
                "secret", SECRET))).singleElement().asString().contains("credentials").doesNotContain("pw");
    }

    /**
     * Issue 14: an http:// URL is refused, for webhooks and REST connectors alike, unless the
     * connector says allow-insecure: true (loopback tests); https needs nothing.
     */
    @Test
    void plainHttpIsRefusedUnlessAllowedExplicitly() {
        assertThat(errors(WebhookSettings::fromYaml, Map.of("name", "h", "url", "http://tickets.example/hook", "secret", SECRET)))
                .singleElement().asString().startsWith("url: http:// would send alerts and credentials in clear");
        assertThat(errors(RestSettings::fromYaml, Map.of("name", "g", "template", "glpi", "url", "http://g.example",
                "app-token", "a", "session-token", "s"))).singleElement().asString().startsWith("url: http://");
        assertThat(WebhookSettings.fromYaml(Map.of("name", "h", "url", "http://127.0.0.1:9/hook", "secret", SECRET,
                "allow-insecure", true)).url().toString()).isEqualTo("http://127.0.0.1:9/hook");
        assertThat(WebhookSettings.fromYaml(Map.of("name", "h", "url", "https://tickets.example/hook", "secret", SECRET,
                "allow-insecure", false)).url().getScheme()).isEqualTo("https");
        assertThat(errors(WebhookSettings::fromYaml, Map.of("name", "h", "url", "http://tickets.example/hook", "secret", SECRET,
                "allow-insecure", "yes"))).singleElement().asString().startsWith("url: http://");
    }

    /** A template cannot name another destination: absolute URLs, //host, '..' and data in paths are refused. */
    @Test
    void anAbsoluteUrlOrEscapingPathInATemplateIsRefused() {
        for (String path : List.of("http://evil.example/tickets", "https://evil.example", "//evil.example/x",
                "tickets", "/a/../../admin", "/x/${summary}", "/x@evil.example", "\\\\evil\\x")) {
            List<String> errors = errors(RestSettings::fromYaml,
                    custom(Map.of("method", "POST", "path", path, "ref", "/id")));
            assertThat(errors).as(path).singleElement().asString().startsWith("create.path:");
        }
    }

    /** Secrets may only appear in headers, placeholders must be known, and all errors come together. */
    @Test
    void customTemplateErrorsAreAllReported() {
        Map<String, Object> yaml = custom(Map.of("method", "GET", "path", "/t", "headers",
                Map.of("Authorization", "Bearer ${secret:missing}", "X-Site", "${site}"),
                "body", Map.of("a", "${secret:token}", "b", "${readings}")));
        yaml.put("update", Map.of("method", "PUT", "path", "https://evil.example/${ref}", "body", "{not json"));
        List<String> errors = errors(RestSettings::fromYaml, yaml);
        assertThat(String.join("\n", errors)).contains("create.method:", "create.ref: required",
                "no secret named missing", "${site} not allowed in a header", "${secret:token}", "${readings}",
                "update.path:", "update.body: not JSON");
        assertThat(String.join("\n", errors)).doesNotContain(SECRET);
    }

    /** Each ready template names its own missing fields, together. */
    @Test
    void readyTemplatesNameTheirMissingFields() {
        assertThat(errors(RestSettings::fromYaml, Map.of("name", "j", "template", "jira", "url", "https://x.atlassian.net")))
                .containsExactlyInAnyOrder("email: required", "api-token: required", "service-desk-id: required",
                        "request-type-id: required", "resolve-transition-id: required");
        assertThat(errors(RestSettings::fromYaml, Map.of("name", "r", "template", "redmine", "url", "https://r.example",
                "api-key", SECRET, "priority-ids", Map.of("urgent", 9))))
                .containsExactlyInAnyOrder("project-id: required", "closed-status-id: required",
                        "priority-ids.urgent: expected one of info, warning, major, critical with an integer priority id");
        assertThat(errors(RestSettings::fromYaml, Map.of("name", "g", "template", "glpi", "url", "https://g.example")))
                .containsExactlyInAnyOrder("app-token: required", "user-token: required (or session-token)");
        assertThat(errors(RestSettings::fromYaml, Map.of("name", "g", "template", "glpi", "url", "https://g.example",
                "app-token", "a", "user-token", "u", "session-token", "s")))
                .containsExactly("session-token: give either user-token or session-token, not both");
        assertThat(errors(RestSettings::fromYaml, Map.of("name", "x", "template", "otrs", "url", "https://o.example")))
                .containsExactly("template: expected glpi, redmine, jira or custom, got otrs");
    }

    /** A REST connector's settings print secret names, never values. */
    @Test
    void restSettingsMaskTheirSecrets() {
        RestSettings s = RestSettings.fromYaml(Map.of("name", "g", "template", "glpi", "url", "https://g.example",
                "app-token", SECRET, "session-token", SECRET + "2"));
        assertThat(s.toString()).doesNotContain(SECRET).contains("app-token", "session-token");
        assertThat(s.baseUrl().toString()).isEqualTo("https://g.example");
    }

    /** The connectors' field list is the allow-list record's: widening OutboundAlert shows up here. */
    @Test
    void alertFieldsAreExactlyTheOutboundAlertComponents() {
        assertThat(AlertFields.NAMES).containsExactlyElementsOf(Arrays.stream(OutboundAlert.class.getRecordComponents())
                .map(c -> c.getName()).toList());
        assertThat(AlertFields.of(TestAlerts.alert("opened")).keySet()).containsExactlyElementsOf(AlertFields.NAMES);
    }
}
