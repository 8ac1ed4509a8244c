package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.ADMIN_TOKEN;
import static fr.gardien.gateway.GatewayHarness.MANAGER_MARRONNIERS_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gardien.rules.RuleSignal;
import fr.gardien.rules.Severity;
import fr.gardien.storage.alerts.AlertChange;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** The SSE alert stream: live transitions, scoping to the token's sites, replay after Last-Event-ID. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AlertStreamIT {

    static final ObjectMapper mapper = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Duration QUIET = Duration.ofMillis(700);

    @RegisterExtension
    static final GatewayHarness harness = GatewayHarness.perClass(Map.of());
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static AlertChange apply(RuleSignal.Kind kind, String rule, String site, String equipment) throws Exception {
        return harness.gateway.alerts().apply(AlertApiIT.signal(kind, rule, site, equipment, Severity.MAJOR, Instant.now()))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static SseClient connect(String token, String lastEventId, String language) throws Exception {
        SseClient client = SseClient.connect(http, harness.httpBase() + "/api/v1/alerts/stream", token, lastEventId, language);
        assertThat(client.status()).isEqualTo(200);
        assertThat(client.header("Content-Type")).startsWith("text/event-stream");
        // The server comments first, once subscribed: what is applied from now on is streamed.
        assertThat(client.nextComment(WAIT)).isNotNull();
        return client;
    }

    /** A transition committed while connected arrives as one event: id, event name, alert JSON with the transition. */
    @Test
    void aTransitionArrivesLive() throws Exception {
        try (SseClient client = connect(ADMIN_TOKEN, null, "en")) {
            AlertChange opened = apply(RuleSignal.Kind.RAISED, "live", "tilleuls", "boiler-1");

            SseClient.Event event = client.nextEvent(WAIT);
            assertThat(event).isNotNull();
            assertThat(event.id()).isEqualTo(Long.toString(opened.transition().id()));
            assertThat(event.event()).isEqualTo("alert");
            JsonNode data = mapper.readTree(event.data());
            assertThat(data.get("id").asLong()).isEqualTo(opened.alert().id());
            assertThat(data.get("rule").asText()).isEqualTo("live");
            assertThat(data.get("state").asText()).isEqualTo("open");
            assertThat(data.get("summary").asText()).isEqualTo("Supply below 35 °C for 45 min");
            assertThat(data.get("transition").get("kind").asText()).isEqualTo("opened");
            assertThat(data.get("transition").get("by").asText()).isEqualTo("gardien");

            AlertChange resolved = apply(RuleSignal.Kind.CLEARED, "live", "tilleuls", "boiler-1");
            SseClient.Event next = client.nextEvent(WAIT);
            assertThat(next.id()).isEqualTo(Long.toString(resolved.transition().id()));
            assertThat(mapper.readTree(next.data()).get("state").asText()).isEqualTo("resolved");
        }
    }

    /** A building manager's stream carries its sites' transitions only. */
    @Test
    void theStreamIsScopedToTheTokensSites() throws Exception {
        try (SseClient client = connect(MANAGER_MARRONNIERS_TOKEN, null, null)) {
            apply(RuleSignal.Kind.RAISED, "scoped", "tilleuls", "boiler-1");
            AlertChange mine = apply(RuleSignal.Kind.RAISED, "scoped", "marronniers", "substation");

            SseClient.Event event = client.nextEvent(WAIT);
            assertThat(event.id()).isEqualTo(Long.toString(mine.transition().id()));
            JsonNode data = mapper.readTree(event.data());
            assertThat(data.get("site").asText()).isEqualTo("marronniers");
            assertThat(data.get("summary").asText()).isEqualTo("Départ sous 35 °C depuis 45 min");
            assertThat(client.nextEvent(QUIET)).isNull();
        }
    }

    /**
     * A client reconnecting with Last-Event-ID first gets the transitions it missed, in order and
     * scoped to its sites, then live ones, each once.
     */
    @Test
    void missedTransitionsAreReplayedAfterLastEventId() throws Exception {
        AlertChange seen = apply(RuleSignal.Kind.RAISED, "replay", "marronniers", "substation");
        AlertChange missed1 = apply(RuleSignal.Kind.RAISED, "replay", "marronniers", "substation");
        apply(RuleSignal.Kind.RAISED, "replay", "tilleuls", "boiler-1");
        AlertChange missed2 = apply(RuleSignal.Kind.CLEARED, "replay", "marronniers", "substation");

        try (SseClient client = connect(MANAGER_MARRONNIERS_TOKEN, Long.toString(seen.transition().id()), null)) {
            SseClient.Event first = client.nextEvent(WAIT);
            assertThat(first.id()).isEqualTo(Long.toString(missed1.transition().id()));
            assertThat(mapper.readTree(first.data()).get("transition").get("kind").asText()).isEqualTo("retriggered");
            SseClient.Event second = client.nextEvent(WAIT);
            assertThat(second.id()).isEqualTo(Long.toString(missed2.transition().id()));
            assertThat(mapper.readTree(second.data()).get("transition").get("kind").asText()).isEqualTo("resolved");

            AlertChange live = apply(RuleSignal.Kind.RAISED, "replay", "marronniers", "substation");
            SseClient.Event third = client.nextEvent(WAIT);
            assertThat(third.id()).isEqualTo(Long.toString(live.transition().id()));
            assertThat(mapper.readTree(third.data()).get("transition").get("kind").asText()).isEqualTo("reopened");
            assertThat(client.nextEvent(QUIET)).isNull();
        }
    }

    /** A Last-Event-ID that is not an id is refused, and the stream needs a token. */
    @Test
    void badLastEventIdAndMissingTokenAreRefused() throws Exception {
        try (SseClient client = SseClient.connect(http, harness.httpBase() + "/api/v1/alerts/stream", ADMIN_TOKEN, "abc", null)) {
            assertThat(client.status()).isEqualTo(400);
        }
        assertThat(harness.get("/api/v1/alerts/stream", null, "text/event-stream").statusCode()).isEqualTo(401);
    }
}
