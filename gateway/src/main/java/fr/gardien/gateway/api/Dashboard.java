package fr.gardien.gateway.api;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web dashboard: static HTML, CSS and ES modules shipped in the jar under
 * {@code dashboard/}, served at {@code /} (the page) and {@code /ui/*} (its files). The files hold
 * no data: everything shown comes from the API with the user's token, so they are served without
 * authentication, with a strict Content Security Policy.
 */
public final class Dashboard {

    /** Where the vendored chart library lives; its path carries its version, so it never changes. */
    static final String VENDOR_PREFIX = "/ui/vendor/";

    /**
     * Only this origin's files and API; no inline script or style element, no framing, no plugin.
     * uPlot sizes its elements through the CSSOM (element.style), which CSP does not restrict.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private Dashboard() {
    }

    /** Adds the dashboard's routes to {@code router}. */
    public static void mount(Router router) {
        Handler<RoutingContext> headers = Dashboard::headers;
        // A route ending in /* serves its files relative to the prefix: /ui/app.js is dashboard/ui/app.js.
        router.route("/").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(headers).handler(files("dashboard").setIndexPage("index.html"));
        router.route("/ui/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(headers).handler(files("dashboard/ui"));
    }

    private static StaticHandler files(String root) {
        return StaticHandler.create(root)
                .setDirectoryListing(false)
                .setIncludeHidden(false)
                .setDefaultContentEncoding("UTF-8")
                .setCachingEnabled(true);
    }

    private static void headers(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        ctx.addHeadersEndHandler(v -> {
            MultiMap h = ctx.response().headers();
            // The page and the app's own files are revalidated on every load (a 304 when
            // unchanged), so a new gateway version is picked up at once; the vendored library's
            // path names its version, so browsers may keep it.
            h.set("Cache-Control", path.startsWith(VENDOR_PREFIX) ? "public, max-age=31536000, immutable" : "no-cache");
            h.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            h.set("X-Content-Type-Options", "nosniff");
            h.set("X-Frame-Options", "DENY");
            h.set("Referrer-Policy", "no-referrer");
            h.set("Cross-Origin-Opener-Policy", "same-origin");
            h.set("Cross-Origin-Resource-Policy", "same-origin");
        });
        ctx.next();
    }
}
