package fr.gardien.gateway.governance;

import fr.gardien.gateway.access.BearerAuth;
import fr.gardien.gateway.registry.Roles;
import fr.gardien.gateway.web.Routes;
import io.vertx.ext.web.Router;
import java.util.Set;

/** Governance's routes (issue 14): the processing register, for the admin and the data-protection officer. */
public record GovernanceRoutes(BearerAuth auth, RegisterApi register) implements Routes {

    @Override
    public void mount(Router router) {
        router.get("/api/v1/governance/register").handler(auth.roles(Set.of(Roles.ADMIN, Roles.DPO))).handler(register::handle);
        router.get("/api/v1/governance/counts").handler(auth.roles(Set.of(Roles.ADMIN, Roles.DPO))).handler(register::counts);
    }
}
