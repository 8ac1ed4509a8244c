package fr.gardien.gateway.ticketing.connector;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A real HTTP server on port 0 that records every request (method, path, headers, body) and
 * answers what the test's responder says; a responder returning {@code null} never answers.
 */
public final class CapturingServer implements AutoCloseable {

    /** One received request. Header names are lower case. */
    public record Captured(HttpMethod method, String uri, String path, List<Map.Entry<String, String>> headers,
            Buffer body) {

        public String header(String name) {
            return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
        }

        public JsonObject json() {
            return body.toJsonObject();
        }

        /** Everything that went over the wire, as text: request line, headers and body. */
        public String wire() {
            StringBuilder sb = new StringBuilder(method + " " + uri + "\n");
            headers.forEach(h -> sb.append(h.getKey()).append(": ").append(h.getValue()).append('\n'));
            return sb.append('\n').append(body.toString()).toString();
        }
    }

    /** What to answer. */
    public record Answer(int status, Map<String, String> headers, String body) {
        public static Answer of(int status, String body) {
            return new Answer(status, Map.of("Content-Type", "application/json"), body);
        }

        public static Answer status(int status) {
            return new Answer(status, Map.of(), "");
        }
    }

    private final HttpServer server;
    private final List<Captured> captured = new CopyOnWriteArrayList<>();
    private volatile Function<Captured, Answer> responder;

    public CapturingServer(Vertx vertx, Function<Captured, Answer> responder) {
        this(vertx, new HttpServerOptions(), responder);
    }

    public CapturingServer(Vertx vertx, HttpServerOptions options, Function<Captured, Answer> responder) {
        this.responder = responder;
        this.server = Await.result(vertx.createHttpServer(options.setPort(0).setHost("127.0.0.1"))
                .requestHandler(this::handle)
                .listen());
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            request.headers().forEach(h -> headers.add(Map.entry(h.getKey().toLowerCase(), h.getValue())));
            Captured c = new Captured(request.method(), request.uri(), request.path(), List.copyOf(headers), body);
            captured.add(c);
            Answer answer;
            try {
                answer = responder.apply(c);
            } catch (AssertionError | RuntimeException e) {
                // A failed check of the request shape: 418 makes the delivery fail visibly.
                request.response().setStatusCode(418).end(String.valueOf(e.getMessage()));
                return;
            }
            if (answer == null) {
                return;
            }
            answer.headers().forEach(request.response()::putHeader);
            request.response().setStatusCode(answer.status()).end(answer.body());
        });
    }

    public void respond(Function<Captured, Answer> responder) {
        this.responder = responder;
    }

    public int port() {
        return server.actualPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public List<Captured> captured() {
        return List.copyOf(captured);
    }

    public Captured last() {
        return captured.get(captured.size() - 1);
    }

    @Override
    public void close() {
        Await.result(server.close());
    }
}
