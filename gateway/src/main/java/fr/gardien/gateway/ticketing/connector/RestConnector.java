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
    private static final Pattern SINGLE = Pattern.compile("\\$\\{([^}]*)}");

    private final RestSettings settings;
    private final HttpEndpoint endpoint;

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

        HttpRequest<Buffer> http = endpoint.request(request.method(),
                request.path().replace("${ref}", ticketRef == null ? "" : ticketRef));
        http.putHeader("User-Agent", "Gardien").putHeader("Accept", "application/json");
        request.headers().forEach((k, v) -> http.putHeader(k, header(v, alert)));
        Buffer body = null;
        if (request.body() != null) {
            body = Buffer.buffer(Json.encode(JsonTrees.mapTexts(request.body(), text -> text(text, values))));
            http.putHeader("Content-Type", "application/json");
        }
        return endpoint.send(http, body).compose(response -> {
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
        Matcher whole = SINGLE.matcher(text);
        if (whole.matches()) {
            return values.get(whole.group(1));
        }
        Matcher m = SINGLE.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            Object v = values.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? "" : v.toString()));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private String header(String template, OutboundAlert alert) {
        Matcher m = SINGLE.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String v = switch (name) {
                case "idempotencyKey" -> alert.idempotencyKey();
                case "alertId" -> Long.toString(alert.alertId());
                default -> settings.secrets().get(name.substring("secret:".length()));
            };
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String readRef(HttpResponse<Buffer> response, String pointer) {
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
        String text = ref.toString();
        return REF.matcher(text).matches() ? text : null;
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
