package fr.gardien.gateway.api;

import fr.gardien.storage.series.Aggregate;
import fr.gardien.storage.series.Bucket;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** The series' query parameters ({@code bucket}, {@code agg}); a bad one throws {@link IllegalArgumentException} naming it. */
final class SeriesParams {

    private SeriesParams() {
    }

    /** The bucket, {@code null} when absent; only those of {@code allowed}. */
    static Bucket bucket(RoutingContext ctx, Set<Bucket> allowed) {
        String text = ctx.request().getParam("bucket");
        if (text == null) {
            return null;
        }
        Bucket bucket = Bucket.parse(text);
        if (bucket == null || !allowed.contains(bucket)) {
            throw new IllegalArgumentException("bucket must be one of "
                    + allowed.stream().sorted().map(Bucket::text).collect(Collectors.joining(", ")) + ", got \"" + text + "\"");
        }
        return bucket;
    }

    static Aggregate aggregate(RoutingContext ctx, Aggregate fallback) {
        String text = ctx.request().getParam("agg");
        if (text == null) {
            return fallback;
        }
        Aggregate aggregate = Aggregate.parse(text);
        if (aggregate == null) {
            throw new IllegalArgumentException("agg must be one of "
                    + Arrays.stream(Aggregate.values()).map(Aggregate::text).collect(Collectors.joining(", "))
                    + ", got \"" + text + "\"");
        }
        return aggregate;
    }

    /** A JSON number, or null for what JSON cannot carry. */
    static Double number(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
