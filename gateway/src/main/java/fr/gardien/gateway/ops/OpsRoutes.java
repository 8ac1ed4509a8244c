package fr.gardien.gateway.ops;

import fr.gardien.gateway.web.Routes;
import io.vertx.ext.web.Router;

/** Operations' routes, without authentication: Prometheus metrics and the liveness and readiness probes. */
public record OpsRoutes(GatewayMetrics metrics, Health health) implements Routes {

    @Override
    public void mount(Router router) {
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.scrape()));
        router.get("/health/live").handler(health::live);
        router.get("/health/ready").handler(health::ready);
    }
}
