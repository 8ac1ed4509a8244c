package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.ADMIN_TOKEN;
import static fr.gardien.gateway.GatewayHarness.MANAGER_MARRONNIERS_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gardien.rules.Explanation;
import fr.gardien.rules.RuleSignal;
import fr.gardien.rules.Severity;
import fr.gardien.rules.Urgency;
import fr.gardien.storage.alerts.DigestItem;
import fr.gardien.storage.alerts.DigestStore;
import fr.gardien.storage.alerts.OutboxItem;
import fr.gardien.storage.alerts.OutboxStore;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** The delivery audit and dead-letter endpoints of a running gateway, admin only. */
@Timeout(60)
class DeliveryApiIT {

    static final ObjectMapper mapper = new ObjectMapper();
    static final Instant T = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));

    @RegisterExtension
    static final GatewayHarness harness = GatewayHarness.perClass(Map.of());

    /** A dead delivery is listed with status=dead and in the audit; the admin's retry puts it back to pending; others get 403. */
    @Test
    void deadDeliveryIsListedAuditedAndRetriedByAnAdmin() throws Exception {
        long alertId = harness.gateway.alerts().apply(new RuleSignal(RuleSignal.Kind.RAISED, "boiler-no-heat", "tilleuls",
                        "boiler-1", Severity.CRITICAL, "heat", Urgency.IMMEDIATE, T,
                        new Explanation(T.minus(Duration.ofMinutes(45)), T, Map.of("min", 31.5), "fr", "en")))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).alert().id();
        // This gateway has no connector: the outbox row is made dead the way a dispatcher would.
        OutboxStore store = new OutboxStore(harness.gateway.database().dataSource());
        Instant now = Instant.now();
        store.route(Set.of(), 10, now, (item, previous) -> OutboxStore.Routing.to("hook", null));
        OutboxItem claimed = store.claim("hook", 10, now, now.plusSeconds(300)).get(0);
        store.failed(claimed.entry(), now, null, 400, "HTTP 400: rejected");
        long outboxId = claimed.entry().id();

        assertThat(harness.get("/api/v1/outbox?status=dead", MANAGER_MARRONNIERS_TOKEN).statusCode()).isEqualTo(403);
        assertThat(harness.get("/api/v1/deliveries", MANAGER_MARRONNIERS_TOKEN).statusCode()).isEqualTo(403);
        assertThat(harness.send("POST", "/api/v1/outbox/" + outboxId + "/retry", MANAGER_MARRONNIERS_TOKEN, null)
                .statusCode()).isEqualTo(403);
        assertThat(harness.get("/api/v1/outbox?status=dead", null).statusCode()).isEqualTo(401);

        JsonNode dead = body(harness.get("/api/v1/outbox?status=dead", ADMIN_TOKEN)).get("outbox");
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).get("id").asLong()).isEqualTo(outboxId);
        assertThat(dead.get(0).get("alertId").asLong()).isEqualTo(alertId);
        assertThat(dead.get(0).get("status").asText()).isEqualTo("dead");
        assertThat(dead.get(0).get("attempts").asInt()).isEqualTo(1);
        assertThat(dead.get(0).get("lastError").asText()).isEqualTo("HTTP 400: rejected");
        assertThat(dead.get(0).get("idempotencyKey").asText()).startsWith(alertId + ":");

        JsonNode audit = body(harness.get("/api/v1/deliveries?alert=" + alertId, ADMIN_TOKEN)).get("deliveries");
        assertThat(audit).hasSize(1);
        assertThat(audit.get(0).get("outcome").asText()).isEqualTo("dead");
        assertThat(audit.get(0).get("connector").asText()).isEqualTo("hook");
        assertThat(audit.get(0).get("attempt").asInt()).isEqualTo(1);
        assertThat(audit.get(0).get("statusCode").asInt()).isEqualTo(400);
        assertThat(body(harness.get("/api/v1/deliveries?outcome=delivered", ADMIN_TOKEN)).get("deliveries")).isEmpty();
        assertThat(harness.get("/api/v1/deliveries?outcome=lost", ADMIN_TOKEN).statusCode()).isEqualTo(400);
        assertThat(harness.get("/api/v1/outbox?status=gone", ADMIN_TOKEN).statusCode()).isEqualTo(400);

        HttpResponse<String> retried = harness.send("POST", "/api/v1/outbox/" + outboxId + "/retry", ADMIN_TOKEN, null);
        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(body(retried).get("status").asText()).isEqualTo("pending");
        assertThat(body(retried).get("attempts").asInt()).isZero();
        assertThat(body(harness.get("/api/v1/outbox?status=dead", ADMIN_TOKEN)).get("outbox")).isEmpty();
        assertThat(harness.send("POST", "/api/v1/outbox/" + outboxId + "/retry", ADMIN_TOKEN, null).statusCode()).isEqualTo(409);
        assertThat(harness.send("POST", "/api/v1/outbox/999999/retry", ADMIN_TOKEN, null).statusCode()).isEqualTo(404);
    }

    /** A dead digest is listed with its alerts and retried by an admin only. */
    @Test
    void deadDigestIsListedWithItsAlertsAndRetriedByAnAdmin() throws Exception {
        long alertId = harness.gateway.alerts().apply(new RuleSignal(RuleSignal.Kind.RAISED, "lift-door-wear", "tilleuls",
                        "lift-a", Severity.WARNING, "lift", Urgency.PLANNED, T,
                        new Explanation(T.minus(Duration.ofMinutes(45)), T, Map.of(), "fr", "en")))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).alert().id();
        OutboxStore store = new OutboxStore(harness.gateway.database().dataSource());
        DigestStore digests = new DigestStore(harness.gateway.database().dataSource());
        Instant now = Instant.now();
        // Only this test's alert is over a budget (another test's row may be pending too).
        store.route(Set.of(), 10, now, (item, previous) -> item.alert().id() != alertId ? OutboxStore.Routing.to("hook", null)
                : OutboxStore.Routing.to("hook", null).withBudget(
                        new OutboxStore.Budget("all", "tilleuls", LocalDate.of(2026, 11, 20), 0, false, now)));
        DigestItem claimed = digests.claim("hook", 10, now, now.plusSeconds(300)).get(0);
        digests.failed(claimed.entry(), now, null, 400, "HTTP 400: rejected");
        long id = claimed.entry().id();

        assertThat(harness.get("/api/v1/digests", MANAGER_MARRONNIERS_TOKEN).statusCode()).isEqualTo(403);
        assertThat(harness.send("POST", "/api/v1/digests/" + id + "/retry", MANAGER_MARRONNIERS_TOKEN, null).statusCode())
                .isEqualTo(403);
        JsonNode dead = body(harness.get("/api/v1/digests?status=dead", ADMIN_TOKEN)).get("digests");
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).get("site").asText()).isEqualTo("tilleuls");
        assertThat(dead.get(0).get("day").asText()).isEqualTo("2026-11-20");
        assertThat(dead.get(0).get("alerts").asInt()).isEqualTo(1);
        assertThat(dead.get(0).get("lastError").asText()).isEqualTo("HTTP 400: rejected");
        JsonNode one = body(harness.get("/api/v1/digests/" + id, ADMIN_TOKEN));
        assertThat(one.get("alertIds").get(0).asLong()).isEqualTo(alertId);
        JsonNode audit = body(harness.get("/api/v1/deliveries?outcome=dead", ADMIN_TOKEN)).get("deliveries");
        assertThat(audit).anyMatch(r -> r.get("digestId").asLong() == id && r.get("alertId").isNull());
        assertThat(harness.get("/api/v1/digests?status=lost", ADMIN_TOKEN).statusCode()).isEqualTo(400);

        HttpResponse<String> retried = harness.send("POST", "/api/v1/digests/" + id + "/retry", ADMIN_TOKEN, null);
        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(body(retried).get("status").asText()).isEqualTo("pending");
        assertThat(harness.send("POST", "/api/v1/digests/" + id + "/retry", ADMIN_TOKEN, null).statusCode()).isEqualTo(409);
        assertThat(harness.get("/api/v1/digests/999999", ADMIN_TOKEN).statusCode()).isEqualTo(404);
    }

    static JsonNode body(HttpResponse<String> response) throws Exception {
        return mapper.readTree(response.body());
    }
}
