package fr.gardien.gateway.alerts;

import fr.gardien.gateway.access.TokenApi;
import fr.gardien.gateway.access.BearerAuth;
import fr.gardien.gateway.web.Problem;
import fr.gardien.model.ApiToken;
import fr.gardien.storage.alerts.AlertEvent;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/alerts/stream}: Server-Sent Events (WHATWG HTML §9.2), one event per alert
 * transition of the token's sites: {@code id:} the transition id, {@code event: alert},
 * {@code data:} the alert JSON plus {@code transition}. With {@code Last-Event-ID} (or the
 * query parameter {@code lastEventId}, for clients that cannot set headers), the transitions
 * missed since are replayed from the table first, then the stream goes live; a comment every
 * {@link #KEEP_ALIVE} keeps proxies from closing an idle stream.
 *
 * <p>Bounded: live events arriving during the replay wait in a queue of at most
 * {@value #MAX_PENDING}, and a client that does not read (the response's write queue is full)
 * is disconnected; in both cases it resumes with its {@code Last-Event-ID} and misses nothing.
 *
 * <p>A stream whose token is revoked (through the API or a portfolio reload) or expires is
 * closed: at once after a revocation on this gateway or, in a cluster, within a second of one on
 * another process ({@link TokenApi#TOKENS_CHANGED}), otherwise at the next keep-alive or event.
 * In a cluster the stream also carries the transitions other processes committed ({@link AlertRelay}).
 */
public final class AlertStream implements Handler<RoutingContext> {

    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    static final int MAX_PENDING = 10_000;
    static final int REPLAY_PAGE = 500;
    private static final Logger log = LoggerFactory.getLogger(AlertStream.class);

    private final AlertService alerts;
    private final Predicate<ApiToken> stillValid;

    /**
     * @param stillValid whether a token authenticated at the stream's start is still valid
     *     (not revoked, changed or expired)
     */
    public AlertStream(AlertService alerts, Predicate<ApiToken> stillValid) {
        this.alerts = alerts;
        this.stillValid = stillValid;
    }

    @Override
    public void handle(RoutingContext ctx) {
        ApiToken token = BearerAuth.token(ctx);
        String lastEventId = ctx.request().getHeader("Last-Event-ID");
        if (lastEventId == null) {
            lastEventId = ctx.request().getParam("lastEventId");
        }
        long after = -1;
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                after = Long.parseLong(lastEventId.trim());
            } catch (NumberFormatException e) {
                Problem.badRequest(ctx, "invalid-parameter", "Last-Event-ID must be an event id received from this stream");
                return;
            }
        }
        new Subscription(ctx.vertx(), ctx, token, AlertApi.language(ctx)).start(after);
    }

    /** One connected client; every method runs on the connection's event loop. */
    private final class Subscription {
        private final Vertx vertx;
        private final RoutingContext ctx;
        private final HttpServerResponse response;
        private final ApiToken token;
        private final Language language;
        private final ArrayDeque<JsonObject> pending = new ArrayDeque<>();
        private MessageConsumer<JsonObject> consumer;
        private MessageConsumer<String> tokenChanges;
        private long keepAlive = -1;
        private boolean replaying;
        private boolean closed;
        private long lastSent;

        Subscription(Vertx vertx, RoutingContext ctx, ApiToken token, Language language) {
            this.vertx = vertx;
            this.ctx = ctx;
            this.response = ctx.response();
            this.token = token;
            this.language = language;
        }

        void start(long after) {
            response.setChunked(true)
                    .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                    .putHeader("Cache-Control", "no-cache")
                    // Compression would hold events back in the compressor's buffer.
                    .putHeader("Content-Encoding", "identity")
                    .putHeader("X-Accel-Buffering", "no");
            response.closeHandler(v -> close());
            response.exceptionHandler(e -> close());
            // Subscribe before reading the table, so that nothing falls between replay and live.
            replaying = after >= 0;
            lastSent = Math.max(after, 0);
            consumer = vertx.eventBus().localConsumer(AlertService.ADDRESS, message -> live(message.body()));
            tokenChanges = vertx.eventBus().localConsumer(TokenApi.TOKENS_CHANGED, message -> checkToken());
            keepAlive = vertx.setPeriodic(KEEP_ALIVE.toMillis(), id -> {
                if (checkToken()) {
                    write(": keep-alive\n\n");
                }
            });
            write(": gardien alert stream\nretry: 5000\n\n");
            if (replaying) {
                consumer.completion().onComplete(ar -> replay(after));
            }
        }

        /** False, and the stream closed, once the token is no longer valid. */
        private boolean checkToken() {
            if (closed) {
                return false;
            }
            if (stillValid.test(token)) {
                return true;
            }
            log.info("alert stream closed: its token was revoked or expired [token: {}]", token.name());
            disconnect();
            return false;
        }

        private void live(JsonObject event) {
            if (closed || !token.maySee(event.getString("site")) || !checkToken()) {
                return;
            }
            if (!replaying) {
                send(event);
                return;
            }
            if (pending.size() == MAX_PENDING) {
                log.debug("alert stream closed: too many events during replay [token: {}]", token.name());
                disconnect();
                return;
            }
            pending.add(event);
        }

        private void replay(long after) {
            Set<String> sites = token.allSites() ? null : new HashSet<>(token.sites());
            alerts.eventsAfter(after, sites, REPLAY_PAGE).onComplete(ar -> {
                if (closed) {
                    return;
                }
                if (ar.failed()) {
                    log.warn("alert stream replay failed [token: {}, cause: {}]", token.name(), ar.cause().toString());
                    disconnect();
                    return;
                }
                List<AlertEvent> events = ar.result();
                for (AlertEvent e : events) {
                    send(AlertJson.event(e));
                }
                if (events.size() == REPLAY_PAGE) {
                    replay(events.get(events.size() - 1).transition().id());
                    return;
                }
                long replayedUpTo = lastSent;
                replaying = false;
                while (!pending.isEmpty()) {
                    JsonObject event = pending.poll();
                    if (event.getJsonObject("transition").getLong("id") > replayedUpTo) {
                        send(event);
                    }
                }
            });
        }

        private void send(JsonObject event) {
            long id = event.getJsonObject("transition").getLong("id");
            write("id: " + id + "\nevent: alert\ndata: " + AlertJson.withSummary(event, language).encode() + "\n\n");
            lastSent = Math.max(lastSent, id);
        }

        private void write(String text) {
            if (closed) {
                return;
            }
            if (response.writeQueueFull()) {
                log.debug("alert stream closed: the client does not read [token: {}]", token.name());
                disconnect();
                return;
            }
            response.write(text);
        }

        private void disconnect() {
            close();
            ctx.request().connection().close();
        }

        private void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (consumer != null) {
                consumer.unregister();
            }
            if (tokenChanges != null) {
                tokenChanges.unregister();
            }
            if (keepAlive >= 0) {
                vertx.cancelTimer(keepAlive);
            }
        }
    }
}
