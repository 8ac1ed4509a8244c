package fr.gardien.gateway.ops;

import fr.gardien.gateway.web.Routes;
import io.vertx.ext.web.Router;

/** Operations' routes, without authentication: Prometheus metrics and the liveness and readiness probes. */
public final class OpsRoutes implements Routes {

    private final GatewayMetrics metrics;
    private final Health health;

    public OpsRoutes(GatewayMetrics metrics, Health health) {
        this.metrics = metrics;
        this.health = health;
    }

    @Override
    public void mount(Router router) {
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.scrape()));
        router.get("/health/live").handler(health::live);
        router.get("/health/ready").handler(health::ready);
    }
}
