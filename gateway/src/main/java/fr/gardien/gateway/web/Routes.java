package fr.gardien.gateway.web;

import io.vertx.ext.web.Router;

/**
 * A feature's part of the HTTP server: the routes it adds, each with its own authentication and
 * body limit. The server ({@link HttpVerticle}) mounts every feature's routes in the order given,
 * on each of its instances; a feature's handlers are shared between the instances. A feature
 * whose routes only mount its handlers writes them as a record of those handlers.
 */
@FunctionalInterface
public interface Routes {

    /** Adds this feature's routes to {@code router}. */
    void mount(Router router);
}
