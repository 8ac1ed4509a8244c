package fr.gardien.gateway.api;

import fr.gardien.gateway.registry.RegistryView;
import fr.gardien.gateway.access.BearerAuth;
import fr.gardien.gateway.web.Problem;
import fr.gardien.gateway.web.QueryParams;
import fr.gardien.gateway.registry.Registry;
import fr.gardien.model.ApiToken;
import fr.gardien.model.Equipment;
import fr.gardien.model.PointKey;
import fr.gardien.model.PointSpec;
import fr.gardien.model.RegisteredPoint;
import fr.gardien.model.Site;
import fr.gardien.storage.write.QuarantineEntry;
import fr.gardien.storage.write.QuarantineStore;
import fr.gardien.storage.series.SeriesStore;
import fr.gardien.storage.series.SeriesValue;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The read side of the API so far: sites, raw series and quarantine. Every query runs on the
 * database worker pool and is scoped to the token's sites.
 */
public final class ReadApi {

    static final int DEFAULT_SERIES_LIMIT = 10_000;
    static final int MAX_SERIES_LIMIT = 100_000;

    private final RegistryView registry;
    private final SeriesStore series;
    private final QuarantineStore quarantine;
    private final WorkerExecutor db;
    private final SeriesApi bucketed;
    private final OccupancyPolicy occupancy;

    public ReadApi(RegistryView registry, SeriesStore series, QuarantineStore quarantine, WorkerExecutor db,
                   SeriesApi bucketed, OccupancyPolicy occupancy) {
        this.registry = registry;
        this.series = series;
        this.quarantine = quarantine;
        this.db = db;
        this.bucketed = bucketed;
        this.occupancy = occupancy;
    }

    /**
     * {@code GET /api/v1/sites}: the sites the token may see, with equipment and points, and
     * {@code you}: the token's name and role, so that the dashboard shows who is signed in and
     * offers only the actions the role may take (issue 17).
     */
    public void sites(RoutingContext ctx) {
        ApiToken token = BearerAuth.token(ctx);
        Registry current = registry.current();
        JsonArray sites = new JsonArray();
        for (Site site : current.sites()) {
            if (!token.maySee(site.id())) {
                continue;
            }
            JsonArray equipment = new JsonArray();
            for (Equipment e : site.equipment()) {
                JsonArray points = new JsonArray();
                for (PointSpec p : e.points()) {
                    points.add(new JsonObject().put("name", p.name())
                            .put("key", site.id() + "/" + e.id() + "/" + p.name())
                            .put("unit", p.unit()).put("category", p.category()));
                    if (p.label() != null) {
                        points.getJsonObject(points.size() - 1).put("label", p.label());
                    }
                }
                JsonObject item = new JsonObject().put("id", e.id()).put("type", e.type());
                if (e.name() != null) {
                    item.put("name", e.name());
                }
                equipment.add(item.put("points", points));
            }
            sites.add(new JsonObject().put("id", site.id()).put("name", site.name())
                    .put("timezone", site.timezone().getId()).put("equipment", equipment));
        }
        json(ctx, new JsonObject().put("sites", sites)
                .put("you", new JsonObject().put("name", token.name()).put("role", token.role())));
    }

