package fr.gardien.gateway.api;

import fr.gardien.gateway.registry.RegistryView;
import fr.gardien.gateway.access.BearerAuth;
import fr.gardien.gateway.web.QueryParams;
import fr.gardien.gateway.web.Problem;
import fr.gardien.gateway.registry.Registry;
import fr.gardien.model.ApiToken;
import fr.gardien.model.PointKey;
import fr.gardien.model.RegisteredPoint;
import fr.gardien.model.Site;
import fr.gardien.storage.series.Aggregate;
import fr.gardien.storage.series.Bucket;
import fr.gardien.storage.series.BucketStats;
import fr.gardien.storage.series.PointRange;
import fr.gardien.storage.series.SeriesSource;
import fr.gardien.storage.series.SeriesStore;
import fr.gardien.storage.series.SeriesValue;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * Bucketed series of one or several points ({@code GET /api/v1/series} with {@code bucket}) and
 * the latest readings of a site ({@code GET /api/v1/sites/{site}/latest}). Queries run on the
 * database worker pool; every point is checked against the token's sites and the
 * {@link OccupancyPolicy}.
 */
public final class SeriesApi {

    /** Points of one request. */
    static final int MAX_POINTS = 50;
    /** Buckets of one point in one request (a year of hours is 8,760). */
    static final int MAX_BUCKETS = 50_000;

    private final RegistryView registry;
    private final SeriesStore series;
    private final OccupancyPolicy occupancy;
    private final OccupancyDisclosure disclosure;
    private final WorkerExecutor db;

    public SeriesApi(RegistryView registry, SeriesStore series, OccupancyPolicy occupancy, WorkerExecutor db) {
        this.registry = registry;
        this.series = series;
        this.occupancy = occupancy;
        this.disclosure = new OccupancyDisclosure(occupancy);
        this.db = db;
    }

