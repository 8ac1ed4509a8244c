package fr.gardien.gateway;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The routes of a running gateway's router as {@code "METHOD /path/{param}"}, the OpenAPI way of writing them. */
final class RouteTable {

    private static final Pattern PARAM = Pattern.compile(":([A-Za-z][A-Za-z0-9_]*)");

    private RouteTable() {
    }

    /** Every (method, path) of the router; a route for every method is written {@code "ANY /path"}. */
    static Set<String> of(GatewayHarness harness) {
        Set<String> routes = new TreeSet<>();
        for (Route route : harness.gateway.httpRoutes()) {
            String path = route.getPath();
            if (path == null) {
                throw new AssertionError("a route without a plain path (regex or catch-all) cannot be checked: " + route);
            }
            Matcher m = PARAM.matcher(path);
            String openApiPath = m.replaceAll("{$1}");
            Set<HttpMethod> methods = route.methods();
            if (methods == null || methods.isEmpty()) {
                routes.add("ANY " + openApiPath);
            } else {
                methods.forEach(method -> routes.add(method.name() + " " + openApiPath));
            }
        }
        return routes;
    }
}
