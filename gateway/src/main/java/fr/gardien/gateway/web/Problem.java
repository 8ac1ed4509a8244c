package fr.gardien.gateway.web;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Errors of the HTTP API as {@code application/problem+json} (RFC 9457). The {@code type} is a
 * stable URN per kind of problem, so scripts can branch on it.
 */
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";

    private Problem() {
    }

    /** Ends the request with a problem document. */
    public static void send(RoutingContext ctx, int status, String code, String title, String detail) {
        if (ctx.response().ended()) {
            return;
        }
        JsonObject body = new JsonObject()
                .put("type", "urn:gardien:problem:" + code)
                .put("title", title)
                .put("status", status);
        if (detail != null) {
            body.put("detail", detail);
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", MEDIA_TYPE).end(body.encode());
    }

    public static void badRequest(RoutingContext ctx, String code, String detail) {
        send(ctx, 400, code, "Bad request", detail);
    }

    public static void unauthorized(RoutingContext ctx, String scheme, String detail) {
        ctx.response().putHeader("WWW-Authenticate", scheme + " realm=\"gardien\"");
        send(ctx, 401, "unauthorized", "Authentication required", detail);
    }

    public static void forbidden(RoutingContext ctx, String detail) {
        send(ctx, 403, "forbidden", "Forbidden", detail);
    }

    public static void notFound(RoutingContext ctx, String detail) {
        send(ctx, 404, "not-found", "Not found", detail);
    }

    /**
     * 429 with {@code Retry-After} (RFC 6585 §4): the brake on credential guessing refuses this
     * caller for a while. The detail is in English and French: people read it.
     */
    public static void throttled(RoutingContext ctx, java.time.Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        ctx.response().putHeader("Retry-After", Long.toString(seconds));
        send(ctx, 429, "too-many-failed-authentications", "Too many failed authentications",
                "too many failed authentications from this address or for this identity; retry in " + seconds + " s"
                        + " / trop d'échecs d'authentification depuis cette adresse ou pour cet identifiant ;"
                        + " réessayer dans " + seconds + " s");
    }

    /** 503 with {@code Retry-After}: the caller should try again later. */
    public static void unavailable(RoutingContext ctx, int retryAfterSeconds, String detail) {
        ctx.response().putHeader("Retry-After", Integer.toString(retryAfterSeconds));
        send(ctx, 503, "unavailable", "Service unavailable", detail);
    }
}
