package fr.gardien.gateway.api;

import fr.gardien.gateway.auth.AuthException;
import fr.gardien.gateway.auth.TokenAuthenticator;
import fr.gardien.model.ApiToken;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * Authenticates {@code Authorization: Bearer} API tokens and checks the route's roles; the token
 * is then in the routing context for per-site scoping ({@link #token}).
 */
public final class BearerAuth {

    private static final String KEY = "gardien.token";

    private final TokenAuthenticator authenticator;

    public BearerAuth(TokenAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    /** The authenticated token of this request. */
    public static ApiToken token(RoutingContext ctx) {
        return ctx.get(KEY);
    }

    /** A handler admitting any valid token. */
    public Handler<RoutingContext> anyRole() {
        return roles(Set.of());
    }

    /** A handler admitting only tokens of these roles (all roles when empty). */
    public Handler<RoutingContext> roles(Set<String> roles) {
        return ctx -> {
            String header = ctx.request().getHeader("Authorization");
            if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                Problem.unauthorized(ctx, "Bearer", "an API token is required: Authorization: Bearer <token>");
                return;
            }
            authenticator.authenticate(header.substring(7).trim()).onComplete(ar -> {
                if (ar.failed()) {
                    if (ar.cause() instanceof AuthException e && e.reason() == AuthException.Reason.BUSY) {
                        Problem.unavailable(ctx, 1, "too many authentications in progress");
                    } else {
                        Problem.unauthorized(ctx, "Bearer", "unknown or revoked token");
                    }
                    return;
                }
                ApiToken token = ar.result();
                if (!roles.isEmpty() && !roles.contains(token.role())) {
                    Problem.forbidden(ctx, "this needs the role " + String.join(" or ", roles));
                    return;
                }
                ctx.put(KEY, token);
                ctx.next();
            });
        };
    }
}
