package fr.gardien.gateway.alerts;

import fr.gardien.gateway.registry.RegistryView;
import fr.gardien.gateway.access.AuditLog;
import fr.gardien.gateway.access.BearerAuth;
import fr.gardien.gateway.web.Problem;
import fr.gardien.gateway.web.QueryParams;
import fr.gardien.gateway.registry.Registry;
import fr.gardien.model.ApiToken;
import fr.gardien.rules.Severity;
import fr.gardien.storage.alerts.Alert;
import fr.gardien.storage.alerts.AlertChange;
import fr.gardien.storage.alerts.AlertConflictException;
import fr.gardien.storage.alerts.AlertQuery;
import fr.gardien.storage.alerts.AlertStore;
import fr.gardien.storage.alerts.Silence;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert and silence endpoints (contract: "HTTP API"; issue 3 and 5). Every request is
 * authenticated before it reaches these handlers; each is scoped to the token's sites: a
 * building manager gets 403 for another site's alert or silence, and never sees it listed.
 * Acknowledging, resolving and silencing need the role admin or building-manager (routes).
 */
public final class AlertApi {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_TEXT = 2000;
    private static final Logger log = LoggerFactory.getLogger(AlertApi.class);

    private final AlertService alerts;
    private final RegistryView registry;

    public AlertApi(AlertService alerts, RegistryView registry) {
        this.alerts = alerts;
        this.registry = registry;
    }

    /** {@code GET /api/v1/alerts?state=&site=&severity=&since=&limit=}: most recently changed first. */
    public void list(RoutingContext ctx) {
        ApiToken token = BearerAuth.token(ctx);
        AlertQuery query;
        try {
            String site = ctx.request().getParam("site");
            if (site != null && !token.maySee(site)) {
                Problem.forbidden(ctx, "this token may not read site " + site);
                return;
            }
            Set<String> sites = site != null ? Set.of(site) : token.allSites() ? null : new HashSet<>(token.sites());
            query = new AlertQuery(state(ctx.request().getParam("state")), sites, severity(ctx.request().getParam("severity")),
                    QueryParams.instant(ctx.request().getParam("since"), "since"),
                    QueryParams.limit(ctx.request().getParam("limit"), DEFAULT_LIMIT, AlertStore.MAX_LIMIT));
        } catch (IllegalArgumentException e) {
            Problem.badRequest(ctx, "invalid-parameter", e.getMessage());
            return;
        }
        Language language = language(ctx);
        alerts.list(query).onComplete(ar -> {
            if (ar.failed()) {
                fail(ctx, ar.cause());
                return;
            }
            JsonArray items = new JsonArray();
            ar.result().forEach(a -> items.add(AlertJson.alert(a, language)));
            json(ctx, 200, new JsonObject().put("alerts", items));
        });
    }

    /** {@code GET /api/v1/alerts/{id}}. */
    public void get(RoutingContext ctx) {
        withVisibleAlert(ctx).onSuccess(alert -> {
            if (alert != null) {
                json(ctx, 200, AlertJson.alert(alert, language(ctx)));
            }
        });
    }

    /** {@code POST /api/v1/alerts/{id}/ack}: 200 with the alert; 409 when resolved. */
    public void acknowledge(RoutingContext ctx) {
        String who = BearerAuth.token(ctx).name();
        withVisibleAlert(ctx).onSuccess(alert -> {
            if (alert != null) {
                changed(ctx, alerts.acknowledge(alert.id(), who));
            }
        });
    }

    /** {@code POST /api/v1/alerts/{id}/resolve} with an optional {@code {"note": "…"}}: 200 with the alert. */
    public void resolve(RoutingContext ctx) {
        String who = BearerAuth.token(ctx).name();
        String note;
        try {
            JsonObject body = body(ctx, false);
            note = body == null ? null : optionalText(body, "note");
        } catch (IllegalArgumentException e) {
            Problem.badRequest(ctx, "invalid-body", e.getMessage());
            return;
        }
        withVisibleAlert(ctx).onSuccess(alert -> {
            if (alert != null) {
                changed(ctx, alerts.resolve(alert.id(), who, note));
            }
        });
    }

    /** {@code GET /api/v1/silences}: the silences not ended yet of the token's sites. */
    public void silences(RoutingContext ctx) {
        ApiToken token = BearerAuth.token(ctx);
        alerts.silences(token.allSites() ? null : new HashSet<>(token.sites())).onComplete(ar -> {
            if (ar.failed()) {
                fail(ctx, ar.cause());
                return;
            }
            JsonArray items = new JsonArray();
            ar.result().forEach(s -> items.add(AlertJson.silence(s)));
            json(ctx, 200, new JsonObject().put("silences", items));
        });
    }

