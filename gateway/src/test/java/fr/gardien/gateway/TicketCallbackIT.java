package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gardien.gateway.ticketing.CallbackSignature;
import fr.gardien.rules.Explanation;
import fr.gardien.rules.RuleSignal;
import fr.gardien.rules.Severity;
import fr.gardien.rules.Urgency;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** The ticketing system's signed callback acknowledging and closing alerts, and what it refuses. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TicketCallbackIT {

    static final String SECRET = "callback-secret-0123456789-abcdefghij";
    static final ObjectMapper mapper = new ObjectMapper();
    static final Instant T = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));
    static final HttpClient http = HttpClient.newHttpClient();
    static final CallbackSignature signature = new CallbackSignature(SECRET);

    @RegisterExtension
    static final GatewayHarness harness = GatewayHarness.perClass(Map.of(), """
                ticketing:
                  callback:
                    secret: "%s"
                """.formatted(SECRET));

    static long raise(String rule) throws Exception {
        RuleSignal signal = new RuleSignal(RuleSignal.Kind.RAISED, rule, "tilleuls", "boiler-1", Severity.MAJOR, "heat",
                Urgency.IMMEDIATE, T, new Explanation(T.minus(Duration.ofMinutes(45)), T, Map.of("min", 31.5),
                        "Départ sous 35 °C depuis 45 min", "Supply below 35 °C for 45 min"));
        return harness.gateway.alerts().apply(signal).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .alert().id();
    }

    static HttpResponse<String> callback(String json, Instant at, CallbackSignature signer) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String ts = Long.toString(at.getEpochSecond());
        return http.send(HttpRequest.newBuilder(URI.create(harness.httpBase() + "/api/v1/tickets/callback"))
                .header("Content-Type", "application/json")
                .header("X-Gardien-Timestamp", ts)
                .header("X-Gardien-Signature", signer.sign(ts, body))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> callback(String json) throws Exception {
        return callback(json, Instant.now(), signature);
    }

    static JsonNode alert(long id) throws Exception {
        return mapper.readTree(harness.get("/api/v1/alerts/" + id, ADMIN_TOKEN).body());
    }

    /** A valid signed callback acknowledges the alert for ticket:BY, a second one closes it with its note. */
    @Test
    void signedCallbackAcknowledgesThenClosesTheAlert() throws Exception {
        long id = raise("callback-ack-close");

        HttpResponse<String> ack = callback("{\"alertId\":" + id + ",\"action\":\"acknowledge\",\"by\":\"glpi:jdupont\"}");
        assertThat(ack.statusCode()).isEqualTo(204);
        JsonNode acked = alert(id);
        assertThat(acked.get("state").asText()).isEqualTo("acknowledged");
        assertThat(acked.get("acknowledgedBy").asText()).isEqualTo("ticket:glpi:jdupont");

        HttpResponse<String> close = callback("{\"alertId\":" + id
                + ",\"action\":\"close\",\"by\":\"glpi:jdupont\",\"note\":\"brûleur remplacé\"}");
        assertThat(close.statusCode()).isEqualTo(204);
        JsonNode closed = alert(id);
        assertThat(closed.get("state").asText()).isEqualTo("resolved");
        assertThat(closed.get("resolvedBy").asText()).isEqualTo("ticket:glpi:jdupont");

        // Closing again changes nothing and is not an error: the ticketing system may retry.
        assertThat(callback("{\"alertId\":" + id + ",\"action\":\"close\",\"by\":\"glpi:jdupont\"}").statusCode())
                .isEqualTo(204);
    }

    /** A signature made with another secret, or a missing one, is refused with 401 and changes nothing. */
    @Test
    void badOrMissingSignatureIsRefused() throws Exception {
        long id = raise("callback-bad-signature");
        String json = "{\"alertId\":" + id + ",\"action\":\"acknowledge\",\"by\":\"intruder\"}";

        HttpResponse<String> forged = callback(json, Instant.now(), new CallbackSignature(SECRET.replace('0', '1')));
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.headers().firstValue("Content-Type")).hasValue("application/problem+json");

        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(URI.create(harness.httpBase() + "/api/v1/tickets/callback"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(alert(id).get("state").asText()).isEqualTo("open");
    }

    /** A correctly signed request older than five minutes (a replay) is refused with 401. */
    @Test
    void staleTimestampIsRefused() throws Exception {
        long id = raise("callback-stale");
        HttpResponse<String> stale = callback("{\"alertId\":" + id + ",\"action\":\"acknowledge\",\"by\":\"glpi\"}",
                Instant.now().minus(Duration.ofMinutes(6)), signature);
        assertThat(stale.statusCode()).isEqualTo(401);
        assertThat(alert(id).get("state").asText()).isEqualTo("open");
    }

    /** An alert that does not exist is 404. */
    @Test
    void unknownAlertIsNotFound() throws Exception {
        assertThat(callback("{\"alertId\":987654321,\"action\":\"acknowledge\",\"by\":\"glpi\"}").statusCode()).isEqualTo(404);
    }

    /** Acknowledging an alert already resolved is a conflict: 409. */
    @Test
    void acknowledgingAResolvedAlertIsAConflict() throws Exception {
        long id = raise("callback-conflict");
        assertThat(callback("{\"alertId\":" + id + ",\"action\":\"close\",\"by\":\"glpi\"}").statusCode()).isEqualTo(204);
        HttpResponse<String> ack = callback("{\"alertId\":" + id + ",\"action\":\"acknowledge\",\"by\":\"glpi\"}");
        assertThat(ack.statusCode()).isEqualTo(409);
        assertThat(alert(id).get("acknowledgedBy").isNull()).isTrue();
    }

    /** A signed body that is not a valid callback is 400. */
    @Test
    void invalidBodyIsBadRequest() throws Exception {
        assertThat(callback("not json").statusCode()).isEqualTo(400);
        assertThat(callback("{\"alertId\":1,\"action\":\"delete\",\"by\":\"glpi\"}").statusCode()).isEqualTo(400);
        assertThat(callback("{\"alertId\":\"1\",\"action\":\"close\",\"by\":\"glpi\"}").statusCode()).isEqualTo(400);
        assertThat(callback("{\"alertId\":1,\"action\":\"close\"}").statusCode()).isEqualTo(400);
        assertThat(callback("{\"alertId\":1,\"action\":\"close\",\"by\":\"glpi\",\"readings\":[1]}").statusCode()).isEqualTo(400);
    }
}
