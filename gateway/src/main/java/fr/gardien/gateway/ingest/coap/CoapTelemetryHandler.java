package fr.gardien.gateway.ingest.coap;

import fr.gardien.gateway.registry.RegistryView;
import fr.gardien.gateway.auth.AuthException;
import fr.gardien.gateway.auth.DeviceAuthenticator;
import fr.gardien.gateway.ingest.IngestMetrics;
import fr.gardien.gateway.ingest.IngestPipeline;
import fr.gardien.gateway.ingest.PackSink;
import fr.gardien.gateway.ingest.PreparedPack;
import fr.gardien.gateway.registry.CoapAccess;
import fr.gardien.gateway.registry.Registry;
import fr.gardien.model.Device;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.CoAP.Type;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /telemetry} over CoAP: the protocol logic between Californium and the shared
 * {@link IngestPipeline}. Californium's threads only hand each exchange over to a Vert.x context
 * (the same one for a given peer, so its requests stay in order); everything else runs there and
 * nothing blocks. Errors are translated into CoAP codes here, once:
 *
 * <ul>
 *   <li>{@code 2.04} after the commit that holds the pack (CON and NON alike); with a JSON
 *       payload {@code {"accepted","rejected","problem"}} when some records were quarantined;</li>
 *   <li>{@code 4.00} nothing valid, {@code 4.01} no acceptable identity, {@code 4.03} only
 *       points of another site, {@code 4.13} (with Size1) too large, {@code 4.15} not SenML,
 *       each with a diagnostic payload (RFC 7252 §5.5.2);</li>
 *   <li>{@code 5.03} with Max-Age when the writer's queue is full, too many requests are in
 *       progress, the commit failed or the gateway is stopping.</li>
 * </ul>
 */
public final class CoapTelemetryHandler {

    static final String PROTOCOL = "coap";
    /** The longest diagnostic payload: a response must fit one datagram. */
    private static final int MAX_DIAGNOSTIC_CHARS = 256;

    private static final Logger log = LoggerFactory.getLogger(CoapTelemetryHandler.class);

    private final DeviceAuthenticator authenticator;
    private final IngestPipeline pipeline;
    private final PackSink sink;
    private final RegistryView registry;
    private final IngestMetrics metrics;
    private final CoapSettings settings;
    private final List<Context> contexts;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Consumer<InetSocketAddress> staleSessionCloser = peer -> { };
    private volatile boolean stopping;

    /**
     * @param contexts the Vert.x contexts requests are handed to, a peer always to the same one
     */
    public CoapTelemetryHandler(DeviceAuthenticator authenticator, IngestPipeline pipeline, PackSink sink, RegistryView registry,
            IngestMetrics metrics, CoapSettings settings, List<Context> contexts) {
        if (contexts.isEmpty()) {
            throw new IllegalArgumentException("at least one context is needed");
        }
        this.authenticator = authenticator;
        this.pipeline = pipeline;
        this.sink = sink;
        this.registry = registry;
        this.metrics = metrics;
        this.settings = settings;
        this.contexts = List.copyOf(contexts);
    }

    /** Event-loop contexts for {@link #CoapTelemetryHandler}; call from a thread outside Vert.x. */
    public static List<Context> newContexts(Vertx vertx, int count) {
        Context[] contexts = new Context[count];
        for (int i = 0; i < count; i++) {
            // Outside a Vert.x thread each call makes a new event-loop context, spread over the loops.
            contexts[i] = vertx.getOrCreateContext();
        }
        return List.of(contexts);
    }

    /** How to end the DTLS session of a peer whose device changed its secret since the handshake. */
    void onStaleSession(Consumer<InetSocketAddress> closer) {
        this.staleSessionCloser = closer;
    }

    /** From now on new requests get {@code 5.03}; those in progress are still answered. */
    public void beginStop() {
        stopping = true;
    }

    /** Requests being authenticated or waiting for their commit. */
    public int pending() {
        return pending.get();
    }

    /** Called on a Californium thread: admits the exchange and hands it to its Vert.x context. */
    void handle(CoapExchange exchange) {
        if (stopping) {
            metrics.messages(PROTOCOL, "overloaded");
            respond(exchange, ResponseCode.SERVICE_UNAVAILABLE, "the gateway is stopping; retry later", 5);
            return;
        }
        if (pending.incrementAndGet() > settings.maxPendingRequests()) {
            pending.decrementAndGet();
            metrics.messages(PROTOCOL, "overloaded");
            respond(exchange, ResponseCode.SERVICE_UNAVAILABLE, "too many requests in progress; retry later", 1);
            return;
        }
        InetSocketAddress peer = exchange.getSourceSocketAddress();
        Context context = contexts.get(Math.floorMod(peer.hashCode(), contexts.size()));
        context.runOnContext(v -> {
            Future<Void> done;
            try {
                done = device(exchange).compose(device -> ingest(exchange, device, context));
            } catch (RuntimeException e) {
                done = Future.failedFuture(e);
            }
            done.onComplete(ar -> pending.decrementAndGet()).onFailure(e -> refuse(exchange, e));
        });
    }

