package fr.gardien.gateway;

import fr.gardien.gateway.access.AccessRoutes;
import fr.gardien.gateway.access.AuditApi;
import fr.gardien.gateway.access.AuditLog;
import fr.gardien.gateway.access.BearerAuth;
import fr.gardien.gateway.access.TokenApi;
import fr.gardien.gateway.alerts.AlertApi;
import fr.gardien.gateway.alerts.AlertFeed;
import fr.gardien.gateway.alerts.AlertRoutes;
import fr.gardien.gateway.alerts.AlertStream;
import fr.gardien.gateway.api.ApiRoutes;
import fr.gardien.gateway.api.EnergyApi;
import fr.gardien.gateway.api.OccupancyPolicy;
import fr.gardien.gateway.api.ReadApi;
import fr.gardien.gateway.api.SeriesApi;
import fr.gardien.gateway.config.GardienConfig;
import fr.gardien.gateway.config.HttpConfig;
import fr.gardien.gateway.config.TlsListener;
import fr.gardien.gateway.governance.GovernanceRoutes;
import fr.gardien.gateway.governance.RegisterApi;
import fr.gardien.storage.retention.CategoryCounts;
import fr.gardien.gateway.ops.GatewayMetrics;
import fr.gardien.gateway.ops.Health;
import fr.gardien.gateway.ops.OpsRoutes;
import fr.gardien.gateway.rules.RulesApi;
import fr.gardien.gateway.ticketing.DeliveryApi;
import fr.gardien.gateway.ticketing.TicketingRoutes;
import fr.gardien.gateway.web.HttpDeadlines;
import fr.gardien.gateway.web.HttpVerticle;
import fr.gardien.gateway.web.Routes;
import fr.gardien.storage.access.AuditStore;
import fr.gardien.storage.alerts.DigestStore;
import fr.gardien.storage.alerts.OutboxStore;
import fr.gardien.storage.write.QuarantineStore;
import fr.gardien.storage.series.SeriesStore;
import fr.gardien.storage.access.TokenStore;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The HTTP room: the audit log and token checks in front of every API route, each feature's
 * routes (telemetry, read API, alerts, rules, ticketing, access, operations), and the server.
 */
final class HttpApi {

    private final AuditLog audit;
    private final List<HttpVerticle> verticles = new CopyOnWriteArrayList<>();
    private final int port;
    private final int tlsPort;
    private final Optional<TlsListener> tls;

    private HttpApi(GardienConfig config, Platform platform, Storage storage, Alerting alerting, Routes telemetry,
            Health health, GatewayMetrics metrics) {
        AuditStore auditStore = new AuditStore(storage.database().dataSource());
        audit = new AuditLog(platform.vertx(), auditStore, platform.db(), config.audit().queueCapacity(), metrics, Clock.systemUTC());
        audit.start();
        metrics.gauge("gardien.audit.queue.entries", "Audit entries waiting for their insert", audit::queued);
        BearerAuth auth = new BearerAuth(platform.tokenAuth(), audit, platform.brake());

        SeriesStore seriesStore = new SeriesStore(storage.database().dataSource());
        OccupancyPolicy occupancy = new OccupancyPolicy(config.api().occupancyMinCount());
        SeriesApi series = new SeriesApi(platform.registry(), seriesStore, occupancy, platform.db());
        ReadApi read = new ReadApi(platform.registry(), seriesStore, new QuarantineStore(storage.database().dataSource()),
                platform.db(), series, occupancy);
        EnergyApi energy = new EnergyApi(platform.registry(), seriesStore, platform.db());
        AlertRoutes alerts = new AlertRoutes(auth, new AlertApi(alerting.alerts(), platform.registry()),
                new AlertStream(alerting.alerts(), platform.tokenAuth()::stillValid),
                new AlertFeed(alerting.alerts(), platform.registry(), alerting.ticketing().publicUrl(), Clock.systemUTC()));
        TicketingRoutes ticketing = new TicketingRoutes(auth, new DeliveryApi(new OutboxStore(storage.database().dataSource()),
                new DigestStore(storage.database().dataSource()), platform.db(), Clock.systemUTC()), alerting.callback());
        AccessRoutes access = new AccessRoutes(auth, new TokenApi(new TokenStore(storage.database().dataSource()),
                platform.registry(), platform.db(), Clock.systemUTC()), new AuditApi(auditStore, platform.db()));
        List<Routes> features = List.of(telemetry,
                new ApiRoutes(auth, read, series, energy, platform.registry(), platform.db()),
                alerts, new RulesApi(alerting.rules(), auth), ticketing, access, new OpsRoutes(metrics, health),
                new GovernanceRoutes(auth, new RegisterApi(config, platform.governance(), alerting.ticketing(),
                        platform.registry(), new CategoryCounts(storage.database().dataSource()), platform.db(), Clock.systemUTC())));

        port = config.http().plainEnabled() ? listen(config.http(), platform, features, config.http().port(), Optional.empty()) : -1;
        tls = config.http().tlsListener();
        tlsPort = tls.map(t -> listen(config.http(), platform, features, t.config().port(), Optional.of(t))).orElse(-1);
    }

    /** Deploys the servers of one listener (clear, or TLS with {@code tls}); returns its bound port. */
    private int listen(HttpConfig http, Platform platform, List<Routes> features, int requestedPort, Optional<TlsListener> tls) {
        int bind = Platform.concretePort(http.host(), requestedPort);
        return platform.deploy(Platform.instances(), () -> {
            HttpServerOptions listener = new HttpServerOptions().setHost(http.host()).setPort(bind);
            tls.ifPresent(t -> t.applyTo(listener));
            HttpVerticle verticle = new HttpVerticle(listener, features, new HttpDeadlines(
                    http.headerTimeout(), http.bodyTimeout(), http.idleTimeout()));
            verticles.add(verticle);
            return verticle;
        }, HttpVerticle::actualPort);
    }

    /** Starts the audit log and binds the HTTP server; blocking. */
    static HttpApi start(GardienConfig config, Platform platform, Storage storage, Alerting alerting, Routes telemetry,
            Health health, GatewayMetrics metrics) {
        return new HttpApi(config, platform, storage, alerting, telemetry, health, metrics);
    }

    /** The clear port, or -1 when {@code http.plain-enabled} is false. */
    int port() {
        return port;
    }

    /** The HTTPS listener, when configured (its certificate is reloaded when its files change). */
    Optional<TlsListener> tls() {
        return tls;
    }

    /** The HTTPS port, or -1 when {@code http.tls} is not configured. */
    int tlsPort() {
        return tlsPort;
    }

    /** The routes of the HTTP server (one instance's; all instances have the same). */
    List<Route> routes() {
        return verticles.get(0).routes();
    }

    AuditLog audit() {
        return audit;
    }

    /** Writes the audit log's last entries (after the servers stopped). */
    Future<Void> stopAudit() {
        return audit.stop();
    }
}