    /**
     * {@code POST /api/v1/silences} with {@code {site, equipment?, rule?, from?, until, reason}}:
     * 201 with the silence and its {@code Location}. {@code from} defaults to now.
     */
    public void createSilence(RoutingContext ctx) {
        ApiToken token = BearerAuth.token(ctx);
        String site;
        String equipment;
        String rule;
        String reason;
        Instant from;
        Instant until;
        try {
            JsonObject body = body(ctx, true);
            site = requiredText(body, "site");
            equipment = optionalText(body, "equipment");
            rule = optionalText(body, "rule");
            reason = requiredText(body, "reason");
            from = Optional.ofNullable(QueryParams.instant(optionalText(body, "from"), "from")).orElseGet(Instant::now);
            until = QueryParams.instant(requiredText(body, "until"), "until");
            if (!from.isBefore(until)) {
                throw new IllegalArgumentException("until must be after from (" + from + ")");
            }
        } catch (IllegalArgumentException e) {
            Problem.badRequest(ctx, "invalid-body", e.getMessage());
            return;
        }
        AuditLog.site(ctx, site);
        if (!token.maySee(site)) {
            Problem.forbidden(ctx, "this token may not silence site " + site);
            return;
        }
        Registry current = registry.current();
        if (current.site(site) == null) {
            Problem.send(ctx, 422, "unknown-site", "Unknown site", "no site " + site + " in the portfolio");
            return;
        }
        if (equipment != null && current.site(site).equipment().stream().noneMatch(e -> e.id().equals(equipment))) {
            Problem.send(ctx, 422, "unknown-equipment", "Unknown equipment", "no equipment " + equipment + " in site " + site);
            return;
        }
        alerts.createSilence(site, equipment, rule, from, until, token.name(), reason).onComplete(ar -> {
            if (ar.failed()) {
                fail(ctx, ar.cause());
                return;
            }
            ctx.response().putHeader("Location", "/api/v1/silences/" + ar.result().id());
            json(ctx, 201, AlertJson.silence(ar.result()));
        });
    }

    /** {@code DELETE /api/v1/silences/{id}}: 204; 404 unknown; 403 another site's. */
    public void deleteSilence(RoutingContext ctx) {
        ApiToken token = BearerAuth.token(ctx);
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            Problem.notFound(ctx, "no silence " + ctx.pathParam("id"));
            return;
        }
        alerts.silence(id).compose(found -> {
            if (found.isEmpty()) {
                Problem.notFound(ctx, "no silence " + id);
                return Future.succeededFuture();
            }
            Silence silence = found.get();
            AuditLog.site(ctx, silence.site());
            if (!token.maySee(silence.site())) {
                Problem.forbidden(ctx, "this token may not change silences of site " + silence.site());
                return Future.succeededFuture();
            }
            return alerts.deleteSilence(id).onSuccess(deleted -> {
                if (deleted) {
                    ctx.response().setStatusCode(204).end();
                } else {
                    Problem.notFound(ctx, "no silence " + id);
                }
            });
        }).onFailure(e -> fail(ctx, e));
    }

    /**
     * The alert of the {@code id} path parameter when the token may see it; otherwise the
     * request is answered (404, 403, 503) and the future holds null.
     */
    private Future<Alert> withVisibleAlert(RoutingContext ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            Problem.notFound(ctx, "no alert " + ctx.pathParam("id"));
            return Future.succeededFuture();
        }
        return alerts.get(id).transform(ar -> {
            if (ar.failed()) {
                fail(ctx, ar.cause());
                return Future.succeededFuture();
            }
            Alert alert = ar.result().orElse(null);
            if (alert == null) {
                Problem.notFound(ctx, "no alert " + id);
                return Future.succeededFuture();
            }
            AuditLog.site(ctx, alert.site());
            if (!BearerAuth.token(ctx).maySee(alert.site())) {
                Problem.forbidden(ctx, "this token may not read site " + alert.site());
                return Future.succeededFuture();
            }
            return Future.succeededFuture(alert);
        });
    }

    private static void changed(RoutingContext ctx, Future<Optional<AlertChange>> change) {
        change.onComplete(ar -> {
            if (ar.failed()) {
                fail(ctx, ar.cause());
            } else if (ar.result().isEmpty()) {
                Problem.notFound(ctx, "no alert " + ctx.pathParam("id"));
            } else {
                json(ctx, 200, AlertJson.alert(ar.result().get().alert(), language(ctx)));
            }
        });
    }

    /** Errors translated once, here: conflict 409, bad input 400, the database 503. */
    private static void fail(RoutingContext ctx, Throwable e) {
        if (e instanceof AlertConflictException) {
            Problem.send(ctx, 409, "conflict", "Conflict", e.getMessage());
        } else if (e instanceof IllegalArgumentException) {
            Problem.badRequest(ctx, "invalid-parameter", e.getMessage());
        } else {
            log.warn("alert request failed [path: {}, cause: {}]", ctx.request().path(), e.toString());
            Problem.unavailable(ctx, 5, "the database did not answer");
        }
    }

    static Language language(RoutingContext ctx) {
        return Language.fromAcceptLanguage(ctx.request().getHeader("Accept-Language"));
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    private static JsonObject body(RoutingContext ctx, boolean required) {
        String text = ctx.body() == null ? null : ctx.body().asString();
        if (text == null || text.isBlank()) {
            if (required) {
                throw new IllegalArgumentException("a JSON object is required");
            }
            return null;
        }
        try {
            return new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            throw new IllegalArgumentException("the body is not a JSON object");
        }
    }

    private static String requiredText(JsonObject body, String field) {
        String value = optionalText(body, field);
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    private static String optionalText(JsonObject body, String field) {
        Object value = body.getValue(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        if (text.isBlank()) {
            return null;
        }
        if (text.length() > MAX_TEXT) {
            throw new IllegalArgumentException(field + " is longer than " + MAX_TEXT + " characters");
        }
        return text;
    }

    private static Alert.State state(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Alert.State.of(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("state must be open, acknowledged or resolved, got \"" + text + "\"");
        }
    }

    private static Severity severity(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Severity.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("severity must be info, warning, major or critical, got \"" + text + "\"");
        }
    }
}
