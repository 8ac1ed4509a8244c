package fr.gardien.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gardien.rules.RuleSignal;
import fr.gardien.rules.Severity;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * From an alert transition to a signed webhook in the landlord's tool, through the configured
 * `ticketing` section of a running gateway, and the delivery in the audit.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TicketsEndToEndIT {

    private static final String SECRET = "webhook-secret-0123456789";
    private static final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path dir;

    /**
     * An opened alert is delivered once to the configured webhook, signed with the connector's
     * secret, carrying the idempotency key and only allow-listed fields; the audit lists it.
     */
    @Test
    void anOpenedAlertReachesTheWebhookSignedAndAudited() throws Exception {
        Vertx vertx = Vertx.vertx();
        List<JsonNode> bodies = new CopyOnWriteArrayList<>();
        List<String> signatures = new CopyOnWriteArrayList<>();
        List<String> keys = new CopyOnWriteArrayList<>();
        List<String> expected = new CopyOnWriteArrayList<>();
        HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                expected.add("sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes())));
                signatures.add(req.getHeader("X-Gardien-Signature"));
                keys.add(req.getHeader("X-Gardien-Delivery"));
                bodies.add(mapper.readTree(body.getBytes()));
                req.response().setStatusCode(202).end();
            } catch (Exception e) {
                req.response().setStatusCode(500).end();
            }
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        String ticketing = """
                ticketing:
                  public-url: https://gardien.example
                  language: en
                  connectors:
                    - name: heating-contractor
                      type: webhook
                      url: http://127.0.0.1:%d/hook
                      allow-insecure: true
                      secret: "%s"
                  routes:
                    - match: {category: heat}
                      connector: heating-contractor
                  delivery: {poll-interval: 200ms}
                """.formatted(server.actualPort(), SECRET);
        try (GatewayHarness harness = GatewayHarness.start(dir, null, Map.of(), ticketing)) {
            harness.gateway.alerts().apply(AlertApiIT.signal(RuleSignal.Kind.RAISED, "heating-no-heat", "tilleuls", "boiler-1",
                    Severity.CRITICAL, Instant.now())).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (bodies.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(1000);
            assertThat(bodies).hasSize(1);
            assertThat(signatures).isEqualTo(expected);
            JsonNode body = bodies.get(0);
            assertThat(body.get("rule").asText()).isEqualTo("heating-no-heat");
            assertThat(body.get("site").asText()).isEqualTo("tilleuls");
            assertThat(body.get("transition").asText()).isEqualTo("opened");
            assertThat(body.get("summary").asText()).isEqualTo("Supply below 35 °C for 45 min");
            assertThat(body.get("dashboardUrl").asText()).startsWith("https://gardien.example/");
            assertThat(keys.get(0)).isEqualTo(body.get("idempotencyKey").asText()).matches("\\d+:\\d+");
            // The explanation's figures stay inside: only allow-listed fields leave.
            assertThat(body.toString()).doesNotContain("31.5").doesNotContain("threshold");

            // The audit row is written once the ticketing system's answer is read: wait for it.
            JsonNode audit = mapper.readTree(harness.get("/api/v1/deliveries", GatewayHarness.ADMIN_TOKEN).body());
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!audit.toString().contains("\"delivered\"") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                audit = mapper.readTree(harness.get("/api/v1/deliveries", GatewayHarness.ADMIN_TOKEN).body());
            }
            assertThat(audit.get("deliveries")).anySatisfy(d -> {
                assertThat(d.get("connector").asText()).isEqualTo("heating-contractor");
                assertThat(d.get("outcome").asText()).isEqualTo("delivered");
            });
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
