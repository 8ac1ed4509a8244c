package fr.gardien.gateway.ticketing.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.gardien.gateway.ticketing.DeliveryException;
import fr.gardien.gateway.ticketing.DeliveryResult;
import fr.gardien.gateway.ticketing.OutboundAlert;
import fr.gardien.gateway.ticketing.OutboundDigest;
import fr.gardien.gateway.ticketing.connector.CapturingServer.Answer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class WebhookConnectorIT {

    private static final String SECRET = "s3cret-webhook-key-0123456789";

    private Vertx vertx;

    /** A Vert.x of the test's own, closed after it by the extension. */
    @BeforeEach
    void start(Vertx vertx) {
        this.vertx = vertx;
    }

    private WebhookConnector connector(String url, Map<String, Object> extra) {
        Map<String, Object> yaml = new HashMap<>(Map.of("name", "contractor", "type", "webhook", "url", url,
                "secret", SECRET, "allow-insecure", true)); // the test servers are plain http on loopback
        yaml.putAll(extra);
        return new WebhookConnector(vertx, WebhookSettings.fromYaml(yaml));
    }

    private static String hmac(byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    /** The receiver verifies the signature over the exact body with the shared secret, and finds the alert's fields. */
    @Test
    void postsSignedJsonThatTheReceiverVerifies() {
        OutboundAlert alert = TestAlerts.alert("opened", "Summary with \"quotes\" and\nnew line");
        try (CapturingServer server = new CapturingServer(vertx, c -> {
            try {
                assertThat(c.method()).isEqualTo(HttpMethod.POST);
                assertThat(c.path()).isEqualTo("/hooks/gardien");
                assertThat(c.header("content-type")).isEqualTo("application/json");
                assertThat(c.header("user-agent")).isEqualTo("Gardien");
                assertThat(c.header("x-gardien-delivery")).isEqualTo(alert.idempotencyKey());
                assertThat(c.header("x-gardien-signature")).isEqualTo("sha256=" + hmac(c.body().getBytes()));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return Answer.status(202);
        })) {
            DeliveryResult result = Await.result(connector(server.url("/hooks/gardien"), Map.of())
                    .deliver(alert, null));

            assertThat(result).isEqualTo(new DeliveryResult(null, "delivered", 202));
            JsonObject body = server.last().json();
            assertThat(body.fieldNames()).containsExactlyElementsOf(AlertFields.NAMES);
            assertThat(body.getLong("alertId")).isEqualTo(1234L);
            assertThat(body.getString("summary")).isEqualTo(alert.summary());
            assertThat(body.getString("firstSeen")).isEqualTo("2026-01-15T06:00:00Z");
            assertThat(body.getInteger("occurrences")).isEqualTo(3);
            assertThat(server.last().wire()).doesNotContain(SECRET);
        }
    }

    /** A digest is posted signed like an alert, with {@code kind: digest}, its fields and its alerts' allow-listed fields. */
    @Test
    void postsADigestSignedWithItsAlerts() throws Exception {
        OutboundDigest digest = TestAlerts.digest();
        try (CapturingServer server = new CapturingServer(vertx, c -> Answer.status(200))) {
            DeliveryResult result = Await.result(connector(server.url("/hooks/gardien"), Map.of()).deliverDigest(digest));

            assertThat(result).isEqualTo(new DeliveryResult(null, "delivered", 200));
            var sent = server.last();
            assertThat(sent.header("x-gardien-delivery")).isEqualTo("digest:res-les-tilleuls:2026-01-15:routes[0]");
            assertThat(sent.header("x-gardien-signature")).isEqualTo("sha256=" + hmac(sent.body().getBytes()));
            JsonObject body = sent.json();
            List<String> names = new java.util.ArrayList<>(List.of("kind"));
            names.addAll(AlertFields.DIGEST_NAMES);
            assertThat(body.fieldNames()).containsExactlyElementsOf(names);
            assertThat(body.getString("kind")).isEqualTo("digest");
            assertThat(body.getString("day")).isEqualTo("2026-01-15");
            assertThat(body.getInteger("alertCount")).isEqualTo(2);
            assertThat(body.getJsonArray("alerts").getJsonObject(1).fieldNames()).containsExactlyElementsOf(AlertFields.NAMES);
            assertThat(body.getJsonArray("alerts").getJsonObject(1).getString("rule")).isEqualTo("lift.door-wear");
        }
    }

    /** Every try of a delivery carries the same idempotency key, and the same body gives the same signature. */
    @Test
    void retriesCarryTheSameDeliveryKeyAndSignature() {
        try (CapturingServer server = new CapturingServer(vertx, c -> Answer.status(200))) {
            WebhookConnector connector = connector(server.url("/"), Map.of());
            OutboundAlert alert = TestAlerts.alert("retriggered");
            Await.result(connector.deliver(alert, null));
            Await.result(connector.deliver(alert, null));
            var first = server.captured().get(0);
            var second = server.captured().get(1);
            assertThat(second.header("x-gardien-delivery")).isEqualTo(first.header("x-gardien-delivery"));
            assertThat(second.header("x-gardien-signature")).isEqualTo(first.header("x-gardien-signature"));
        }
    }

    /** 408, 429 and 5xx may succeed later; other 4xx and a redirect will not, and the redirect is not followed. */
    @Test
    void statusesAreClassifiedAndRedirectsNotFollowed() {
        try (CapturingServer decoy = new CapturingServer(vertx, c -> Answer.status(200));
                CapturingServer server = new CapturingServer(vertx, c -> Answer.status(200))) {
            WebhookConnector connector = connector(server.url("/hook"), Map.of());
            Map<Integer, Boolean> expected = Map.of(408, true, 429, true, 500, true, 503, true, 400, false,
                    401, false, 404, false, 422, false);
            expected.forEach((status, retryable) -> {
                server.respond(c -> Answer.status(status));
                assertThatThrownBy(() -> Await.result(connector.deliver(TestAlerts.alert("opened"), null)))
                        .isInstanceOfSatisfying(DeliveryException.class, e -> {
                            assertThat(e.retryable()).as("status %d", status).isEqualTo(retryable);
                            assertThat(e.statusCode()).isEqualTo(status);
                        });
            });
            server.respond(c -> new Answer(307, Map.of("Location", decoy.url("/steal")), ""));
            assertThatThrownBy(() -> Await.result(connector.deliver(TestAlerts.alert("opened"), null)))
                    .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isFalse());
            assertThat(decoy.captured()).isEmpty();
        }
    }

    /** A receiver that never answers is given up after the configured timeout, and a retry may succeed. */
    @Test
    void aSilentReceiverTimesOutRetryably() {
        try (CapturingServer server = new CapturingServer(vertx, c -> null)) {
            WebhookConnector connector = connector(server.url("/hook"), Map.of("timeout", "300ms"));
            long start = System.nanoTime();
            assertThatThrownBy(() -> Await.result(connector.deliver(TestAlerts.alert("opened"), null)))
                    .isInstanceOfSatisfying(DeliveryException.class, e -> {
                        assertThat(e.retryable()).isTrue();
                        assertThat(e.statusCode()).isZero();
                    });
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(250L, 5_000L);
        }
    }

    /** Nobody listening is a network error: retryable, status 0. */
    @Test
    void aRefusedConnectionIsRetryable() {
        int port;
        try (CapturingServer gone = new CapturingServer(vertx, c -> Answer.status(200))) {
            port = gone.port();
        }
        WebhookConnector connector = connector("http://127.0.0.1:" + port + "/hook", Map.of());
        assertThatThrownBy(() -> Await.result(connector.deliver(TestAlerts.alert("opened"), null)))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.statusCode()).isZero();
                });
    }

    /** https with a private CA given as trust-pem is delivered; without it the unknown certificate is refused. */
    @Test
    void httpsTrustsTheConfiguredPrivateCaOnly() {
        SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
        HttpServerOptions tls = new HttpServerOptions().setSsl(true).setKeyCertOptions(cert.keyCertOptions());
        try (CapturingServer server = new CapturingServer(vertx, tls, c -> Answer.status(204))) {
            String url = "https://localhost:" + server.port() + "/hook";
            DeliveryResult ok = Await.result(connector(url, Map.of("trust-pem", cert.certificatePath()))
                    .deliver(TestAlerts.alert("opened"), null));
            assertThat(ok.statusCode()).isEqualTo(204);

            assertThatThrownBy(() -> Await.result(connector(url, Map.of()).deliver(TestAlerts.alert("opened"), null))
                    )
                    .isInstanceOf(DeliveryException.class);
            assertThat(server.captured()).hasSize(1);
        }
    }
}
