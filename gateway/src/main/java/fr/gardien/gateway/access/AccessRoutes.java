package fr.gardien.gateway.access;

import fr.gardien.gateway.registry.Roles;
import fr.gardien.gateway.web.RequestBodies;
import fr.gardien.gateway.web.Routes;
import io.vertx.ext.web.Router;
import java.util.Set;

/** Access control's routes, for admins: API tokens (create, list, revoke) and the audit log (also for the dpo). */
public record AccessRoutes(BearerAuth auth, TokenApi tokens, AuditApi audit) implements Routes {

    @Override
    public void mount(Router router) {
        Set<String> admin = Set.of(Roles.ADMIN);
        router.post("/api/v1/tokens").handler(RequestBodies.small()).handler(auth.roles(admin)).handler(tokens::create);
        router.get("/api/v1/tokens").handler(auth.roles(admin)).handler(tokens::list);
        router.delete("/api/v1/tokens/:name").handler(auth.roles(admin)).handler(tokens::revoke);
        // The data-protection officer reads who accessed what (issue 14).
        router.get("/api/v1/audit").handler(auth.roles(Set.of(Roles.ADMIN, Roles.DPO))).handler(audit::list);
    }
}
