package fr.gardien.gateway.web;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deadlines on each phase of an HTTP/1.1 connection, so that no client can hold one open by
 * sending slowly (issue 15): a new connection's request line and headers must arrive within
 * {@code headerTimeout}; a request's body within {@code bodyTimeout} of its headers (else
 * {@code 408} and the connection is closed); a kept-alive connection must start its next request
 * within {@code idleTimeout} of the last response. A response being streamed (alert stream)
 * has no deadline: only the client's sending is timed.
 *
 * <p>One instance per server verticle, used on its event loop only: one sweep every
 * {@link #SWEEP} looks at the connections, so a deadline is kept to within that.
 */
public final class HttpDeadlines {

    private static final Logger log = LoggerFactory.getLogger(HttpDeadlines.class);
    static final Duration SWEEP = Duration.ofMillis(250);

    private final Duration headerTimeout;
    private final Duration bodyTimeout;
    private final Duration idleTimeout;
    private final Map<HttpConnection, Phase> connections = new IdentityHashMap<>();
    private long sweeper = -1;

    public HttpDeadlines(Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout) {
        this.headerTimeout = headerTimeout;
        this.bodyTimeout = bodyTimeout;
        this.idleTimeout = idleTimeout;
    }

    /** Starts the sweeps on the calling verticle's event loop. */
    public void start(Vertx vertx) {
        sweeper = vertx.setPeriodic(SWEEP.toMillis(), id -> sweep());
    }

    public void stop(Vertx vertx) {
        if (sweeper >= 0) {
            vertx.cancelTimer(sweeper);
        }
    }

    /** For {@code HttpServer.connectionHandler}: the header deadline starts at the connection. */
    public void onConnection(HttpConnection connection) {
        connections.put(connection, new Phase(null, System.nanoTime(), headerTimeout));
        connection.closeHandler(v -> connections.remove(connection));
    }

    /** Wraps the request handler: the headers arrived, the body deadline starts. */
    public Handler<HttpServerRequest> wrap(Handler<HttpServerRequest> next) {
        return request -> {
            HttpConnection connection = request.connection();
            if (connection != null && connections.containsKey(connection)) {
                connections.put(connection, new Phase(request, System.nanoTime(), bodyTimeout));
            }
            next.handle(request);
        };
    }

    /** Connections being timed (tests). */
    int tracked() {
        return connections.size();
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Map.Entry<HttpConnection, Phase> entry : Map.copyOf(connections).entrySet()) {
            HttpConnection connection = entry.getKey();
            Phase phase = entry.getValue();
            HttpServerRequest request = phase.request();
            if (request != null && request.isEnded()) {
                if (request.response().ended() || request.response().closed()) {
                    // Keep-alive: the next request's headers are timed from here.
                    connections.put(connection, new Phase(null, now, idleTimeout));
                }
                continue;
            }
            if (now - phase.sinceNanos() < phase.deadline().toNanos()) {
                continue;
            }
            connections.remove(connection);
            if (request == null) {
                log.debug("HTTP connection closed: no complete request headers within {} [peer: {}]", phase.deadline(),
                        connection.remoteAddress());
                connection.close();
            } else {
                log.debug("HTTP request body not received within {}, closing [path: {}]", phase.deadline(), request.path());
                timeout(request.response(), connection);
            }
        }
    }

    /** 408 (RFC 9110 §15.5.9) when nothing was answered yet, then the connection is closed. */
    private static void timeout(HttpServerResponse response, HttpConnection connection) {
        if (response.headWritten() || response.ended() || response.closed()) {
            connection.close();
            return;
        }
        JsonObject body = new JsonObject()
                .put("type", "urn:gardien:problem:request-timeout")
                .put("title", "Request timeout")
                .put("status", 408)
                .put("detail", "the request body did not arrive in time");
        response.setStatusCode(408).putHeader("Content-Type", Problem.MEDIA_TYPE).putHeader("Connection", "close")
                .end(body.encode()).onComplete(ar -> connection.close());
    }

    /** What a connection is waiting for: headers (no request) or the body of {@code request}. */
    private record Phase(HttpServerRequest request, long sinceNanos, Duration deadline) {
    }
}