    private void closeSession(InetSocketAddress peer) {
        try {
            staleSessionCloser.accept(peer);
        } catch (RuntimeException e) {
            // The connector is stopping: the session ends with it.
            log.debug("DTLS session not closed: {}", e.toString());
        }
    }

    /** The device behind the request: its DTLS-PSK identity, or the plain request's query. */
    private Future<Device> device(CoapExchange exchange) {
        Principal principal = exchange.advanced().getRequest().getSourceContext().getPeerIdentity();
        if (principal instanceof PreSharedKeyIdentity psk) {
            Device device = registry.current().device(psk.getIdentity());
            String sessionHash = DevicePskStore.secretHashOf(principal);
            if (device == null || sessionHash == null || !sessionHash.equals(device.secretHash())) {
                // Removed, or its secret changed after the handshake: the session must not outlive its key.
                closeSession(exchange.getSourceSocketAddress());
                return Future.failedFuture(new Refusal(ResponseCode.UNAUTHORIZED,
                        "the device's credentials changed since the DTLS handshake; connect again"));
            }
            return Future.succeededFuture(device);
        }
        if (principal != null || !settings.plainEnabled()) {
            return Future.failedFuture(new Refusal(ResponseCode.UNAUTHORIZED, "use DTLS with a pre-shared key"));
        }
        return plainDevice(exchange);
    }

    /**
     * Plain CoAP has no channel identity: the device names itself and proves it with its secret in
     * the query ({@code ?d=<device id>&s=<secret>}), checked like an HTTP Basic credential. Only
     * devices marked {@code coap-plain: true} are then let through.
     */
    private Future<Device> plainDevice(CoapExchange exchange) {
        String id = null;
        String secret = null;
        for (String query : exchange.getRequestOptions().getUriQuery()) {
            if (query.startsWith("d=")) {
                id = query.substring(2);
            } else if (query.startsWith("s=")) {
                secret = query.substring(2);
            }
        }
        if (id == null || secret == null) {
            return Future.failedFuture(new Refusal(ResponseCode.UNAUTHORIZED,
                    "plain CoAP requests name their device: ?d=<device id>&s=<secret>; or use DTLS"));
        }
        return authenticator.authenticate(PROTOCOL, id, secret, exchange.getSourceAddress().getHostAddress()).compose(device -> {
            CoapAccess access = registry.current().coapAccess(device.id());
            if (access == null || !access.plainAllowed()) {
                return Future.failedFuture(new Refusal(ResponseCode.UNAUTHORIZED,
                        "plain CoAP is not allowed for this device: use DTLS"));
            }
            return Future.succeededFuture(device);
        });
    }

    private Future<Void> ingest(CoapExchange exchange, Device device, Context context) {
        IngestPipeline.Format format = format(exchange.getRequestOptions().getContentFormat());
        if (format == null) {
            metrics.rejected(PROTOCOL, "unsupported-media-type");
            return Future.failedFuture(new Refusal(ResponseCode.UNSUPPORTED_CONTENT_FORMAT,
                    "send content-format 110 (application/senml+json) or 112 (application/senml+cbor)"));
        }
        byte[] payload = exchange.getRequestPayload();
        PreparedPack pack = pipeline.prepare(PROTOCOL, device, payload, 0, payload.length, format);
        PackSink.Offer offer = sink.offer(pack);
        if (offer.full()) {
            pipeline.dropped(pack);
            // NON is best effort: dropped and counted as such; CON is refused so that the device retries.
            boolean confirmable = exchange.advanced().getRequest().getType() == Type.CON;
            metrics.messages(PROTOCOL, confirmable ? "overloaded" : "dropped");
            respond(exchange, ResponseCode.SERVICE_UNAVAILABLE, "the gateway is saturated; retry later", 1);
            return Future.succeededFuture();
        }
        Promise<Void> onContext = Promise.promise();
        // Completed on the writer's thread: one hop to this exchange's Vert.x context.
        offer.committed().onComplete(ar -> context.runOnContext(v -> onContext.handle(ar)));
        return onContext.future().transform(ar -> {
            if (ar.failed()) {
                log.warn("commit failed [device: {}]: {}", device.id(), ar.cause().toString());
                metrics.messages(PROTOCOL, "failed");
                respond(exchange, ResponseCode.SERVICE_UNAVAILABLE, "the readings could not be stored; retry later", 5);
            } else {
                answer(exchange, pack);
            }
            return Future.succeededFuture();
        });
    }

