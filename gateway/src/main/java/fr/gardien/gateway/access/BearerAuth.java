package fr.gardien.gateway.access;

import fr.gardien.gateway.web.Problem;
import fr.gardien.gateway.access.AuditLog;
import fr.gardien.gateway.auth.AuthBrake;
import fr.gardien.gateway.auth.AuthException;
import fr.gardien.gateway.registry.Roles;
import fr.gardien.gateway.auth.TokenAuthenticator;
import fr.gardien.model.ApiToken;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.TreeSet;

/**
 * Authenticates API tokens and checks the route's roles; the token is then in the routing
 * context for per-site scoping ({@link #token}). Every authenticated request is written to the
 * audit log ({@link AuditLog}), refusals by role included; while the audit log cannot keep up,
 * requests are refused with 503 rather than served unaudited.
 *
 * <p>Tokens come as {@code Authorization: Bearer <token>}; on the routes built with
 * {@link #peopleWithBasic()} (the Atom feed, for feed readers that cannot send a bearer header)
 * also as HTTP Basic with the token as password and any user name.
 */
public final class BearerAuth {

    private static final String KEY = "gardien.token";
    /** The actor of a signed ticket callback sent without a ticketing token. */
    public static final String CALLBACK_ACTOR = "ticket-callback";

    private final TokenAuthenticator authenticator;
    private final AuditLog audit;
    private final AuthBrake brake;

    /** @param brake counts wrong tokens per source address (API tokens name no principal before they are checked) */
    public BearerAuth(TokenAuthenticator authenticator, AuditLog audit, AuthBrake brake) {
        this.authenticator = authenticator;
        this.audit = audit;
        this.brake = brake;
    }

    /** The authenticated token of this request. */
    public static ApiToken token(RoutingContext ctx) {
        return ctx.get(KEY);
    }

    /** A handler admitting the tokens of people and their tools: every role but {@code ticketing}. */
    public Handler<RoutingContext> anyRole() {
        return roles(Roles.PEOPLE);
    }

    /** As {@link #anyRole()}, also accepting HTTP Basic with the token as password. */
    public Handler<RoutingContext> peopleWithBasic() {
        return handler(Roles.PEOPLE, true);
    }

    /** A handler admitting only tokens of these roles. */
    public Handler<RoutingContext> roles(Set<String> roles) {
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("a route names the roles it admits");
        }
        return handler(roles, false);
    }

    /**
     * For the signed ticket callback: the signature authenticates the ticketing system (checked by
     * the callback's handler); a bearer token, when sent, must be a valid {@code ticketing} token,
     * and its name is then the audit's actor.
     */
    public Handler<RoutingContext> ticketingCallback() {
        Handler<RoutingContext> withToken = handler(Set.of(Roles.TICKETING), false);
        return ctx -> {
            if (ctx.request().getHeader("Authorization") != null) {
                withToken.handle(ctx);
                return;
            }
            if (!admitted(ctx)) {
                return;
            }
            audit.record(ctx, CALLBACK_ACTOR, null);
            ctx.next();
        };
    }

    private Handler<RoutingContext> handler(Set<String> roles, boolean basic) {
        String expected = basic ? "Bearer <token>, or Basic with the token as password" : "Bearer <token>";
        return ctx -> {
            String presented = presented(ctx.request().getHeader("Authorization"), basic);
            if (presented == null) {
                challenge(ctx, basic, "an API token is required: Authorization: " + expected);
                return;
            }
            String address = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
            brake.guard("api", null, address, () -> authenticator.authenticate(presented)).onComplete(ar -> {
                if (ar.failed()) {
                    if (ar.cause() instanceof AuthException e && e.reason() == AuthException.Reason.BUSY) {
                        Problem.unavailable(ctx, 1, "too many authentications in progress");
                    } else if (ar.cause() instanceof AuthException e && e.reason() == AuthException.Reason.THROTTLED) {
                        Problem.throttled(ctx, e.retryAfter());
                    } else {
                        challenge(ctx, basic, "unknown, revoked or expired token");
                    }
                    return;
                }
                if (!admitted(ctx)) {
                    return;
                }
                ApiToken token = ar.result();
                audit.record(ctx, token.name(), token.role());
                if (!roles.contains(token.role())) {
                    Problem.forbidden(ctx, "this needs the role " + String.join(" or ", new TreeSet<>(roles)));
                    return;
                }
                ctx.put(KEY, token);
                ctx.next();
            });
        };
    }

    private boolean admitted(RoutingContext ctx) {
        if (audit.admits()) {
            return true;
        }
        audit.refused();
        Problem.unavailable(ctx, 5, "the audit log is not keeping up; the request was not served");
        return false;
    }

    private static void challenge(RoutingContext ctx, boolean basic, String detail) {
        if (basic) {
            // Two challenges, one per header (RFC 9110 §11.6.1): feed readers look for Basic.
            ctx.response().headers().add("WWW-Authenticate", "Bearer realm=\"gardien\"")
                    .add("WWW-Authenticate", "Basic realm=\"gardien\", charset=\"UTF-8\"");
            Problem.send(ctx, 401, "unauthorized", "Authentication required", detail);
            return;
        }
        Problem.unauthorized(ctx, "Bearer", detail);
    }

    /** The token of an Authorization header, or null. */
    static String presented(String header, boolean basic) {
        if (header == null) {
            return null;
        }
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = header.substring(7).trim();
            return token.isEmpty() ? null : token;
        }
        if (basic && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                String token = colon < 0 ? "" : decoded.substring(colon + 1);
                return token.isEmpty() ? null : token;
            } catch (IllegalArgumentException notBase64) {
                return null;
            }
        }
        return null;
    }
}
