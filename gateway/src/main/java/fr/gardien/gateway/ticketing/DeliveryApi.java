package fr.gardien.gateway.ticketing;

import fr.gardien.gateway.web.Problem;
import fr.gardien.storage.alerts.DeliveryRecord;
import fr.gardien.storage.alerts.DigestEntry;
import fr.gardien.storage.alerts.DigestStore;
import fr.gardien.storage.alerts.OutboxEntry;
import fr.gardien.storage.alerts.OutboxStore;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery audit and the dead-letter list (issue 4), for admins (the routes check the role):
 * {@code GET /api/v1/deliveries}, {@code GET /api/v1/outbox}, {@code POST /api/v1/outbox/{id}/retry},
 * and the digest tickets: {@code GET /api/v1/digests}, {@code GET /api/v1/digests/{id}},
 * {@code POST /api/v1/digests/{id}/retry}.
 */
public final class DeliveryApi {

    static final int DEFAULT_LIMIT = 100;
    private static final Logger log = LoggerFactory.getLogger(DeliveryApi.class);
    private static final Set<String> OUTCOMES = Set.of("delivered", "retry", "dead", "skipped", "digested");

    private final OutboxStore store;
    private final DigestStore digests;
    private final WorkerExecutor db;
    private final Clock clock;

    public DeliveryApi(OutboxStore store, DigestStore digests, WorkerExecutor db, Clock clock) {
        this.store = store;
        this.digests = digests;
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
            Problem.badRequest(ctx, "invalid-parameter", "outcome is one of delivered, retry, dead, skipped, digested");
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
        listByStatus(ctx, "outbox", List.of(OutboxEntry.PENDING, OutboxEntry.DELIVERED, OutboxEntry.DEAD, OutboxEntry.SKIPPED,
                OutboxEntry.DIGESTED), (status, limit) -> store.list(status, limit).stream().map(DeliveryApi::json).toList());
    }

    /** {@code POST /api/v1/outbox/{id}/retry}: a dead delivery back to pending with attempts 0; 409 when not dead. */
    public void retry(RoutingContext ctx) {
        retry(ctx, "outbox entry", id -> store.retry(id, clock.instant())
                .map(r -> new Retried(json(r.entry()), r.retried(), r.entry().status())));
    }

    /** {@code GET /api/v1/digests?status=&limit=}: digest tickets, newest first. */
    public void digests(RoutingContext ctx) {
        listByStatus(ctx, "digests", List.of("pending", "delivered", "dead"),
                (status, limit) -> digests.list(status, limit).stream().map(DeliveryApi::json).toList());
    }

    /** Answers {@code {key: [rows of ?status, newest first, at most ?limit]}}; 400 for another status or a bad limit. */
    private void listByStatus(RoutingContext ctx, String key, List<String> statuses,
            java.util.function.BiFunction<String, Integer, List<JsonObject>> rows) {
        String status = ctx.request().getParam("status");
        int limit;
        try {
            limit = limit(ctx.request().getParam("limit"));
        } catch (NumberFormatException e) {
            Problem.badRequest(ctx, "invalid-parameter", "limit is an integer");
            return;
        }
        if (status != null && !statuses.contains(status)) {
            Problem.badRequest(ctx, "invalid-parameter", "status is one of " + String.join(", ", statuses));
            return;
        }
        db.executeBlocking(() -> rows.apply(status, limit), false).onComplete(ar -> {
            if (ar.failed()) {
                fail(ctx, ar.cause());
                return;
            }
            send(ctx, 200, new JsonObject().put(key, new JsonArray(new java.util.ArrayList<Object>(ar.result()))));
        });
    }

    /** {@code GET /api/v1/digests/{id}}: one digest with the ids of the alerts it groups. */
    public void digest(RoutingContext ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            Problem.notFound(ctx, "no digest " + ctx.pathParam("id"));
            return;
        }
        db.executeBlocking(() -> digests.get(id), false).onComplete(ar -> {
            if (ar.failed()) {
                fail(ctx, ar.cause());
            } else if (ar.result().isEmpty()) {
                Problem.notFound(ctx, "no digest " + id);
            } else {
                send(ctx, 200, json(ar.result().get().digest()).put("alertIds", new JsonArray(ar.result().get().alertIds())));
            }
        });
    }

    /** {@code POST /api/v1/digests/{id}/retry}: a dead digest back to pending with attempts 0; 409 when not dead. */
    public void retryDigest(RoutingContext ctx) {
        retry(ctx, "digest", id -> digests.retry(id, clock.instant())
                .map(r -> new Retried(json(r.entry()), r.retried(), r.entry().status())));
    }

    private record Retried(JsonObject json, boolean retried, String status) {
    }

    private void retry(RoutingContext ctx, String what, java.util.function.LongFunction<Optional<Retried>> retry) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            Problem.notFound(ctx, "no " + what + " " + ctx.pathParam("id"));
            return;
        }
        db.executeBlocking(() -> retry.apply(id), false).onComplete(ar -> {
            if (ar.failed()) {
                fail(ctx, ar.cause());
            } else if (ar.result().isEmpty()) {
                Problem.notFound(ctx, "no " + what + " " + id);
            } else if (!ar.result().get().retried()) {
                Problem.send(ctx, 409, "not-dead", "Conflict", what + " " + id + " is "
                        + ar.result().get().status() + "; only a dead delivery can be retried");
            } else {
                log.info("dead delivery put back to pending [{}: {}]", what, id);
                send(ctx, 200, ar.result().get().json());
            }
        });
    }

    static JsonObject json(DigestEntry d) {
        return new JsonObject()
                .put("id", d.id())
                .put("route", d.route())
                .put("site", d.site())
                .put("day", d.day().toString())
                .put("connector", d.connector())
                .put("budget", d.budget())
                .put("alerts", d.alerts())
                .put("status", d.status())
                .put("attempts", d.attempts())
                .put("nextAttemptAt", text(d.nextAttemptAt()))
                .put("createdAt", text(d.createdAt()))
                .put("deliveredAt", text(d.deliveredAt()))
                .put("ticketRef", d.ticketRef())
                .put("lastError", d.lastError())
                .put("idempotencyKey", d.idempotencyKey());
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
                .put("digestId", d.digestId())
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
