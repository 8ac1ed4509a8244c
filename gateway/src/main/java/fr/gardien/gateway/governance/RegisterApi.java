package fr.gardien.gateway.governance;

import fr.gardien.gateway.config.GardienConfig;
import fr.gardien.gateway.registry.RegistryView;
import fr.gardien.gateway.ticketing.TicketingConfig;
import fr.gardien.model.Equipment;
import fr.gardien.model.PointSpec;
import fr.gardien.model.Site;
import fr.gardien.storage.retention.CategoryCounts;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /api/v1/governance/register}: the record of processing activities, in JSON, or in
 * HTML (French and English) with {@code Accept: text/html}. For the {@code admin} and
 * {@code dpo} roles: counts of points and readings per category, never a reading.
 */
public final class RegisterApi {

    private final GardienConfig config;
    private final GovernanceConfig governance;
    private final TicketingConfig ticketing;
    private final int occupancyMinCount;
    private final RegistryView registry;
    private final CategoryCounts counts;
    private final WorkerExecutor db;
    private final Clock clock;

    public RegisterApi(GardienConfig config, GovernanceConfig governance, TicketingConfig ticketing,
                       RegistryView registry, CategoryCounts counts, WorkerExecutor db, Clock clock) {
        this.config = config;
        this.governance = governance;
        this.ticketing = ticketing;
        this.occupancyMinCount = config.api().occupancyMinCount();
        this.registry = registry;
        this.counts = counts;
        this.db = db;
        this.clock = clock;
    }

    public void handle(RoutingContext ctx) {
        Map<String, Long> points = pointsPerCategory(registry.current().sites());
        fromDatabase(ctx, counts::readingsPerCategory, readings -> {
            JsonObject register = ProcessingRegister.of(config, governance, ticketing, occupancyMinCount, points,
                    readings, clock.instant());
            String accept = ctx.request().getHeader("Accept");
            if (accept != null && accept.contains("text/html")) {
                ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(RegisterHtml.render(register));
            } else {
                ctx.response().putHeader("Content-Type", "application/json").end(register.encodePrettily());
            }
        });
    }

    /**
     * {@code GET /api/v1/governance/counts}: per point category, its points and how many raw
     * readings, hourly and daily rollup rows and quarantined records it holds, each with the
     * oldest one's date; quarantined records of no known point; alerts per alert category and
     * state. Counts and dates only, never a value, a series or an alert's figure.
     */
    public void counts(RoutingContext ctx) {
        Map<String, Long> points = pointsPerCategory(registry.current().sites());
        fromDatabase(ctx, counts::inventory, inventory -> {
            // Declared categories first, in the file's order, then any other found in the database.
            java.util.Set<String> names = new java.util.LinkedHashSet<>(governance.categories().keySet());
            names.addAll(points.keySet());
            names.addAll(inventory.categories().keySet());
            JsonArray categories = new JsonArray();
            CategoryCounts.Tally none = new CategoryCounts.Tally(0, null);
            for (String name : names) {
                CategoryCounts.CategoryTally t = inventory.categories().getOrDefault(name,
                        new CategoryCounts.CategoryTally(none, none, none, none));
                categories.add(new JsonObject().put("category", name).put("declared", governance.categories().containsKey(name))
                        .put("points", points.getOrDefault(name, 0L)).put("readings", tally(t.readings()))
                        .put("hourlyRollups", tally(t.hourlyRollups())).put("dailyRollups", tally(t.dailyRollups()))
                        .put("quarantine", tally(t.quarantine())));
            }
            JsonArray alerts = new JsonArray();
            inventory.alerts().forEach((category, states) -> {
                JsonObject byState = new JsonObject();
                states.forEach((state, t) -> byState.put(state, tally(t)));
                alerts.add(new JsonObject().put("category", category).put("states", byState));
            });
            ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                    .put("generatedAt", clock.instant().toString())
                    .put("categories", categories)
                    .put("quarantineUnattributed", tally(inventory.unattributedQuarantine()))
                    .put("alerts", alerts).encodePrettily());
        });
    }

    /** Runs {@code query} on the database pool, then {@code answer} with its result; 503 when the database does not answer. */
    private <T> void fromDatabase(RoutingContext ctx, java.util.concurrent.Callable<T> query, java.util.function.Consumer<T> answer) {
        db.executeBlocking(query, false).onComplete(ar -> {
            if (ar.failed()) {
                fr.gardien.gateway.web.Problem.unavailable(ctx, 5, "the database did not answer");
            } else {
                answer.accept(ar.result());
            }
        });
    }

    private static JsonObject tally(CategoryCounts.Tally t) {
        return new JsonObject().put("count", t.count()).put("oldest", t.oldest() == null ? null : t.oldest().toString());
    }

    static Map<String, Long> pointsPerCategory(Collection<Site> sites) {
        Map<String, Long> out = new TreeMap<>();
        for (Site site : sites) {
            for (Equipment e : site.equipment()) {
                for (PointSpec p : e.points()) {
                    out.merge(p.category() == null ? "" : p.category(), 1L, Long::sum);
                }
            }
        }
        return out;
    }
}
