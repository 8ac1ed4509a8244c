package fr.gardien.gateway.ticketing.connector;

import fr.gardien.gateway.ticketing.DeliveryResult;
import fr.gardien.gateway.ticketing.OutboundAlert;
import fr.gardien.gateway.ticketing.OutboundDigest;
import fr.gardien.gateway.ticketing.TicketConnector;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts each alert transition as JSON to one URL, signed as the contract says ("Outbound
 * tickets"): {@code X-Gardien-Signature: sha256=<hex HMAC-SHA256 of the body bytes>} with the
 * connector's secret, and {@code X-Gardien-Delivery: <idempotency key>}, the same on every try.
 * The body is the {@link OutboundAlert}'s fields, nothing else. Completes with
 * {@code DeliveryResult(null, "delivered", status)} on 2xx.
 */
public final class WebhookConnector implements TicketConnector {

    private static final Logger log = LoggerFactory.getLogger(WebhookConnector.class);

    private final WebhookSettings settings;
    private final HttpEndpoint endpoint;
    private final SecretKeySpec key;

    public WebhookConnector(Vertx vertx, WebhookSettings settings) {
        this.settings = settings;
        this.endpoint = new HttpEndpoint(vertx, settings.name(), settings.url(), settings.timeout(),
                settings.trustPem());
        this.key = new SecretKeySpec(settings.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public Future<DeliveryResult> deliver(OutboundAlert alert, String ticketRef) {
        return post(new JsonObject(AlertFields.of(alert)).toBuffer(), alert.idempotencyKey());
    }

    /** The digest's fields with {@code "kind": "digest"} and its alerts' fields in {@code alerts}, signed the same way. */
    @Override
    public Future<DeliveryResult> deliverDigest(OutboundDigest digest) {
        return post(new JsonObject(AlertFields.of(digest)).toBuffer(), digest.idempotencyKey());
    }

    private Future<DeliveryResult> post(Buffer body, String idempotencyKey) {
        return endpoint.send(endpoint.request(HttpMethod.POST, "")
                        .putHeader("Content-Type", "application/json")
                        .putHeader("User-Agent", "Gardien")
                        .putHeader("X-Gardien-Signature", "sha256=" + sign(body.getBytes()))
                        .putHeader("X-Gardien-Delivery", idempotencyKey), body)
                .map(response -> {
                    log.debug("delivered [connector: {}, delivery: {}, status: {}]", settings.name(), idempotencyKey,
                            response.statusCode());
                    return new DeliveryResult(null, "delivered", response.statusCode());
                });
    }

    /** Hex HMAC-SHA256 of the exact bytes sent, so the receiver can verify before parsing. */
    String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // HmacSHA256 is required of every Java platform; a key of any length is accepted.
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Future<Void> close() {
        return endpoint.close();
    }

    @Override
    public String toString() {
        return "WebhookConnector[" + settings.name() + " -> " + endpoint.target() + "]";
    }
}
