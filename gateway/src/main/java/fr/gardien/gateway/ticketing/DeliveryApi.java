package fr.gardien.gateway.ticketing;

import fr.gardien.gateway.api.Problem;
import fr.gardien.storage.DeliveryRecord;
import fr.gardien.storage.OutboxEntry;
import fr.gardien.storage.OutboxStore;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery audit and the dead-letter list (issue 4), for admins (the routes check the role):
 * {@code GET /api/v1/deliveries}, {@code GET /api/v1/outbox}, {@code POST /api/v1/outbox/{id}/retry}.
 */
public final class DeliveryApi {

    static final int DEFAULT_LIMIT = 100;
    private static final Logger log = LoggerFactory.getLogger(DeliveryApi.class);
    private static final Set<String> OUTCOMES = Set.of("delivered", "retry", "dead", "skipped");
    private static final Set<String> STATUSES = Set.of(OutboxEntry.PENDING, OutboxEntry.DELIVERED, OutboxEntry.DEAD,
            OutboxEntry.SKIPPED);

    private final OutboxStore store;
    private final WorkerExecutor db;
    private final Clock clock;

    public DeliveryApi(OutboxStore store, WorkerExecutor db, Clock clock) {
        this.store = store;
        this.db = db;
        this.clock = clock;
    }

    /** {@code GET /api/v1/deliveries?alert=&outcome=&limit=}: the audit, newest first. */
    public void deliveries(RoutingContext ctx) {
        Long alert;
        String outcome = ctx.request().getParam("outcome");
        int limit;
        try {
            String a = ctx.request().getParam("alert");
            alert = a == null ? null : Long.valueOf(a);
            limit = limit(ctx.request().getParam("limit"));
        } catch (NumberFormatException e) {
            Problem.badRequest(ctx, "invalid-parameter", "alert and limit are integers");
            return;
        }
        if (outcome != null && !OUTCOMES.contains(outcome)) {
            Problem.badRequest(ctx, "invalid-parameter", "outcome is one of delivered, retry, dead, skipped");
            return;
        }
        db.executeBlocking(() -> store.deliveries(alert, outcome, limit), false).onComplete(ar -> {
            if (ar.failed()) {
                fail(ctx, ar.cause());
                return;
            }
            JsonArray items = new JsonArray();
            ar.result().forEach(d -> items.add(json(d)));
            send(ctx, 200, new JsonObject().put("deliveries", items));
        });
    }

    /** {@code GET /api/v1/outbox?status=&limit=}: with {@code status=dead}, the dead-letter list; newest first. */
    public void outbox(RoutingContext ctx) {
        String status = ctx.request().getParam("status");
        int limit;
        try {
            limit = limit(ctx.request().getParam("limit"));
        } catch (NumberFormatException e) {
            Problem.badRequest(ctx, "invalid-parameter", "limit is an integer");
            return;
        }
        if (status != null && !STATUSES.contains(status)) {
            Problem.badRequest(ctx, "invalid-parameter", "status is one of pending, delivered, dead, skipped");
            return;
        }
        db.executeBlocking(() -> store.list(status, limit), false).onComplete(ar -> {
            if (ar.failed()) {
                fail(ctx, ar.cause());
                return;
            }
            JsonArray items = new JsonArray();
            ar.result().forEach(e -> items.add(json(e)));
            send(ctx, 200, new JsonObject().put("outbox", items));
        });
    }

    /** {@code POST /api/v1/outbox/{id}/retry}: a dead delivery back to pending with attempts 0; 409 when not dead. */
    public void retry(RoutingContext ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            Problem.notFound(ctx, "no outbox entry " + ctx.pathParam("id"));
            return;
        }
        db.executeBlocking(() -> store.retry(id, clock.instant()), false).onComplete(ar -> {
            if (ar.failed()) {
                fail(ctx, ar.cause());
            } else if (ar.result().isEmpty()) {
                Problem.notFound(ctx, "no outbox entry " + id);
            } else if (!ar.result().get().retried()) {
                Problem.send(ctx, 409, "not-dead", "Conflict", "outbox entry " + id + " is "
                        + ar.result().get().entry().status() + "; only a dead delivery can be retried");
            } else {
                log.info("dead delivery put back to pending [outbox: {}]", id);
                send(ctx, 200, json(ar.result().get().entry()));
            }
        });
    }

    static JsonObject json(OutboxEntry e) {
        return new JsonObject()
                .put("id", e.id())
                .put("alertId", e.alertId())
                .put("transitionId", e.transitionId())
                .put("idempotencyKey", e.idempotencyKey())
                .put("connector", e.connector())
                .put("status", e.status())
                .put("attempts", e.attempts())
                .put("nextAttemptAt", text(e.nextAttemptAt()))
                .put("createdAt", text(e.createdAt()))
                .put("deliveredAt", text(e.deliveredAt()))
                .put("lastError", e.lastError());
    }

    static JsonObject json(DeliveryRecord d) {
        return new JsonObject()
                .put("id", d.id())
                .put("outboxId", d.outboxId())
                .put("alertId", d.alertId())
                .put("connector", d.connector())
                .put("attempt", d.attempt())
                .put("at", text(d.at()))
                .put("outcome", d.outcome())
                .put("statusCode", d.statusCode())
                .put("error", d.error())
                .put("idempotencyKey", d.idempotencyKey());
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    private static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        int limit = Integer.parseInt(text);
        if (limit < 1 || limit > OutboxStore.MAX_LIMIT) {
            throw new NumberFormatException("limit out of range");
        }
        return limit;
    }

    private static void send(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    private static void fail(RoutingContext ctx, Throwable e) {
        log.warn("delivery API request failed [path: {}, cause: {}]", ctx.request().path(), e.toString());
        Problem.unavailable(ctx, 1, "the database did not answer");
    }
}
