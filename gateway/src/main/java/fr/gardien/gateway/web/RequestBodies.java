package fr.gardien.gateway.web;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/** Body handlers of the API's routes: only the routes that take a body read one, and each has a limit. */
public final class RequestBodies {

    /** Bodies of the API's requests (alerts, silences, tokens, ticket callbacks) are small JSON objects. */
    public static final int MAX_API_BODY_BYTES = 16 * 1024;

    private RequestBodies() {
    }

    /** A body handler for a small JSON request: 413 beyond {@link #MAX_API_BODY_BYTES}, no file uploads. */
    public static BodyHandler small() {
        return limited(MAX_API_BODY_BYTES);
    }

    /**
     * For an answer sent before the body was read whole (413): the rest of the body is not read
     * (issue 15: a chunked body past the limit was read to its end); the connection closes once
     * the answer is sent.
     */
    public static void closeAfterAnswer(RoutingContext ctx) {
        ctx.response().putHeader("Connection", "close");
        ctx.addEndHandler(ar -> ctx.request().connection().close());
    }

    /** A body handler with this limit and no file uploads. */
    public static BodyHandler limited(int maxBytes) {
        return BodyHandler.create(false).setBodyLimit(maxBytes);
    }
}
