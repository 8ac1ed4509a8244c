package fr.gardien.gateway.api;

import fr.gardien.gateway.access.AuditApi;
import fr.gardien.gateway.access.TokenApi;
import fr.gardien.gateway.alerts.AlertApi;
import fr.gardien.gateway.alerts.AlertFeed;
import fr.gardien.gateway.auth.Roles;
import fr.gardien.gateway.governance.RegisterApi;
import fr.gardien.gateway.alerts.AlertStream;
import fr.gardien.gateway.ingest.http.TelemetryHandler;
import fr.gardien.gateway.rules.RulesApi;
import fr.gardien.gateway.ticketing.DeliveryApi;
import fr.gardien.gateway.ops.GatewayMetrics;
import fr.gardien.gateway.ops.Health;
import fr.gardien.gateway.registry.RegistryService;
import fr.gardien.gateway.ticketing.TicketCallbackHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: device telemetry, the API for people and tools, the web dashboard, metrics and health. This
 * class only wires routes; each handler lives with its concern.
 */
public final class HttpVerticle extends VerticleBase {

    private static final Logger log = LoggerFactory.getLogger(HttpVerticle.class);

    /** What the HTTP server needs, built once by the gateway and shared by the instances. */
    public record Handlers(TelemetryHandler telemetry, BearerAuth auth, ReadApi read, AlertApi alerts, AlertStream alertStream,
            RulesApi rules, DeliveryApi deliveries, Health health, GatewayMetrics metrics, RegistryService registry, WorkerExecutor db,
            int maxPayloadBytes, TicketCallbackHandler ticketCallback, TokenApi tokens, AuditApi audit, AlertFeed feed,
            String openApi, SeriesApi series, EnergyApi energy, RegisterApi register) {
    }

    /** Bodies of the alert and silence requests are small JSON objects. */
    private static final int MAX_API_BODY_BYTES = 16 * 1024;

    private final String host;
    private final int port;
    private final Handlers handlers;
    private HttpServer server;
    private Router router;

    public HttpVerticle(String host, int port, Handlers handlers) {
        this.host = host;
        this.port = port;
        this.handlers = handlers;
    }

    public int actualPort() {
        return server.actualPort();
    }

