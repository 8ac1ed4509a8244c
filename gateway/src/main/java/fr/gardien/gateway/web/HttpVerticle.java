package fr.gardien.gateway.web;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: mounts the features' {@link Routes} in order and answers what none of them
 * took (404, 405, 413, 500) as problem+json. It knows no feature: device telemetry, the API, the
 * dashboard, metrics and health each bring their own routes.
 */
public final class HttpVerticle extends VerticleBase {

    private static final Logger log = LoggerFactory.getLogger(HttpVerticle.class);

    private final HttpServerOptions listener;
    private final List<Routes> features;
    private final HttpDeadlines deadlines;
    private HttpServer server;
    private Router router;

    /**
     * @param listener the address, port and TLS settings to listen with (this instance's own copy)
     * @param deadlines this instance's own (they live on its event loop)
     */
    public HttpVerticle(HttpServerOptions listener, List<Routes> features, HttpDeadlines deadlines) {
        this.listener = listener;
        this.features = List.copyOf(features);
        this.deadlines = deadlines;
    }

    public int actualPort() {
        return server.actualPort();
    }

    @Override
    public Future<?> start() {
        router = router();
        server = vertx.createHttpServer(new HttpServerOptions(listener).setCompressionSupported(true)
                // HTTP/1.1 only: no h2c upgrade (after one, a large compressed answer broke the JDK
                // client's framing); HTTP/2 belongs on the TLS-terminating proxy.
                .setHttp2ClearTextEnabled(false))
                .connectionHandler(deadlines::onConnection)
                .requestHandler(deadlines.wrap(router));
        deadlines.start(vertx);
        return server.listen();
    }

    /** The routes of this server, in order (for the tests that hold them against the OpenAPI document). */
    public List<Route> routes() {
        return router.getRoutes();
    }

    @Override
    public Future<?> stop() {
        deadlines.stop(vertx);
        return server.close();
    }

    private Router router() {
        Router router = Router.router(vertx);
        for (Routes feature : features) {
            feature.mount(router);
        }
        router.errorHandler(413, ctx -> {
            RequestBodies.closeAfterAnswer(ctx);
            Problem.send(ctx, 413, "payload-too-large", "Payload too large", "the request body is too large");
        });
        router.errorHandler(404, ctx -> Problem.notFound(ctx, "no resource at " + ctx.request().path()));
        router.errorHandler(405, ctx -> Problem.send(ctx, 405, "method-not-allowed", "Method not allowed", null));
        router.errorHandler(500, ctx -> {
            log.error("request failed [path: {}]", ctx.request().path(), ctx.failure());
            Problem.send(ctx, 500, "internal-error", "Internal error", "the error is in the gateway's log");
        });
        return router;
    }
}
