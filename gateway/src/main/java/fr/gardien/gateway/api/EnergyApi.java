package fr.gardien.gateway.api;

import fr.gardien.gateway.registry.RegistryView;
import fr.gardien.gateway.access.BearerAuth;
import fr.gardien.gateway.web.StreamedJson;
import fr.gardien.gateway.web.QueryParams;
import fr.gardien.gateway.web.Problem;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import fr.gardien.gateway.registry.Registry;
import fr.gardien.model.ApiToken;
import fr.gardien.model.RegisteredPoint;
import fr.gardien.model.Site;
import fr.gardien.storage.series.Aggregate;
import fr.gardien.storage.series.Bucket;
import fr.gardien.storage.series.BucketStats;
import fr.gardien.storage.series.DeltaSink;
import fr.gardien.storage.series.PointRange;
import fr.gardien.storage.series.SeriesSource;
import fr.gardien.storage.series.SeriesStore;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Energy views for the energy team and the building managers: consumption per site per day or
 * month ({@code GET /api/v1/energy/consumption}) and heating normalised by degree-days
 * ({@code GET /api/v1/energy/heating}). Both read the daily rollups.
 *
 * <p>A point counts towards a site's consumption of a category when it has that category and a
 * cumulative index unit: {@code Wh}, {@code kWh}, {@code MWh} or {@code J} for energy and heat
 * (reported in kWh), {@code m3} or {@code l} for water (reported in m3). Its consumption per
 * bucket is the bucket's delta (see {@link Aggregate#DELTA}).
 */
public final class EnergyApi {

    /** Degree-day base, °C (French DJU). */
    static final double DJU_BASE = 18;
    static final String OUTDOOR_TEMP = "outdoor_temp";
    /** Buckets per site of one request: about three years of days, ten years of months. */
    static final int MAX_BUCKETS = 1_200;
    private static final Set<Bucket> BUCKETS = EnumSet.of(Bucket.DAY, Bucket.MONTH);
    private static final Set<String> CATEGORIES = Set.of("energy", "heat", "water");

    private final RegistryView registry;
    private final SeriesStore series;
    private final WorkerExecutor db;

    public EnergyApi(RegistryView registry, SeriesStore series, WorkerExecutor db) {
        this.registry = registry;
        this.series = series;
        this.db = db;
    }

    /** The factor that turns a reading of an index point of {@code category} into its site unit; 0 when not an index. */
    static double factor(String category, String unit) {
        if (unit == null) {
            return 0;
        }
        if ("water".equals(category)) {
            return switch (unit) {
                case "m3" -> 1;
                case "l" -> 0.001;
                default -> 0;
            };
        }
        return switch (unit) {
            case "kWh" -> 1;
            case "Wh" -> 0.001;
            case "MWh" -> 1000;
            case "J" -> 1 / 3.6e6;
            default -> 0;
        };
    }

    static String siteUnit(String category) {
        return "water".equals(category) ? "m3" : "kWh";
    }

    /** {@code GET /api/v1/energy/consumption?category=energy|heat|water&bucket=1d|1mo&from&to[&site=ID…]}. */
    public void consumption(RoutingContext ctx) {
        Request r = request(ctx);
        if (r == null) {
            return;
        }
        String category = ctx.request().getParam("category");
        if (category == null || !CATEGORIES.contains(category)) {
            Problem.badRequest(ctx, "invalid-parameter", "category must be one of energy, heat, water, got " + quoted(category));
            return;
        }
        List<Meter> meters = meters(r, category);
        // Streamed: each site is written as soon as its meters' days are read, and sent in chunks
        // while the next sites are folded; a year of days for a thousand sites is 366,000 values.
        StreamedJson.send(ctx, db, json -> {
            json.writeStartObject();
            json.writeStringField("category", category);
            json.writeStringField("bucket", r.bucket.text());
            json.writeStringField("from", r.from.toString());
            json.writeStringField("to", r.to.toString());
            json.writeArrayFieldStart("sites");
            series.deltas(meters.stream().map(Meter::range).toList(), r.bucket, new SiteConsumption(json, meters, r, category));
            json.writeEndArray();
            json.writeEndObject();
        }, e -> Problem.unavailable(ctx, 5, "the database did not answer"));
    }

    /**
     * Sums the deltas of each site's meters, converted to the site unit, and writes the site as
     * soon as its last meter is read (a site's meters are consecutive in the query, sites in the
     * request's order). Bucket sums are added in meter order, as a map merge would.
     */
    private static final class SiteConsumption implements DeltaSink {

        private static final SerializedString T = new SerializedString("t");
        private static final SerializedString V = new SerializedString("v");

        private final JsonGenerator json;
        private final List<Meter> meters;
        private final Map<String, Site> sites = new HashMap<>();
        private final String unit;
        /** Every site shares the same few hundred bucket starts: each is formatted and encoded once. */
        private final Map<Long, SerializedString> times = new HashMap<>();
        private long[] starts = new long[0];
        private double[] sums = new double[0];
        private int n;

