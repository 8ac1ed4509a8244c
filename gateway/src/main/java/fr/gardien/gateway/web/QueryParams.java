package fr.gardien.gateway.web;

import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;

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

    /** An ISO-8601 instant parameter; {@code fallback} when absent or blank. */
    public static Instant instant(RoutingContext ctx, String name, Instant fallback) {
        Instant instant = instant(ctx.request().getParam(name), name);
        return instant == null ? fallback : instant;
    }

    /** An ISO-8601 instant named {@code name} (a parameter or a body field); {@code null} when absent or blank. */
    public static Instant instant(String text, String name) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant such as 2026-01-15T00:00:00Z, got \""
                    + text + "\"");
        }
    }
}
