package fr.gardien.gateway.api;

import fr.gardien.storage.series.Aggregate;
import fr.gardien.storage.series.Bucket;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads query parameters; a bad one throws {@link IllegalArgumentException} with a message naming it. */
public final class QueryParams {

    private QueryParams() {
    }

    /** The {@code limit} parameter of a list: {@code fallback} when absent or blank, else a whole number from 1 to {@code max}. */
    public static int limit(String text, int fallback, int max) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        int limit;
        try {
            limit = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            limit = 0;
        }
        if (limit < 1 || limit > max) {
            throw new IllegalArgumentException("limit must be from 1 to " + max + ", got \"" + text + "\"");
        }
        return limit;
    }

    static Instant instant(RoutingContext ctx, String name, Instant fallback) {
        String text = ctx.request().getParam(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant such as 2026-01-15T00:00:00Z, got \""
                    + text + "\"");
        }
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