    /**
     * {@code GET /api/v1/series?point=KEY[&point=KEY…]&bucket=B[&agg=A]&from=ISO&to=ISO}: buckets
     * that have readings, ascending; {@code from} rounded down and {@code to} up to whole buckets.
     */
    public void series(RoutingContext ctx) {
        ApiToken token = BearerAuth.token(ctx);
        List<String> keys = ctx.queryParam("point");
        Bucket bucket;
        Aggregate aggregate;
        Instant to;
        Instant from;
        try {
            bucket = SeriesParams.bucket(ctx, EnumSet.allOf(Bucket.class));
            aggregate = SeriesParams.aggregate(ctx, Aggregate.AVG);
            to = QueryParams.instant(ctx, "to", Instant.now());
            from = QueryParams.instant(ctx, "from", to.minus(Duration.ofDays(1)));
        } catch (IllegalArgumentException e) {
            Problem.badRequest(ctx, "invalid-parameter", e.getMessage());
            return;
        }
        if (keys.isEmpty() || keys.stream().anyMatch(String::isBlank)) {
            Problem.badRequest(ctx, "missing-parameter", "the query parameter point=site/equipment/point is required");
            return;
        }
        if (keys.size() > MAX_POINTS) {
            Problem.badRequest(ctx, "invalid-parameter", "point may be repeated at most " + MAX_POINTS + " times");
            return;
        }
        if (bucket == null) {
            Problem.badRequest(ctx, "missing-parameter", "bucket is required with agg or several points (1m, 5m, 15m, 30m, 1h, 1d, 1w, 1mo)");
            return;
        }
        if (!from.isBefore(to)) {
            Problem.badRequest(ctx, "invalid-parameter", "from must be before to");
            return;
        }
        Registry current = registry.current();
        List<RegisteredPoint> points = new ArrayList<>();
        List<PointRange> ranges = new ArrayList<>();
        for (String key : keys) {
            // Scope first, from the key itself, so that a 404 never tells another site's points apart.
            PointKey parsed = PointKey.parse(key);
            if (parsed != null && !token.maySee(parsed.site())) {
                Problem.forbidden(ctx, "this token may not read site " + parsed.site());
                return;
            }
            RegisteredPoint point = current.point(key);
            if (point == null) {
                Problem.notFound(ctx, "no point " + key);
                return;
            }
            String refusal = occupancy.refusal(point, bucket, aggregate);
            if (refusal != null) {
                Problem.badRequest(ctx, "occupancy-aggregated-only", refusal);
                return;
            }
            Site site = current.site(point.key().site());
            PointRange range = new PointRange(point.id(), site.timezone(), bucket.floor(from, site.timezone()),
                    bucket.ceil(to, site.timezone()));
            if (Duration.between(range.from(), range.to()).dividedBy(bucket.nominal()) > MAX_BUCKETS) {
                Problem.badRequest(ctx, "invalid-parameter", "from and to span more than " + MAX_BUCKETS + " buckets of "
                        + bucket.text() + "; take a larger bucket or a shorter range");
                return;
            }
            points.add(point);
            ranges.add(range);
        }
        db.executeBlocking(() -> bucketed(token, points, ranges, bucket), false).onComplete(ar -> {
            if (ar.failed()) {
                Problem.unavailable(ctx, 5, "the database did not answer");
                return;
            }
            List<List<BucketStats>> result = ar.result();
            if (wantsCsv(ctx)) {
                StringBuilder csv = new StringBuilder(keys.size() == 1 ? "t,v\n" : "point,t,v\n");
                for (int i = 0; i < points.size(); i++) {
                    for (BucketStats b : result.get(i)) {
                        if (keys.size() > 1) {
                            csv.append(points.get(i).key()).append(',');
                        }
                        Double v = value(token, points.get(i), b, aggregate);
                        csv.append(b.start()).append(',').append(v == null ? "" : v.toString()).append('\n');
                    }
                }
                ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8").end(csv.toString());
                return;
            }
            List<JsonObject> shapes = new ArrayList<>();
            for (int i = 0; i < points.size(); i++) {
                JsonArray values = new JsonArray();
                for (BucketStats b : result.get(i)) {
                    values.add(new JsonObject().put("t", b.start().toString()).put("v", value(token, points.get(i), b, aggregate)));
                }
                RegisteredPoint p = points.get(i);
                shapes.add(new JsonObject().put("point", p.key().toString()).put("unit", p.unit()).put("bucket", bucket.text())
                        .put("agg", aggregate.text()).put("from", ranges.get(i).from().toString())
                        .put("to", ranges.get(i).to().toString()).put("values", values));
            }
            if (shapes.size() == 1) {
                json(ctx, shapes.get(0));
            } else {
                json(ctx, new JsonObject().put("bucket", bucket.text()).put("agg", aggregate.text())
                        .put("from", ranges.get(0).from().toString()).put("to", ranges.get(0).to().toString())
                        .put("series", new JsonArray(new ArrayList<>(shapes))));
            }
        });
    }