    @Override
    public Future<?> start() {
        router = router();
        server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port).setCompressionSupported(true)
                // HTTP/1.1 only: no h2c upgrade (after one, a large compressed answer broke the JDK
                // client's framing); HTTP/2 belongs on the TLS-terminating proxy.
                .setHttp2ClearTextEnabled(false))
                .requestHandler(router);
        return server.listen();
    }

    /** The routes of this server, in order (for the tests that hold them against the OpenAPI document). */
    public List<Route> routes() {
        return router.getRoutes();
    }

    @Override
    public Future<?> stop() {
        return server.close();
    }

    private Router router() {
        Router router = Router.router(vertx);
        BearerAuth auth = handlers.auth();

        // A route of its own: vertx-web wants the body handler first on a route.
        router.post("/api/v1/telemetry").handler(handlers.telemetry()::admit);
        router.post("/api/v1/telemetry")
                .handler(BodyHandler.create(false).setBodyLimit(handlers.maxPayloadBytes()))
                .handler(handlers.telemetry());

        router.get("/api/v1/sites").handler(auth.anyRole()).handler(handlers.read()::sites);
        router.get("/api/v1/series").handler(auth.anyRole()).handler(handlers.read()::series);
        router.get("/api/v1/sites/:site/latest").handler(auth.anyRole()).handler(handlers.series()::latest);
        router.get("/api/v1/energy/consumption").handler(auth.anyRole()).handler(handlers.energy()::consumption);
        router.get("/api/v1/energy/heating").handler(auth.anyRole()).handler(handlers.energy()::heating);
        router.get("/api/v1/quarantine").handler(auth.roles(Set.of(Roles.ADMIN))).handler(handlers.read()::quarantine);
        router.post("/api/v1/admin/portfolio/reload").handler(auth.roles(Set.of(Roles.ADMIN))).handler(this::reloadPortfolio);

        Set<String> actors = Set.of(Roles.ADMIN, Roles.BUILDING_MANAGER);
        AlertApi alerts = handlers.alerts();
        router.get("/api/v1/alerts").handler(auth.anyRole()).handler(alerts::list);
        router.get("/api/v1/rules").handler(auth.anyRole()).handler(handlers.rules()::list);
        // Before /alerts/:id, which would take "stream" for an id.
        router.get("/api/v1/alerts/stream").handler(auth.anyRole()).handler(handlers.alertStream());
        router.get("/api/v1/alerts/:id").handler(auth.anyRole()).handler(alerts::get);
        router.post("/api/v1/alerts/:id/ack").handler(auth.roles(actors)).handler(alerts::acknowledge);
        router.post("/api/v1/alerts/:id/resolve").handler(BodyHandler.create(false).setBodyLimit(MAX_API_BODY_BYTES))
                .handler(auth.roles(actors)).handler(alerts::resolve);
        router.get("/api/v1/silences").handler(auth.anyRole()).handler(alerts::silences);
        router.post("/api/v1/silences").handler(BodyHandler.create(false).setBodyLimit(MAX_API_BODY_BYTES))
                .handler(auth.roles(actors)).handler(alerts::createSilence);
        router.delete("/api/v1/silences/:id").handler(auth.roles(actors)).handler(alerts::deleteSilence);
        // No bearer token: the ticketing system signs the raw body instead (see TicketCallbackHandler).
        // A ticketing token, when sent, must be one (see BearerAuth#ticketingCallback).
        router.post("/api/v1/tickets/callback").handler(BodyHandler.create(false).setBodyLimit(MAX_API_BODY_BYTES))
                .handler(auth.ticketingCallback()).handler(handlers.ticketCallback());
        // Feed readers rarely send bearer headers: HTTP Basic with the token as password too.
        router.get("/api/v1/sites/:site/alerts.atom").handler(auth.peopleWithBasic()).handler(handlers.feed()::handle);

        Set<String> admin = Set.of(Roles.ADMIN);
        router.get("/api/v1/deliveries").handler(auth.roles(admin)).handler(handlers.deliveries()::deliveries);
        router.get("/api/v1/outbox").handler(auth.roles(admin)).handler(handlers.deliveries()::outbox);
        router.post("/api/v1/outbox/:id/retry").handler(auth.roles(admin)).handler(handlers.deliveries()::retry);
        router.get("/api/v1/digests").handler(auth.roles(admin)).handler(handlers.deliveries()::digests);
        router.get("/api/v1/digests/:id").handler(auth.roles(admin)).handler(handlers.deliveries()::digest);
        router.post("/api/v1/digests/:id/retry").handler(auth.roles(admin)).handler(handlers.deliveries()::retryDigest);
        router.post("/api/v1/tokens").handler(BodyHandler.create(false).setBodyLimit(MAX_API_BODY_BYTES))
                .handler(auth.roles(admin)).handler(handlers.tokens()::create);
        router.get("/api/v1/tokens").handler(auth.roles(admin)).handler(handlers.tokens()::list);
        router.delete("/api/v1/tokens/:name").handler(auth.roles(admin)).handler(handlers.tokens()::revoke);
        router.get("/api/v1/audit").handler(auth.roles(Set.of(Roles.ADMIN, Roles.DPO))).handler(handlers.audit()::list);
        router.get("/api/v1/governance/register").handler(auth.roles(Set.of(Roles.ADMIN, Roles.DPO)))
                .handler(handlers.register()::handle);

        // The API's description holds no data: served without authentication.
        router.get("/openapi.yaml").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/yaml; charset=utf-8").end(handlers.openApi()));

        Dashboard.mount(router);

        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(handlers.metrics().scrape()));
        router.get("/health/live").handler(handlers.health()::live);
        router.get("/health/ready").handler(handlers.health()::ready);

        router.errorHandler(413, ctx -> {
            if (ctx.request().path().equals("/api/v1/telemetry")) {
                handlers.telemetry().tooLarge();
                Problem.send(ctx, 413, "payload-too-large", "Payload too large",
                        "the body exceeds " + handlers.maxPayloadBytes() + " bytes");
            } else {
                Problem.send(ctx, 413, "payload-too-large", "Payload too large", "the request body is too large");
            }
        });
        router.errorHandler(404, ctx -> Problem.notFound(ctx, "no resource at " + ctx.request().path()));
        router.errorHandler(405, ctx -> Problem.send(ctx, 405, "method-not-allowed", "Method not allowed", null));
        router.errorHandler(500, ctx -> {
            log.error("request failed [path: {}]", ctx.request().path(), ctx.failure());
            Problem.send(ctx, 500, "internal-error", "Internal error", "the error is in the gateway's log");
        });
        return router;
    }

    private void reloadPortfolio(io.vertx.ext.web.RoutingContext ctx) {
        handlers.db().executeBlocking(() -> handlers.registry().reload(), false).onComplete(ar -> {
            if (ar.failed()) {
                Problem.send(ctx, 422, "invalid-portfolio", "The portfolio was not reloaded", ar.cause().getMessage());
                return;
            }
            ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                    .put("sites", ar.result().sites().size())
                    .put("points", ar.result().pointCount())
                    .put("devices", ar.result().deviceCount()).encode());
        });
    }
}