    private void answer(CoapExchange exchange, PreparedPack pack) {
        switch (pack.verdict()) {
            case ACCEPTED -> {
                metrics.messages(PROTOCOL, "committed");
                exchange.respond(ResponseCode.CHANGED);
            }
            case PARTIAL -> {
                metrics.messages(PROTOCOL, "committed");
                String summary = new JsonObject().put("accepted", pack.accepted()).put("rejected", pack.rejected())
                        .put("problem", clip(pack.problem())).encode();
                exchange.respond(ResponseCode.CHANGED, summary, MediaTypeRegistry.APPLICATION_JSON);
            }
            case FORBIDDEN -> {
                metrics.messages(PROTOCOL, "rejected");
                respond(exchange, ResponseCode.FORBIDDEN, pack.problem(), null);
            }
            case TOO_LARGE -> {
                metrics.messages(PROTOCOL, "rejected");
                Response response = diagnostic(ResponseCode.REQUEST_ENTITY_TOO_LARGE, pack.problem());
                response.getOptions().setSize1(settings.maxPayloadBytes()); // RFC 7959 §4: the largest accepted
                exchange.respond(response);
            }
            case INVALID -> {
                metrics.messages(PROTOCOL, "rejected");
                respond(exchange, ResponseCode.BAD_REQUEST, pack.problem(), null);
            }
        }
    }

    private void refuse(CoapExchange exchange, Throwable failure) {
        if (failure instanceof Refusal refusal) {
            metrics.messages(PROTOCOL, refusal.code == ResponseCode.UNAUTHORIZED ? "unauthorized" : "rejected");
            respond(exchange, refusal.code, refusal.getMessage(), null);
        } else if (failure instanceof AuthException auth) {
            if (auth.reason() == AuthException.Reason.BUSY) {
                metrics.messages(PROTOCOL, "overloaded");
                respond(exchange, ResponseCode.SERVICE_UNAVAILABLE, "too many authentications in progress", 1);
            } else if (auth.reason() == AuthException.Reason.THROTTLED) {
                // RFC 8516: 4.29 with Max-Age, the brake on credential guessing.
                metrics.messages(PROTOCOL, "unauthorized");
                respond(exchange, ResponseCode.TOO_MANY_REQUESTS, "too many failed authentications; retry later",
                        (int) Math.max(1, auth.retryAfter().toSeconds()));
            } else {
                metrics.messages(PROTOCOL, "unauthorized");
                respond(exchange, ResponseCode.UNAUTHORIZED, "unknown device or wrong secret", null);
            }
        } else {
            log.warn("CoAP request failed: {}", failure.toString());
            metrics.messages(PROTOCOL, "failed");
            respond(exchange, ResponseCode.INTERNAL_SERVER_ERROR, "internal error", null);
        }
    }

    private static void respond(CoapExchange exchange, ResponseCode code, String diagnostic, Integer maxAgeSeconds) {
        Response response = diagnostic(code, diagnostic);
        if (maxAgeSeconds != null) {
            response.getOptions().setMaxAge(maxAgeSeconds); // RFC 7252 §5.9.3.4: when to retry
        }
        exchange.respond(response);
    }

    private static Response diagnostic(ResponseCode code, String text) {
        Response response = new Response(code);
        if (text != null) {
            response.setPayload(clip(text));
        }
        return response;
    }

    private static String clip(String text) {
        return text == null || text.length() <= MAX_DIAGNOSTIC_CHARS ? text : text.substring(0, MAX_DIAGNOSTIC_CHARS - 3) + "...";
    }

    /** Content-formats 110/112 of the contract; plain JSON (50) and CBOR (60) are read alike. */
    static IngestPipeline.Format format(int contentFormat) {
        return switch (contentFormat) {
            case MediaTypeRegistry.APPLICATION_SENML_JSON, MediaTypeRegistry.APPLICATION_JSON -> IngestPipeline.Format.JSON;
            case MediaTypeRegistry.APPLICATION_SENML_CBOR, MediaTypeRegistry.APPLICATION_CBOR -> IngestPipeline.Format.CBOR;
            default -> null;
        };
    }

    /** A request refused before its pack was written: its code and diagnostic. */
    private static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient ResponseCode code;

        Refusal(ResponseCode code, String diagnostic) {
            super(diagnostic, null, false, false);
            this.code = code;
        }
    }
}
