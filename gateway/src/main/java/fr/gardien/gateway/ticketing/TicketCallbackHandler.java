package fr.gardien.gateway.ticketing;

import fr.gardien.gateway.alerts.AlertService;
import fr.gardien.gateway.web.Problem;
import fr.gardien.storage.alerts.AlertChange;
import fr.gardien.storage.alerts.AlertConflictException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/tickets/callback}: the ticketing system acknowledges or closes an alert.
 * Body {@code {"alertId": 123, "action": "acknowledge"|"close", "by": "…", "note": "…"}},
 * authenticated by {@link CallbackSignature}. The alert is acknowledged or resolved for
 * {@code ticket:BY}. Answers 204 when done (or already so), 401 unauthenticated or stale, 400 bad
 * body, 404 unknown alert (or callback not configured), 409 when the alert's state forbids it,
 * 503 when the database does not answer. Every call is logged for the audit, never its body.
 */
public final class TicketCallbackHandler implements Handler<RoutingContext> {

    private static final Logger log = LoggerFactory.getLogger(TicketCallbackHandler.class);
    static final int MAX_BY_CHARS = 200;
    static final int MAX_NOTE_CHARS = 4000;

    private final AlertService alerts;
    private final Optional<CallbackSignature> signature;
    private final Clock clock;

    public TicketCallbackHandler(CallbackConfig config, AlertService alerts, Clock clock) {
        this.alerts = Objects.requireNonNull(alerts, "alerts");
        this.signature = config.secret().map(CallbackSignature::new);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private record Request(long alertId, String action, String by, String note) {
    }

    @Override
    public void handle(RoutingContext ctx) {
        String remote = ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().hostAddress();
        if (signature.isEmpty()) {
            log.info("ticket callback [outcome: not-configured, remote: {}]", remote);
            Problem.notFound(ctx, "the ticket callback is not configured (ticketing.callback.secret)");
            return;
        }
        byte[] body = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        String refused = signature.get().check(ctx.request().getHeader("X-Gardien-Timestamp"),
                ctx.request().getHeader("X-Gardien-Signature"), body, clock.instant());
        if (refused != null) {
            log.warn("ticket callback refused [reason: {}, remote: {}]", refused, remote);
            Problem.unauthorized(ctx, "Gardien-Signature", refused);
            return;
        }
        Request request;
        try {
            request = parse(body);
        } catch (IllegalArgumentException | DecodeException e) {
            log.info("ticket callback [outcome: bad-request, reason: {}, remote: {}]", e.getMessage(), remote);
            Problem.badRequest(ctx, "invalid-callback", e.getMessage());
            return;
        }
        String who = "ticket:" + request.by();
        Future<Optional<AlertChange>> change = request.action().equals("acknowledge")
                ? alerts.acknowledge(request.alertId(), who)
                : alerts.resolve(request.alertId(), who, request.note());
        change.onComplete(ar -> {
            String outcome;
            if (ar.failed() && ar.cause() instanceof AlertConflictException conflict) {
                outcome = "conflict";
                Problem.send(ctx, 409, "conflict", "Conflict", conflict.getMessage());
            } else if (ar.failed()) {
                outcome = "unavailable";
                log.warn("ticket callback failed [alert: {}, cause: {}]", request.alertId(), ar.cause().toString());
                Problem.unavailable(ctx, 5, "the database did not answer");
            } else if (ar.result().isEmpty()) {
                outcome = "not-found";
                Problem.notFound(ctx, "no alert " + request.alertId());
            } else {
                outcome = ar.result().get().kind().name().toLowerCase();
                ctx.response().setStatusCode(204).end();
            }
            log.info("ticket callback [alert: {}, action: {}, by: {}, outcome: {}, remote: {}]", request.alertId(),
                    request.action(), who, outcome, remote);
        });
    }

    private static Request parse(byte[] body) {
        if (body.length == 0) {
            throw new IllegalArgumentException("a JSON object is required");
        }
        Object decoded = io.vertx.core.json.Json.decodeValue(io.vertx.core.buffer.Buffer.buffer(body));
        if (!(decoded instanceof JsonObject json)) {
            throw new IllegalArgumentException("a JSON object is required");
        }
        for (String field : json.fieldNames()) {
            if (!field.equals("alertId") && !field.equals("action") && !field.equals("by") && !field.equals("note")) {
                throw new IllegalArgumentException("unknown field \"" + field + "\" (known: alertId, action, by, note)");
            }
        }
        Object id = json.getValue("alertId");
        if (!(id instanceof Integer || id instanceof Long) || ((Number) id).longValue() <= 0) {
            throw new IllegalArgumentException("alertId: expected a positive integer");
        }
        Object action = json.getValue("action");
        if (!"acknowledge".equals(action) && !"close".equals(action)) {
            throw new IllegalArgumentException("action: expected acknowledge or close");
        }
        Object by = json.getValue("by");
        if (!(by instanceof String b) || b.isBlank() || b.length() > MAX_BY_CHARS || b.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("by: expected a name of 1 to " + MAX_BY_CHARS + " characters on one line");
        }
        Object note = json.getValue("note");
        if (note != null && (!(note instanceof String n) || n.length() > MAX_NOTE_CHARS)) {
            throw new IllegalArgumentException("note: expected a string of at most " + MAX_NOTE_CHARS + " characters");
        }
        return new Request(((Number) id).longValue(), (String) action, ((String) by).trim(), (String) note);
    }
}
