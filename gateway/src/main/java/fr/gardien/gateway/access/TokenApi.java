package fr.gardien.gateway.access;

import fr.gardien.gateway.web.Problem;
import fr.gardien.gateway.registry.IssuedTokens;
import fr.gardien.gateway.registry.Roles;
import fr.gardien.gateway.registry.Registry;
import fr.gardien.gateway.registry.RegistryService;
import fr.gardien.model.ApiToken;
import fr.gardien.storage.access.IssuedToken;
import fr.gardien.storage.access.TokenStore;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token management for admins (the routes check the role): {@code POST /api/v1/tokens} creates a
 * token and shows it once (only its hash is stored, see {@link IssuedTokens}),
 * {@code GET /api/v1/tokens} lists every token without secret, {@code DELETE /api/v1/tokens/{name}}
 * revokes one created through the API. A creation or revocation is in force on this gateway when
 * the answer is sent, and open alert streams of a revoked token are closed
 * ({@link #TOKENS_CHANGED}); the other processes of a cluster are told within a second (the
 * change feed, issue 13), other gateways sharing the database see it within their 5 s poll.
 */
public final class TokenApi {

    /** Event-bus address published to after a token was created or revoked. */
    public static final String TOKENS_CHANGED = "gardien.tokens.changed";
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Set<String> FIELDS = Set.of("name", "role", "sites", "expires");
    private static final Logger log = LoggerFactory.getLogger(TokenApi.class);

    private final TokenStore tokens;
    private final RegistryService registry;
    private final WorkerExecutor db;
    private final Clock clock;

    public TokenApi(TokenStore tokens, RegistryService registry, WorkerExecutor db, Clock clock) {
        this.tokens = tokens;
        this.registry = registry;
        this.db = db;
        this.clock = clock;
    }

    private record Request(String name, String role, List<String> sites, Instant expires) {
    }

    /** {@code POST /api/v1/tokens} with {@code {name, role, sites, expires?}}: 201 with the token, shown once. */
    public void create(RoutingContext ctx) {
        Request request;
        try {
            request = parse(ctx, registry.current());
        } catch (IllegalArgumentException e) {
            Problem.badRequest(ctx, "invalid-body", e.getMessage());
            return;
        }
        for (String site : request.sites()) {
            if (!site.equals("*") && registry.current().site(site) == null) {
                Problem.send(ctx, 422, "unknown-site", "Unknown site", "no site " + site + " in the portfolio");
                return;
            }
        }
        String createdBy = BearerAuth.token(ctx).name();
        String secret = IssuedTokens.newToken();
        ApiToken token = new ApiToken(request.name(), IssuedTokens.hash(secret), request.role(), request.sites(), request.expires());
        Instant now = clock.instant();
        db.executeBlocking(() -> {
            if (!tokens.create(token, createdBy, now)) {
                return false;
            }
            registry.refreshTokens(tokens);
            return true;
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                fail(ctx, ar.cause());
            } else if (!ar.result()) {
                Problem.send(ctx, 409, "conflict", "Conflict", "a token named " + request.name() + " exists already");
            } else {
                log.info("api token created [name: {}, role: {}, sites: {}, expires: {}, by: {}]", token.name(), token.role(),
                        token.sites(), token.expiresAt(), createdBy);
                ctx.vertx().eventBus().publish(TOKENS_CHANGED, token.name());
                JsonObject body = json(new IssuedToken(token.name(), token.role(), token.sites(), "api", now, createdBy,
                        token.expiresAt())).put("token", secret);
                ctx.response().setStatusCode(201)
                        .putHeader("Location", "/api/v1/tokens/" + token.name())
                        .putHeader("Cache-Control", "no-store")
                        .putHeader("Content-Type", "application/json").end(body.encode());
            }
        });
    }

    /** {@code GET /api/v1/tokens}: every token (portfolio's and API's), never a secret or hash. */
    public void list(RoutingContext ctx) {
        db.executeBlocking(tokens::list, false).onComplete(ar -> {
            if (ar.failed()) {
                fail(ctx, ar.cause());
                return;
            }
            JsonArray items = new JsonArray();
            ar.result().forEach(t -> items.add(json(t)));
            ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("tokens", items).encode());
        });
    }

    /** {@code DELETE /api/v1/tokens/{name}}: 204; 404 unknown; 409 a portfolio token (the file owns it). */
    public void revoke(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        String by = BearerAuth.token(ctx).name();
        db.executeBlocking(() -> {
            TokenStore.Revocation revocation = tokens.revoke(name);
            if (revocation == TokenStore.Revocation.REVOKED) {
                registry.refreshTokens(tokens);
            }
            return revocation;
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                fail(ctx, ar.cause());
                return;
            }
            switch (ar.result()) {
                case REVOKED -> {
                    log.info("api token revoked [name: {}, by: {}]", name, by);
                    ctx.vertx().eventBus().publish(TOKENS_CHANGED, name);
                    ctx.response().setStatusCode(204).end();
                }
                case PORTFOLIO -> Problem.send(ctx, 409, "portfolio-token", "Conflict", "the token " + name
                        + " is declared in the portfolio file; remove it there (it is revoked at the next reload)");
                default -> Problem.notFound(ctx, "no token " + name);
            }
        });
    }

    static JsonObject json(IssuedToken t) {
        return new JsonObject()
                .put("name", t.name())
                .put("role", t.role())
                .put("sites", new JsonArray(new ArrayList<>(t.sites())))
                .put("source", t.source())
                .put("createdAt", t.createdAt().toString())
                .put("createdBy", t.createdBy())
                .put("expiresAt", t.expiresAt() == null ? null : t.expiresAt().toString());
    }

    private Request parse(RoutingContext ctx, Registry current) {
        String text = ctx.body() == null ? null : ctx.body().asString();
        JsonObject body;
        try {
            body = text == null || text.isBlank() ? null : new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            body = null;
        }
        if (body == null) {
            throw new IllegalArgumentException("a JSON object {name, role, sites, expires?} is required");
        }
        for (String field : body.fieldNames()) {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("unknown field \"" + field + "\" (known: name, role, sites, expires)");
            }
        }
        if (!(body.getValue("name") instanceof String name) || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: lower-case letters, digits, '.', '_' and '-', starting with a letter or"
                    + " digit, at most 63 characters");
        }
        if (!(body.getValue("role") instanceof String role) || !Roles.ALL.contains(role)) {
            throw new IllegalArgumentException("role: one of admin, building-manager, energy-analyst, ticketing");
        }
        List<String> sites = sites(body.getValue("sites"), role);
        Instant expires = null;
        if (body.getValue("expires") != null) {
            if (!(body.getValue("expires") instanceof String e)) {
                throw new IllegalArgumentException("expires: an ISO-8601 instant such as 2027-01-01T00:00:00Z");
            }
            try {
                expires = Instant.parse(e);
            } catch (DateTimeParseException ex) {
                throw new IllegalArgumentException("expires: an ISO-8601 instant such as 2027-01-01T00:00:00Z, got \"" + e + "\"");
            }
            if (!expires.isAfter(clock.instant())) {
                throw new IllegalArgumentException("expires: must be in the future");
            }
        }
        return new Request(name, role, sites, expires);
    }

    private static List<String> sites(Object value, String role) {
        if (Roles.TICKETING.equals(role)) {
            if (value != null && !(value instanceof JsonArray a && a.isEmpty())) {
                throw new IllegalArgumentException("sites: a ticketing token sees no site; omit sites");
            }
            return List.of();
        }
        if (!(value instanceof JsonArray array) || array.isEmpty()) {
            throw new IllegalArgumentException("sites: a non-empty list of site ids, or [\"*\"] for all");
        }
        List<String> sites = new ArrayList<>();
        for (Object item : array) {
            if (!(item instanceof String site) || site.isBlank()) {
                throw new IllegalArgumentException("sites: site ids are strings");
            }
            if (sites.contains(site)) {
                throw new IllegalArgumentException("sites: " + site + " is listed twice");
            }
            sites.add(site);
        }
        if (sites.contains("*") && sites.size() > 1) {
            throw new IllegalArgumentException("sites: \"*\" already means every site: do not list site ids with it");
        }
        if (Roles.BUILDING_MANAGER.equals(role) && sites.contains("*")) {
            throw new IllegalArgumentException("sites: a building-manager lists its sites explicitly, not \"*\"");
        }
        return sites;
    }

    private static void fail(RoutingContext ctx, Throwable e) {
        log.warn("token request failed [path: {}, cause: {}]", ctx.request().path(), e.toString());
        Problem.unavailable(ctx, 5, "the database did not answer");
    }
}