    /**
     * {@code GET /api/v1/sites/{site}/latest}: the last reading of every point of the site; for an
     * occupancy point, the sum of the 15-minute bucket of its last reading, under the occupancy rule.
     */
    public void latest(RoutingContext ctx) {
        ApiToken token = BearerAuth.token(ctx);
        String siteId = ctx.pathParam("site");
        if (!token.maySee(siteId)) {
            Problem.forbidden(ctx, "this token may not read site " + siteId);
            return;
        }
        Registry current = registry.current();
        Site site = current.site(siteId);
        if (site == null) {
            Problem.notFound(ctx, "no site " + siteId);
            return;
        }
        List<RegisteredPoint> points = current.pointsOfSite(siteId);
        db.executeBlocking(() -> {
            Map<Integer, SeriesValue> latest = series.latest(points.stream().map(RegisteredPoint::id).toList());
            List<RegisteredPoint> counted = new ArrayList<>();
            List<PointRange> ranges = new ArrayList<>();
            Instant now = Instant.now();
            for (RegisteredPoint p : points) {
                SeriesValue v = latest.get(p.id());
                if (v != null && OccupancyPolicy.applies(p)) {
                    Instant start = OccupancyPolicy.MIN_BUCKET.floor(v.time(), site.timezone());
                    Instant end = OccupancyPolicy.MIN_BUCKET.next(start, site.timezone());
                    if (occupancy.restricted(token, p) && end.isAfter(OccupancyDisclosure.closedUntil(now))) {
                        // The last closed quarter of the last day, never the one still filling (issue 14).
                        end = OccupancyDisclosure.closedUntil(now);
                        start = end.minus(Duration.ofDays(1));
                    }
                    counted.add(p);
                    ranges.add(new PointRange(p.id(), site.timezone(), start, end));
                }
            }
            List<List<BucketStats>> buckets = new ArrayList<>(series.bucketed(ranges, OccupancyPolicy.MIN_BUCKET, SeriesSource.RAW));
            for (int i = 0; i < counted.size(); i++) {
                if (occupancy.restricted(token, counted.get(i))) {
                    buckets.set(i, disclosure.fold(buckets.get(i), OccupancyPolicy.MIN_BUCKET, site.timezone(), now));
                }
            }
            JsonArray out = new JsonArray();
            for (RegisteredPoint p : points) {
                SeriesValue v = latest.get(p.id());
                if (v == null) {
                    continue;
                }
                JsonObject item = new JsonObject().put("point", p.key().toString()).put("unit", p.unit())
                        .put("category", p.category());
                int i = counted.indexOf(p);
                if (i >= 0) {
                    // The bucket exists: it holds the latest reading, unless that reading was a string.
                    List<BucketStats> b = buckets.get(i);
                    if (b.isEmpty()) {
                        continue;
                    }
                    BucketStats last = b.get(b.size() - 1);
                    item.put("t", last.start().toString()).put("bucket", OccupancyPolicy.MIN_BUCKET.text())
                            .put("v", value(token, p, last, Aggregate.SUM));
                } else if (v.text() != null) {
                    item.put("t", v.time().toString()).put("vs", v.text());
                } else {
                    item.put("t", v.time().toString()).put("v", SeriesParams.number(v.value()));
                }
                out.add(item);
            }
            return new JsonObject().put("site", siteId).put("points", out);
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                Problem.unavailable(ctx, 5, "the database did not answer");
            } else {
                json(ctx, ar.result());
            }
        });
    }

    /**
     * The buckets of every point; occupancy points the token sees only through the
     * {@link OccupancyDisclosure} are built from their closed, visible quarters.
     */
    private List<List<BucketStats>> bucketed(ApiToken token, List<RegisteredPoint> points, List<PointRange> ranges,
                                             Bucket bucket) {
        List<PointRange> open = new ArrayList<>();
        List<PointRange> restricted = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            (occupancy.restricted(token, points.get(i)) ? restricted : open).add(ranges.get(i));
        }
        List<List<BucketStats>> plain = open.isEmpty() ? List.of() : series.bucketed(open, bucket, SeriesSource.AUTO);
        List<List<BucketStats>> quarters = restricted.isEmpty() ? List.of()
                : series.bucketed(restricted, OccupancyPolicy.MIN_BUCKET, SeriesSource.RAW);
        Instant now = Instant.now();
        List<List<BucketStats>> out = new ArrayList<>();
        int o = 0;
        int r = 0;
        for (int i = 0; i < points.size(); i++) {
            if (occupancy.restricted(token, points.get(i))) {
                out.add(disclosure.fold(quarters.get(r++), bucket, ranges.get(i).zone(), now));
            } else {
                out.add(plain.get(o++));
            }
        }
        return out;
    }

    private Double value(ApiToken token, RegisteredPoint point, BucketStats bucket, Aggregate aggregate) {
        return occupancy.suppressed(token, point, bucket) ? null : SeriesParams.number(bucket.value(aggregate));
    }

    static boolean wantsCsv(RoutingContext ctx) {
        String accept = ctx.request().getHeader("Accept");
        return accept != null && accept.contains("text/csv");
    }

    static void json(RoutingContext ctx, JsonObject body) {
        ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
    }
}