        SiteConsumption(JsonGenerator json, List<Meter> meters, Request r, String category) {
            this.json = json;
            this.meters = meters;
            r.sites.forEach(site -> sites.put(site.id(), site));
            this.unit = siteUnit(category);
        }

        @Override
        public void accept(int index, long[] bucketStarts, double[] deltas, int count) {
            Meter meter = meters.get(index);
            boolean firstOfSite = index == 0 || !meters.get(index - 1).site.equals(meter.site);
            if (firstOfSite) {
                n = 0;
            }
            add(bucketStarts, deltas, count, meter.factor);
            if (index == meters.size() - 1 || !meters.get(index + 1).site.equals(meter.site)) {
                try {
                    writeSite(sites.get(meter.site));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        /** Merges one meter's buckets into the site's, both ascending. */
        private void add(long[] bucketStarts, double[] deltas, int count, double factor) {
            long[] mergedStarts = new long[n + count];
            double[] mergedSums = new double[n + count];
            int a = 0;
            int b = 0;
            int m = 0;
            while (a < n || b < count) {
                if (b == count || a < n && starts[a] < bucketStarts[b]) {
                    mergedStarts[m] = starts[a];
                    mergedSums[m++] = sums[a++];
                } else if (a == n || bucketStarts[b] < starts[a]) {
                    mergedStarts[m] = bucketStarts[b];
                    mergedSums[m++] = deltas[b++] * factor;
                } else {
                    mergedStarts[m] = starts[a];
                    mergedSums[m++] = sums[a++] + deltas[b++] * factor;
                }
            }
            starts = mergedStarts;
            sums = mergedSums;
            n = m;
        }

        private void writeSite(Site site) throws IOException {
            json.writeStartObject();
            json.writeStringField("site", site.id());
            json.writeStringField("name", site.name());
            json.writeStringField("unit", unit);
            json.writeArrayFieldStart("values");
            double total = 0;
            for (int k = 0; k < n; k++) {
                json.writeStartObject();
                json.writeFieldName(T);
                json.writeString(times.computeIfAbsent(starts[k], t -> new SerializedString(Instant.ofEpochSecond(t).toString())));
                json.writeFieldName(V);
                json.writeNumber(sums[k]);
                json.writeEndObject();
                total += sums[k];
            }
            json.writeEndArray();
            json.writeNumberField("total", total);
            json.writeEndObject();
        }
    }

    /**
     * {@code GET /api/v1/energy/heating?bucket=1d|1mo&from&to[&site=ID…]}: heat consumption, DJU and
     * consumption per DJU. The DJU of a day is 18 − (Tmin + Tmax) / 2 when positive, 0 otherwise
     * (Météo-France's method), from the site's {@code outdoor_temp} points (the mean of their
     * daily means when there are several); a month's DJU is the sum of its days'.
     */
    public void heating(RoutingContext ctx) {
        Request r = request(ctx);
        if (r == null) {
            return;
        }
        List<Meter> meters = meters(r, "heat");
        List<Meter> thermometers = new ArrayList<>();
        for (Site site : r.sites) {
            for (RegisteredPoint p : registry.current().pointsOfSite(site.id())) {
                if (OUTDOOR_TEMP.equals(p.key().point()) && "Cel".equals(p.unit())) {
                    thermometers.add(new Meter(site.id(), 1, new PointRange(p.id(), site.timezone(),
                            Bucket.DAY.floor(r.from, site.timezone()), Bucket.DAY.ceil(r.to, site.timezone()))));
                }
            }
        }
        db.executeBlocking(() -> {
            List<List<BucketStats>> heat = series.bucketed(meters.stream().map(Meter::range).toList(), r.bucket, SeriesSource.AUTO);
            List<List<BucketStats>> temps = series.bucketed(thermometers.stream().map(Meter::range).toList(), Bucket.DAY,
                    SeriesSource.AUTO);
            JsonArray out = new JsonArray();
            for (Site site : r.sites) {
                TreeMap<Instant, Double> consumption = consumptionOf(indexesOf(site, meters), meters, heat);
                TreeMap<Instant, Double> dju = djuOf(site, r.bucket, thermometers, temps);
                if (consumption == null && dju == null) {
                    continue;
                }
                TreeMap<Instant, Boolean> starts = new TreeMap<>();
                if (consumption != null) {
                    consumption.keySet().forEach(t -> starts.put(t, true));
                }
                if (dju != null) {
                    dju.keySet().forEach(t -> starts.put(t, true));
                }
                JsonArray values = new JsonArray();
                for (Instant t : starts.keySet()) {
                    Double c = consumption == null ? null : consumption.get(t);
                    Double d = dju == null ? null : dju.get(t);
                    values.add(new JsonObject().put("t", t.toString()).put("consumption", c).put("dju", d)
                            .put("perDju", c != null && d != null && d > 0 ? c / d : null));
                }
                out.add(new JsonObject().put("site", site.id()).put("name", site.name()).put("unit", siteUnit("heat"))
                        .put("values", values));
            }
            return new JsonObject().put("bucket", r.bucket.text()).put("base", (int) DJU_BASE).put("from", r.from.toString())
                    .put("to", r.to.toString()).put("sites", out);
        }, false).onComplete(ar -> answer(ctx, ar.failed() ? null : ar.result()));
    }

    /** The consumption per bucket summed over the meters at {@code indexes}; null when there is none. */
    private static TreeMap<Instant, Double> consumptionOf(List<Integer> indexes, List<Meter> meters, List<List<BucketStats>> rows) {
        if (indexes == null || indexes.isEmpty()) {
            return null;
        }
        TreeMap<Instant, Double> sum = new TreeMap<>();
        for (int i : indexes) {
            double factor = meters.get(i).factor;
            for (BucketStats b : rows.get(i)) {
                sum.merge(b.start(), b.value(Aggregate.DELTA) * factor, Double::sum);
            }
        }
        return sum;
    }

    private static List<Integer> indexesOf(Site site, List<Meter> meters) {
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < meters.size(); i++) {
            if (meters.get(i).site.equals(site.id())) {
                indexes.add(i);
            }
        }
        return indexes;
    }

    private static TreeMap<Instant, Double> djuOf(Site site, Bucket bucket, List<Meter> thermometers, List<List<BucketStats>> days) {
        TreeMap<Instant, double[]> means = null; // day → {sum of daily means, count of thermometers}
        for (int i = 0; i < thermometers.size(); i++) {
            if (!thermometers.get(i).site.equals(site.id())) {
                continue;
            }
            if (means == null) {
                means = new TreeMap<>();
            }
            for (BucketStats d : days.get(i)) {
                double[] m = means.computeIfAbsent(d.start(), k -> new double[2]);
                m[0] += (d.min() + d.max()) / 2;
                m[1]++;
            }
        }
        if (means == null) {
            return null;
        }
        TreeMap<Instant, Double> dju = new TreeMap<>();
        for (Map.Entry<Instant, double[]> e : means.entrySet()) {
            double day = Math.max(0, DJU_BASE - e.getValue()[0] / e.getValue()[1]);
            dju.merge(bucket.floor(e.getKey(), site.timezone()), day, Double::sum);
        }
        return dju;
    }

    private List<Meter> meters(Request r, String category) {
        List<Meter> meters = new ArrayList<>();
        for (Site site : r.sites) {
            for (RegisteredPoint p : registry.current().pointsOfSite(site.id())) {
                double factor = factor(p.category(), p.unit());
                if (category.equals(p.category()) && factor > 0) {
                    meters.add(new Meter(site.id(), factor, new PointRange(p.id(), site.timezone(),
                            r.bucket.floor(r.from, site.timezone()), r.bucket.ceil(r.to, site.timezone()))));
                }
            }
        }
        return meters;
    }

    /** The common parameters, checked and scoped; null after answering 400, 403 or 404. */
    private Request request(RoutingContext ctx) {
        ApiToken token = BearerAuth.token(ctx);
        Bucket bucket;
        Instant from;
        Instant to;
        try {
            bucket = SeriesParams.bucket(ctx, BUCKETS);
            to = QueryParams.instant(ctx, "to", null);
            from = QueryParams.instant(ctx, "from", null);
        } catch (IllegalArgumentException e) {
            Problem.badRequest(ctx, "invalid-parameter", e.getMessage());
            return null;
        }
        if (bucket == null || from == null || to == null) {
            Problem.badRequest(ctx, "missing-parameter", (bucket == null ? "bucket" : from == null ? "from" : "to")
                    + " is required (bucket=1d|1mo, from and to as ISO-8601 instants)");
            return null;
        }
        if (!from.isBefore(to)) {
            Problem.badRequest(ctx, "invalid-parameter", "from must be before to");
            return null;
        }
        if (Duration.between(from, to).dividedBy(bucket.nominal()) > MAX_BUCKETS) {
            Problem.badRequest(ctx, "invalid-parameter", "from and to span more than " + MAX_BUCKETS + " buckets of " + bucket.text());
            return null;
        }
        Registry current = registry.current();
        List<String> wanted = ctx.queryParam("site");
        List<Site> sites = new ArrayList<>();
        if (wanted.isEmpty()) {
            current.sites().stream().filter(s -> token.maySee(s.id())).forEach(sites::add);
        } else {
            for (String id : wanted) {
                if (!token.maySee(id)) {
                    Problem.forbidden(ctx, "this token may not read site " + id);
                    return null;
                }
                Site site = current.site(id);
                if (site == null) {
                    Problem.notFound(ctx, "no site " + id);
                    return null;
                }
                if (!sites.contains(site)) {
                    sites.add(site);
                }
            }
        }
        return new Request(bucket, from, to, sites);
    }

    private record Meter(String site, double factor, PointRange range) {
    }

    private record Request(Bucket bucket, Instant from, Instant to, List<Site> sites) {
    }

    private static void answer(RoutingContext ctx, JsonObject body) {
        if (body == null) {
            Problem.unavailable(ctx, 5, "the database did not answer");
        } else {
            SeriesApi.json(ctx, body);
        }
    }

    private static String quoted(String text) {
        return text == null ? "nothing" : "\"" + text + "\"";
    }
}
