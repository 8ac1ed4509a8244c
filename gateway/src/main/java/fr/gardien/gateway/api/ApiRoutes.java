package fr.gardien.gateway.api;

import fr.gardien.gateway.access.BearerAuth;
import fr.gardien.gateway.registry.RegistryService;
import fr.gardien.gateway.registry.Roles;
import fr.gardien.gateway.web.Problem;
import fr.gardien.gateway.web.Routes;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * The read API's routes (sites, series, latest values, energy, quarantine), the portfolio reload,
 * the OpenAPI document and the web dashboard's files.
 */
public final class ApiRoutes implements Routes {

    private final BearerAuth auth;
    private final ReadApi read;
    private final SeriesApi series;
    private final EnergyApi energy;
    private final RegistryService registry;
    private final WorkerExecutor db;
    private final String openApi;

    public ApiRoutes(BearerAuth auth, ReadApi read, SeriesApi series, EnergyApi energy, RegistryService registry,
            WorkerExecutor db) {
        this.auth = auth;
        this.read = read;
        this.series = series;
        this.energy = energy;
        this.registry = registry;
        this.db = db;
        this.openApi = OpenApi.document();
    }

    @Override
    public void mount(Router router) {
        Set<String> admin = Set.of(Roles.ADMIN);
        router.get("/api/v1/sites").handler(auth.anyRole()).handler(read::sites);
        router.get("/api/v1/series").handler(auth.anyRole()).handler(read::series);
        router.get("/api/v1/sites/:site/latest").handler(auth.anyRole()).handler(series::latest);
        router.get("/api/v1/energy/consumption").handler(auth.anyRole()).handler(energy::consumption);
        router.get("/api/v1/energy/heating").handler(auth.anyRole()).handler(energy::heating);
        router.get("/api/v1/quarantine").handler(auth.roles(admin)).handler(read::quarantine);
        router.post("/api/v1/admin/portfolio/reload").handler(auth.roles(admin)).handler(this::reloadPortfolio);

        // The API's description holds no data: served without authentication.
        router.get("/openapi.yaml").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/yaml; charset=utf-8").end(openApi));
        Dashboard.mount(router);
    }

    private void reloadPortfolio(RoutingContext ctx) {
        db.executeBlocking(registry::reload, false).onComplete(ar -> {
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
