package fr.gardien.gateway.rules;

import fr.gardien.gateway.access.BearerAuth;
import fr.gardien.gateway.web.Routes;
import fr.gardien.rules.RuleDefinition;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;

/**
 * {@code GET /api/v1/rules}: the active catalog, each rule with the reason it exists, what it
 * applies to, how long its condition must hold and clear, and its summaries in both languages.
 * Any authenticated token may read it: rules are not site data.
 */
public final class RulesApi implements Routes {

    private final RulesService rules;
    private final BearerAuth auth;

    public RulesApi(RulesService rules, BearerAuth auth) {
        this.rules = rules;
        this.auth = auth;
    }

    @Override
    public void mount(Router router) {
        router.get("/api/v1/rules").handler(auth.anyRole()).handler(this::list);
    }

    public void list(RoutingContext ctx) {
        JsonArray list = new JsonArray();
        for (RuleDefinition rule : rules.rules().rules()) {
            list.add(new JsonObject()
                    .put("id", rule.id())
                    .put("description", rule.description())
                    .put("appliesTo", new JsonArray(new ArrayList<>(rule.appliesTo())))
                    .put("inputs", new JsonObject(new java.util.LinkedHashMap<>(rule.inputs())))
                    .put("detector", rule.detector())
                    .put("for", rule.holdFor().toString())
                    .put("detectorSpan", rule.detectorFactory().minimumSpan().toString())
                    .put("clearAfter", rule.clearAfter().toString())
                    .put("window", rule.window().map(w -> w.from() + "-" + w.to()).orElse(null))
                    .put("severity", rule.severity().name().toLowerCase())
                    .put("category", rule.category())
                    .put("urgency", rule.urgency().name().toLowerCase().replace('_', '-'))
                    .put("summary", new JsonObject().put("fr", rule.summaryFr()).put("en", rule.summaryEn())));
        }
        ctx.response().putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("source", rules.source()).put("rules", list).encode());
    }
}
