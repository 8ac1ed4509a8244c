package fr.gardien.gateway.ticketing.connector;

import fr.gardien.gateway.ticketing.DeliveryException;
import fr.gardien.gateway.ticketing.DeliveryResult;
import fr.gardien.gateway.ticketing.OutboundAlert;
import fr.gardien.gateway.ticketing.TicketConnector;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.pointer.JsonPointer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens, updates and closes tickets through a ticketing system's REST API as its
 * {@link RestTemplate} says: create when the alert has no ticket yet, close on
 * {@code resolved}, update otherwise (retriggered, acknowledged, reopened). Completes with the
 * ticket's reference (read from the create response, else the one given) and
 * {@code created}, {@code updated} or {@code closed}; with {@code unchanged} and no request when
 * the template has no update or close. A reference that is not a plain token (letters, digits,
 * '.', '_', '-') is refused, so a response cannot steer later requests to another path.
 */
public final class RestConnector implements TicketConnector {

    private static final Logger log = LoggerFactory.getLogger(RestConnector.class);
    private static final Pattern REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final RestSettings settings;
    private final HttpEndpoint endpoint;
    /** The session being opened or open; {@code null} when none. Guarded by {@code this}. */
    private Future<String> session;

    public RestConnector(Vertx vertx, RestSettings settings) {
        this.settings = settings;
        this.endpoint = new HttpEndpoint(vertx, settings.name(), settings.baseUrl(), settings.timeout(),
                settings.trustPem());
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public Future<DeliveryResult> deliver(OutboundAlert alert, String ticketRef) {
        RestTemplate t = settings.template();
        RequestTemplate request;
        String status;
        if (ticketRef == null) {
            request = t.create();
            status = "created";
        } else if ("resolved".equals(alert.transition())) {
            request = t.close();
            status = "closed";
        } else {
            request = t.update();
            status = "updated";
        }
        if (request == null) {
            return Future.succeededFuture(new DeliveryResult(ticketRef, "unchanged", 0));
        }
        if (ticketRef != null && !REF.matcher(ticketRef).matches()) {
            return Future.failedFuture(new DeliveryException(name() + ": unusable ticket reference", false, 0));
        }
        Map<String, Object> values = AlertFields.of(alert);
        values.put("ref", ticketRef);
        t.lookups().forEach((n, lookup) -> values.put(n, lookup.apply(values.get(lookup.field()))));

        String path = request.path().replace("${ref}", ticketRef == null ? "" : ticketRef);
        Buffer body = request.body() == null ? null
                : Buffer.buffer(Json.encode(JsonTrees.mapTexts(request.body(), text -> text(text, values))));
        Function<String, Future<HttpResponse<Buffer>>> send = sessionToken -> {
            HttpRequest<Buffer> http = endpoint.request(request.method(), path);
            http.putHeader("User-Agent", "Gardien").putHeader("Accept", "application/json");
            request.headers().forEach((k, v) -> http.putHeader(k, header(v, alert, sessionToken)));
            if (body != null) {
                http.putHeader("Content-Type", "application/json");
            }
            return endpoint.send(http, body);
        };
        Future<HttpResponse<Buffer>> sent;
        if (t.session() == null) {
            sent = send.apply(null);
        } else {
            Future<String> current = session();
            sent = current.compose(send).recover(failure -> {
                // An expired session: open a new one and try this request once more.
                if (current.succeeded() && failure instanceof DeliveryException e && e.statusCode() == 401) {
                    return renewSession(current).compose(send);
                }
                return Future.failedFuture(failure);
            });
        }
        return sent.compose(response -> {
            String ref = ticketRef;
            if (request.refPointer() != null) {
                ref = readRef(response, request.refPointer());
                if (ref == null) {
                    // Not retryable: the ticket may well exist, and a retry would open another.
                    return Future.failedFuture(new DeliveryException(name() + ": HTTP " + response.statusCode()
                            + " without a usable ticket reference at " + request.refPointer(), false,
                            response.statusCode()));
                }
            }
            log.debug("delivered [connector: {}, delivery: {}, ticket: {}, status: {}]", name(),
                    alert.idempotencyKey(), ref, response.statusCode());
            return Future.succeededFuture(new DeliveryResult(ref, status, response.statusCode()));
        });
    }

    private static Object text(String text, Map<String, Object> values) {
        Matcher whole = RequestTemplate.PLACEHOLDER.matcher(text);
        if (whole.matches()) {
            return values.get(whole.group(1));
        }
        Matcher m = RequestTemplate.PLACEHOLDER.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            Object v = values.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? "" : v.toString()));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** The open session's token, opening one if none is (shared by concurrent deliveries). */
    private synchronized Future<String> session() {
        if (session == null) {
            session = openSession();
            // A failed opening is not kept: the next delivery tries again.
            Future<String> opening = session;
            opening.onFailure(e -> clearSession(opening));
        }
        return session;
    }

    private synchronized Future<String> renewSession(Future<String> stale) {
        if (session == stale) {
            session = null;
        }
        return session();
    }

    private synchronized void clearSession(Future<String> failed) {
        if (session == failed) {
            session = null;
        }
    }

    private Future<String> openSession() {
        SessionTemplate s = settings.template().session();
        RequestTemplate request = s.request();
        HttpRequest<Buffer> http = endpoint.request(request.method(), request.path());
        http.putHeader("User-Agent", "Gardien").putHeader("Accept", "application/json");
        request.headers().forEach((k, v) -> http.putHeader(k, header(v, null, null)));
        return endpoint.send(http, null).compose(response -> {
            String token = readText(response, s.tokenPointer());
            if (token == null) {
                return Future.failedFuture(new DeliveryException(name() + ": session opened without a token at "
                        + s.tokenPointer(), true, response.statusCode()));
            }
            log.debug("session opened [connector: {}]", name());
            return Future.succeededFuture(token);
        });
    }

    private String header(String template, OutboundAlert alert, String sessionToken) {
        Matcher m = RequestTemplate.PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String v = switch (name) {
                case "idempotencyKey" -> alert.idempotencyKey();
                case "alertId" -> Long.toString(alert.alertId());
                default -> {
                    String secret = name.substring("secret:".length());
                    SessionTemplate session = settings.template().session();
                    yield session != null && session.secretName().equals(secret) && sessionToken != null
                            ? sessionToken : settings.secrets().get(secret);
                }
            };
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String readRef(HttpResponse<Buffer> response, String pointer) {
        String text = readText(response, pointer);
        return text != null && REF.matcher(text).matches() ? text : null;
    }

    private static String readText(HttpResponse<Buffer> response, String pointer) {
        Object ref;
        try {
            Object json = Json.decodeValue(response.bodyAsBuffer());
            ref = JsonPointer.from(pointer).queryJson(json);
        } catch (RuntimeException e) {
            return null;
        }
        if (ref == null || ref instanceof Map || ref instanceof Iterable) {
            return null;
        }
        return ref.toString();
    }

    @Override
    public Future<Void> close() {
        return endpoint.close();
    }

    @Override
    public String toString() {
        return "RestConnector[" + settings.name() + " -> " + endpoint.target() + "]";
    }
}