    /**
     * {@code GET /api/v1/series?point=KEY&from=ISO&to=ISO[&limit=N]}: raw values, ascending.
     * {@code from} defaults to 24 h before {@code to}, {@code to} to now. With {@code bucket},
     * {@code agg} or several points, bucketed aggregates ({@link SeriesApi#series}).
     */
    public void series(RoutingContext ctx) {
        if (ctx.request().getParam("bucket") != null || ctx.request().getParam("agg") != null
                || ctx.queryParam("point").size() > 1) {
            bucketed.series(ctx);
            return;
        }
        ApiToken token = BearerAuth.token(ctx);
        String key = ctx.request().getParam("point");
        if (key == null || key.isBlank()) {
            Problem.badRequest(ctx, "missing-parameter", "the query parameter point=site/equipment/point is required");
            return;
        }
        Instant to;
        Instant from;
        int limit;
        try {
            to = QueryParams.instant(ctx, "to", Instant.now());
            from = QueryParams.instant(ctx, "from", to.minus(Duration.ofDays(1)));
            limit = intParam(ctx, "limit", DEFAULT_SERIES_LIMIT);
        } catch (IllegalArgumentException e) {
            Problem.badRequest(ctx, "invalid-parameter", e.getMessage());
            return;
        }
        if (!from.isBefore(to)) {
            Problem.badRequest(ctx, "invalid-parameter", "from must be before to");
            return;
        }
        if (limit < 1 || limit > MAX_SERIES_LIMIT) {
            Problem.badRequest(ctx, "invalid-parameter", "limit must be from 1 to " + MAX_SERIES_LIMIT);
            return;
        }
        // Scope first, from the key itself, so that a 404 never tells another site's points apart.
        PointKey parsed = PointKey.parse(key);
        if (parsed != null && !token.maySee(parsed.site())) {
            Problem.forbidden(ctx, "this token may not read site " + parsed.site());
            return;
        }
        RegisteredPoint point = registry.current().point(key);
        if (point == null) {
            Problem.notFound(ctx, "no point " + key);
            return;
        }
        String refusal = occupancy.refusal(point, null, null);
        if (refusal != null) {
            Problem.badRequest(ctx, "occupancy-aggregated-only", refusal);
            return;
        }
        db.executeBlocking(() -> series.raw(point.id(), from, to, limit), false).onComplete(ar -> {
            if (ar.failed()) {
                Problem.unavailable(ctx, 5, "the database did not answer");
                return;
            }
            List<SeriesValue> values = ar.result();
            String accept = ctx.request().getHeader("Accept");
            if (accept != null && accept.contains("text/csv")) {
                StringBuilder csv = new StringBuilder(values.size() * 40 + 16).append("t,v\n");
                for (SeriesValue v : values) {
                    csv.append(v.time()).append(',').append(v.text() != null ? csvText(v.text()) : Double.toString(v.value())).append('\n');
                }
                ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8").end(csv.toString());
                return;
            }
            JsonArray array = new JsonArray();
            for (SeriesValue v : values) {
                JsonObject item = new JsonObject().put("t", v.time().toString());
                if (v.text() != null) {
                    item.put("vs", v.text());
                } else {
                    item.put("v", v.value());
                }
                array.add(item);
            }
            json(ctx, new JsonObject().put("point", key).put("unit", point.unit())
                    .put("from", from.toString()).put("to", to.toString())
                    .put("truncated", values.size() == limit).put("values", array));
        });
    }

    /** {@code GET /api/v1/quarantine[?since=ISO&reason=CODE&limit=N]} (admin): newest first. */
    public void quarantine(RoutingContext ctx) {
        Instant since;
        int limit;
        try {
            since = QueryParams.instant(ctx, "since", null);
            limit = intParam(ctx, "limit", 100);
        } catch (IllegalArgumentException e) {
            Problem.badRequest(ctx, "invalid-parameter", e.getMessage());
            return;
        }
        if (limit < 1 || limit > 1000) {
            Problem.badRequest(ctx, "invalid-parameter", "limit must be from 1 to 1000");
            return;
        }
        String reason = ctx.request().getParam("reason");
        db.executeBlocking(() -> quarantine.list(since, reason, limit), false).onComplete(ar -> {
            if (ar.failed()) {
                Problem.unavailable(ctx, 5, "the database did not answer");
                return;
            }
            JsonArray items = new JsonArray();
            for (QuarantineEntry e : ar.result()) {
                items.add(new JsonObject().put("id", e.id()).put("receivedAt", e.receivedAt().toString())
                        .put("protocol", e.protocol()).put("device", e.deviceId()).put("reason", e.reason())
                        .put("point", e.pointKey()).put("detail", e.detail()));
            }
            json(ctx, new JsonObject().put("records", items));
        });
    }

    private static void json(RoutingContext ctx, JsonObject body) {
        ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
    }

    private static int intParam(RoutingContext ctx, String name, int fallback) {
        String text = ctx.request().getParam(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got \"" + text + "\"");
        }
    }

    private static String csvText(String text) {
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
