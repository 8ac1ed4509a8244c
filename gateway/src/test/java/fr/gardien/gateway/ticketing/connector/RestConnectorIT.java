package fr.gardien.gateway.ticketing.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.gardien.gateway.ticketing.DeliveryException;
import fr.gardien.gateway.ticketing.DeliveryResult;
import fr.gardien.gateway.ticketing.OutboundAlert;
import fr.gardien.gateway.ticketing.connector.CapturingServer.Answer;
import fr.gardien.gateway.ticketing.connector.CapturingServer.Captured;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The REST connector's ready templates against in-process servers that check the request shape
 * documented by GLPI, Redmine and Jira Service Management and answer as they do.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class RestConnectorIT {

    private Vertx vertx;

    /** A Vert.x of the test's own, closed after it by the extension. */
    @BeforeEach
    void start(Vertx vertx) {
        this.vertx = vertx;
    }

    private RestConnector connector(Map<String, Object> yaml) {
        Map<String, Object> full = new HashMap<>(yaml);
        full.putIfAbsent("name", "tickets");
        full.put("type", "rest");
        full.put("allow-insecure", true); // the test server is plain http on loopback
        return new RestConnector(vertx, RestSettings.fromYaml(full));
    }

    /** Fails the check (the server answers 418) unless the condition holds. */
    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    private static void checkJson(Captured c) {
        check("application/json".equals(c.header("content-type")), "content-type");
        check("Gardien".equals(c.header("user-agent")), "user-agent");
    }

    /** GLPI: create, update and close a Ticket with App-Token and Session-Token, reading the id. */
    @Test
    void glpiTicketIsCreatedUpdatedAndClosedAsDocumented() {
        Function<Captured, Answer> glpi = c -> {
            checkJson(c);
            check("app-token-0001".equals(c.header("app-token")), "App-Token");
            check("session-token-0001".equals(c.header("session-token")), "Session-Token");
            JsonObject input = c.json().getJsonObject("input");
            check(input != null, "input");
            if (c.method() == HttpMethod.POST && c.path().equals("/glpi/apirest.php/Ticket")) {
                check(input.getString("name").contains("boiler-1"), "name");
                check(input.getString("content").startsWith("Départ chauffage"), "content");
                check(input.getInteger("urgency") == 5, "urgency from critical");
                check(input.getInteger("type") == 1, "type incident");
                return Answer.of(201, "{\"id\":15,\"message\":\"\"}");
            }
            if (c.method() == HttpMethod.PUT && c.path().equals("/glpi/apirest.php/Ticket/15")) {
                check(input.containsKey("status") ? input.getInteger("status") == 6 : input.containsKey("content"),
                        "status 6 or content");
                return Answer.of(200, "[{\"15\":true,\"message\":\"\"}]");
            }
            return Answer.of(400, "[\"ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM\",\"\"]");
        };
        try (CapturingServer server = new CapturingServer(vertx, glpi)) {
            RestConnector connector = connector(Map.of("template", "glpi", "url", server.url("/glpi"),
                    "app-token", "app-token-0001", "session-token", "session-token-0001"));

            assertThat(Await.result(connector.deliver(TestAlerts.alert("opened"), null)))
                    .isEqualTo(new DeliveryResult("15", "created", 201));
            assertThat(Await.result(connector.deliver(TestAlerts.alert("retriggered"), "15")))
                    .isEqualTo(new DeliveryResult("15", "updated", 200));
            assertThat(Await.result(connector.deliver(TestAlerts.alert("resolved"), "15")))
                    .isEqualTo(new DeliveryResult("15", "closed", 200));
            assertThat(server.last().json().getJsonObject("input").getInteger("status")).isEqualTo(6);
        }
    }

    /** A digest opens one GLPI ticket through the create request, titled for the digest, with its summary as content. */
    @Test
    void glpiDigestIsCreatedAsOneTicket() {
        try (CapturingServer server = new CapturingServer(vertx, c -> Answer.of(201, "{\"id\":42,\"message\":\"\"}"))) {
            RestConnector connector = connector(Map.of("template", "glpi", "url", server.url("/glpi"),
                    "app-token", "app-token-0001", "session-token", "session-token-0001"));

            assertThat(Await.result(connector.deliverDigest(TestAlerts.digest())))
                    .isEqualTo(new DeliveryResult("42", "created", 201));
            var sent = server.last();
            assertThat(sent.method()).isEqualTo(HttpMethod.POST);
            assertThat(sent.path()).isEqualTo("/glpi/apirest.php/Ticket");
            JsonObject input = sent.json().getJsonObject("input");
            assertThat(input.getString("name")).isEqualTo("[critical] Résidence Les Tilleuls / boiler-1, lift-a: digest");
            assertThat(input.getString("content")).startsWith("2 alerte(s) au-delà du budget quotidien de 5 ticket(s)");
            assertThat(input.getInteger("urgency")).isEqualTo(5);
        }
    }

    /** GLPI with a user token: initSession first, the session reused, and opened again when GLPI says it expired. */
    @Test
    void glpiOpensItsSessionAndRenewsItWhenExpired() {
        AtomicInteger sessions = new AtomicInteger();
        AtomicReference<String> valid = new AtomicReference<>();
        Function<Captured, Answer> glpi = c -> {
            check("app-token-0001".equals(c.header("app-token")), "App-Token");
            if (c.method() == HttpMethod.GET && c.path().equals("/apirest.php/initSession")) {
                check("user_token user-token-0001".equals(c.header("authorization")), "Authorization: user_token");
                valid.set("session-" + sessions.incrementAndGet());
                return Answer.of(200, "{\"session_token\":\"" + valid.get() + "\"}");
            }
            if (!valid.get().equals(c.header("session-token"))) {
                return Answer.of(401, "[\"ERROR_SESSION_TOKEN_INVALID\",\"session_token seems invalid\"]");
            }
            return c.method() == HttpMethod.POST ? Answer.of(201, "{\"id\":16,\"message\":\"\"}")
                    : Answer.of(200, "[{\"16\":true,\"message\":\"\"}]");
        };
        try (CapturingServer server = new CapturingServer(vertx, glpi)) {
            RestConnector connector = connector(Map.of("template", "glpi", "url", server.url(""),
                    "app-token", "app-token-0001", "user-token", "user-token-0001"));

            assertThat(Await.result(connector.deliver(TestAlerts.alert("opened"), null)).ticketRef()).isEqualTo("16");
            assertThat(Await.result(connector.deliver(TestAlerts.alert("retriggered"), "16")).ticketStatus())
                    .isEqualTo("updated");
            assertThat(sessions).hasValue(1);

            valid.set("expired");
            assertThat(Await.result(connector.deliver(TestAlerts.alert("resolved"), "16")).ticketStatus())
                    .isEqualTo("closed");
            assertThat(sessions).hasValue(2);
            assertThat(server.captured()).extracting(Captured::path).containsExactly("/apirest.php/initSession",
                    "/apirest.php/Ticket", "/apirest.php/Ticket/16", "/apirest.php/Ticket/16",
                    "/apirest.php/initSession", "/apirest.php/Ticket/16");
        }
    }

    /** A wrong user token is refused by initSession: not retryable, and tried once. */
    @Test
    void glpiRefusedUserTokenIsNotRetried() {
        try (CapturingServer server = new CapturingServer(vertx,
                c -> Answer.of(401, "[\"ERROR_GLPI_LOGIN_USER_TOKEN\",\"parameter user_token seems invalid\"]"))) {
            RestConnector connector = connector(Map.of("template", "glpi", "url", server.url(""),
                    "app-token", "a", "user-token", "wrong"));
            assertThatThrownBy(() -> Await.result(connector.deliver(TestAlerts.alert("opened"), null)))
                    .isInstanceOfSatisfying(DeliveryException.class, e -> {
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.statusCode()).isEqualTo(401);
                    });
            assertThat(server.captured()).hasSize(1);
        }
    }

    /** Redmine: POST /issues.json with the API key header, notes on update, the configured closed status. */
    @Test
    void redmineIssueIsCreatedUpdatedAndClosedAsDocumented() {
        Function<Captured, Answer> redmine = c -> {
            checkJson(c);
            check("redmine-key-42".equals(c.header("x-redmine-api-key")), "X-Redmine-API-Key");
            JsonObject issue = c.json().getJsonObject("issue");
            if (c.method() == HttpMethod.POST && c.path().equals("/issues.json")) {
                check(issue.getInteger("project_id") == 3, "project_id");
                check(issue.getString("subject").contains("heating.supply-too-cold"), "subject");
                check(issue.getString("description").contains("https://gardien.example/#/alerts/1234"), "description");
                check(issue.getInteger("priority_id") == 4, "priority_id from critical");
                return Answer.of(201, "{\"issue\":{\"id\":42,\"project\":{\"id\":3,\"name\":\"Chauffage\"},"
                        + "\"subject\":\"" + issue.getString("subject") + "\"}}");
            }
            if (c.method() == HttpMethod.PUT && c.path().equals("/issues/42.json")) {
                check(issue.getString("notes").contains("Gardien:"), "notes");
                return Answer.status(204);
            }
            return Answer.status(404);
        };
        try (CapturingServer server = new CapturingServer(vertx, redmine)) {
            RestConnector connector = connector(Map.of("template", "redmine", "url", server.url(""),
                    "api-key", "redmine-key-42", "project-id", 3, "closed-status-id", 5));

            assertThat(Await.result(connector.deliver(TestAlerts.alert("opened"), null)))
                    .isEqualTo(new DeliveryResult("42", "created", 201));
            assertThat(Await.result(connector.deliver(TestAlerts.alert("acknowledged"), "42")))
                    .isEqualTo(new DeliveryResult("42", "updated", 204));
            assertThat(server.last().json().getJsonObject("issue").containsKey("status_id")).isFalse();
            assertThat(Await.result(connector.deliver(TestAlerts.alert("resolved"), "42")))
                    .isEqualTo(new DeliveryResult("42", "closed", 204));
            assertThat(server.last().json().getJsonObject("issue").getInteger("status_id")).isEqualTo(5);
        }
    }

    /** Jira Service Management: a customer request with basic auth, comments, and the resolve transition. */
    @Test
    void jiraRequestIsCreatedCommentedAndTransitionedAsDocumented() {
        String basic = "Basic " + Base64.getEncoder().encodeToString("ops@bailleur.example:jira-token-xyz"
                .getBytes(StandardCharsets.UTF_8));
        Function<Captured, Answer> jira = c -> {
            checkJson(c);
            check(basic.equals(c.header("authorization")), "basic auth");
            JsonObject body = c.json();
            if (c.method() == HttpMethod.POST && c.path().equals("/rest/servicedeskapi/request")) {
                check("2".equals(body.getString("serviceDeskId")), "serviceDeskId");
                check("25".equals(body.getString("requestTypeId")), "requestTypeId");
                JsonObject fields = body.getJsonObject("requestFieldValues");
                check(fields.getString("summary").contains("[critical]"), "summary");
                check(fields.getString("description").contains("Occurrences: 3"), "description");
                return Answer.of(201, "{\"issueId\":\"10010\",\"issueKey\":\"HD-7\",\"requestTypeId\":\"25\","
                        + "\"serviceDeskId\":\"2\"}");
            }
            if (c.method() == HttpMethod.POST && c.path().equals("/rest/servicedeskapi/request/HD-7/comment")) {
                check(body.getString("body").contains("reopened"), "comment body");
                check(Boolean.TRUE.equals(body.getBoolean("public")), "public");
                return Answer.of(201, "{\"id\":\"1000\",\"body\":\"…\",\"public\":true}");
            }
            if (c.method() == HttpMethod.POST && c.path().equals("/rest/api/3/issue/HD-7/transitions")) {
                check("761".equals(body.getJsonObject("transition").getString("id")), "transition id");
                return Answer.status(204);
            }
            return Answer.status(404);
        };
        try (CapturingServer server = new CapturingServer(vertx, jira)) {
            RestConnector connector = connector(Map.of("template", "jira", "url", server.url(""),
                    "email", "ops@bailleur.example", "api-token", "jira-token-xyz", "service-desk-id", 2,
                    "request-type-id", "25", "resolve-transition-id", 761));

            assertThat(Await.result(connector.deliver(TestAlerts.alert("opened"), null)))
                    .isEqualTo(new DeliveryResult("HD-7", "created", 201));
            assertThat(Await.result(connector.deliver(TestAlerts.alert("reopened"), "HD-7")))
                    .isEqualTo(new DeliveryResult("HD-7", "updated", 201));
            assertThat(Await.result(connector.deliver(TestAlerts.alert("resolved"), "HD-7")))
                    .isEqualTo(new DeliveryResult("HD-7", "closed", 204));
        }
    }

    /** A custom template: base path kept, typed lookups, a JSON-text body, and a hostile summary stays inside its string. */
    @Test
    void customTemplateEscapesValuesAndKeepsTheirTypes() {
        String hostile = "x\", \"admin\": true, \"y\": \"${secret:token} \\ \n";
        try (CapturingServer server = new CapturingServer(vertx, c -> Answer.of(201, "{\"ticket\":{\"number\":\"T-99\"}}"))) {
            RestConnector connector = connector(Map.of("url", server.url("/api/v2"),
                    "secrets", Map.of("token", "custom-token-123"),
                    "lookups", Map.of("prio", Map.of("field", "severity", "values", Map.of("critical", 1), "default", 3)),
                    "create", Map.of("method", "POST", "path", "/tickets?source=gardien",
                            "headers", Map.of("Authorization", "Bearer ${secret:token}",
                                    "Idempotency-Key", "${idempotencyKey}"),
                            "body", "{\"title\": \"Alert ${alertId}: ${summary}\", \"prio\": \"${prio}\","
                                    + " \"count\": \"${occurrences}\", \"raw\": \"${summary}\"}",
                            "ref", "/ticket/number")));
            OutboundAlert alert = TestAlerts.alert("opened", hostile);

            assertThat(Await.result(connector.deliver(alert, null))).isEqualTo(new DeliveryResult("T-99", "created", 201));

            Captured c = server.last();
            assertThat(c.uri()).isEqualTo("/api/v2/tickets?source=gardien");
            assertThat(c.header("authorization")).isEqualTo("Bearer custom-token-123");
            assertThat(c.header("idempotency-key")).isEqualTo(alert.idempotencyKey());
            JsonObject body = c.json();
            assertThat(body.fieldNames()).containsExactly("title", "prio", "count", "raw");
            assertThat(body.getString("raw")).isEqualTo(hostile);
            assertThat(body.getString("title")).isEqualTo("Alert 1234: " + hostile);
            assertThat(body.getValue("prio")).isEqualTo(1);
            assertThat(body.getValue("count")).isEqualTo(3);
            assertThat(c.body().toString()).doesNotContain("custom-token-123");
        }
    }

    /** 5xx and 429 are retryable, 4xx are not, and a create answer without a reference is not retried (it would duplicate). */
    @Test
    void failuresAreClassified() {
        try (CapturingServer server = new CapturingServer(vertx, c -> Answer.status(503))) {
            RestConnector connector = connector(Map.of("template", "redmine", "url", server.url(""),
                    "api-key", "k", "project-id", "chauffage", "closed-status-id", 5));
            Map<Integer, Boolean> expected = Map.of(503, true, 500, true, 429, true, 408, true, 401, false,
                    403, false, 404, false, 422, false);
            expected.forEach((status, retryable) -> {
                server.respond(c -> Answer.of(status, "{\"errors\":[\"Subject cannot be blank\"]}"));
                assertThatThrownBy(() -> Await.result(connector.deliver(TestAlerts.alert("opened"), null)))
                        .isInstanceOfSatisfying(DeliveryException.class, e -> {
                            assertThat(e.retryable()).as("status %d", status).isEqualTo(retryable);
                            assertThat(e.statusCode()).isEqualTo(status);
                        });
            });
            server.respond(c -> Answer.of(201, "{\"issue\":{}}"));
            assertThatThrownBy(() -> Await.result(connector.deliver(TestAlerts.alert("opened"), null)))
                    .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isFalse());
        }
    }

    /** A reference that is not a plain token is refused, so that a response cannot steer later paths. */
    @Test
    void aHostileTicketReferenceIsRefused() {
        try (CapturingServer server = new CapturingServer(vertx,
                c -> Answer.of(201, "{\"id\":\"../../../admin?x=http://evil.example/\"}"))) {
            RestConnector connector = connector(Map.of("template", "glpi", "url", server.url(""),
                    "app-token", "a", "session-token", "s"));
            assertThatThrownBy(() -> Await.result(connector.deliver(TestAlerts.alert("opened"), null)))
                    .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isFalse());
            assertThatThrownBy(() -> Await.result(connector.deliver(TestAlerts.alert("resolved"), "http://evil.example/x")))
                    .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isFalse());
            assertThat(server.captured()).hasSize(1);
        }
    }

    /** A ticketing system that does not answer within the timeout gives a retryable failure. */
    @Test
    void aSilentSystemTimesOutRetryably() {
        try (CapturingServer server = new CapturingServer(vertx, c -> null)) {
            RestConnector connector = connector(Map.of("template", "glpi", "url", server.url(""),
                    "app-token", "a", "session-token", "s", "timeout", "300ms"));
            assertThatThrownBy(() -> Await.result(connector.deliver(TestAlerts.alert("opened"), null)))
                    .isInstanceOfSatisfying(DeliveryException.class, e -> {
                        assertThat(e.retryable()).isTrue();
                        assertThat(e.statusCode()).isZero();
                    });
        }
    }
}
