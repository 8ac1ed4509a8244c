package fr.gardien.gateway.access;

import fr.gardien.gateway.web.Problem;
import fr.gardien.gateway.web.QueryParams;
import fr.gardien.storage.access.AuditEntry;
import fr.gardien.storage.access.AuditStore;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code GET /api/v1/audit?since=&actor=&limit=}: the audit log of data access, newest first (admins; the route checks). */
public final class AuditApi {

    static final int DEFAULT_LIMIT = 100;
    private static final Logger log = LoggerFactory.getLogger(AuditApi.class);

    private final AuditStore store;
    private final WorkerExecutor db;

    public AuditApi(AuditStore store, WorkerExecutor db) {
        this.store = store;
        this.db = db;
    }

    public void list(RoutingContext ctx) {
        Instant since;
        int limit;
        try {
            since = since(ctx.request().getParam("since"));
            limit = QueryParams.limit(ctx.request().getParam("limit"), DEFAULT_LIMIT, AuditStore.MAX_LIMIT);
        } catch (IllegalArgumentException e) {
            Problem.badRequest(ctx, "invalid-parameter", e.getMessage());
            return;
        }
        String actor = ctx.request().getParam("actor");
        db.executeBlocking(() -> store.list(since, actor == null || actor.isBlank() ? null : actor, limit), false)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        log.warn("audit request failed [cause: {}]", ar.cause().toString());
                        Problem.unavailable(ctx, 5, "the database did not answer");
                        return;
                    }
                    JsonArray items = new JsonArray();
                    ar.result().forEach(e -> items.add(json(e)));
                    ctx.response().putHeader("Content-Type", "application/json")
                            .end(new JsonObject().put("entries", items).encode());
                });
    }

    static JsonObject json(AuditEntry e) {
        return new JsonObject()
                .put("id", e.id())
                .put("at", e.at().toString())
                .put("actor", e.actor())
                .put("role", e.role())
                .put("method", e.method())
                .put("route", e.route())
                .put("path", e.path())
                .put("sites", new JsonArray(new ArrayList<>(e.sites())))
                .put("parameters", new JsonObject(new TreeMap<String, Object>(e.parameters())))
                .put("status", e.status());
    }

    private static Instant since(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("since must be an ISO-8601 instant such as 2026-01-15T00:00:00Z, got \"" + text + "\"");
        }
    }
}
