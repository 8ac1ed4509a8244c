package fr.gardien.gateway.ingest.http;

import fr.gardien.gateway.web.Problem;
import fr.gardien.gateway.auth.AuthException;
import fr.gardien.gateway.auth.DeviceAuthenticator;
import fr.gardien.gateway.ingest.IngestMetrics;
import fr.gardien.gateway.ingest.IngestPipeline;
import fr.gardien.gateway.ingest.PackSink;
import fr.gardien.gateway.ingest.PreparedPack;
import fr.gardien.gateway.ingest.Reasons;
import fr.gardien.model.Device;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/telemetry}: a device sends a SenML pack with HTTP Basic credentials.
 * {@code 204} once every record is committed; {@code 200} with the list of rejected records when
 * only some are; {@code 400}/{@code 403} when none is; {@code 401}, {@code 413}, {@code 415};
 * {@code 503} with {@code Retry-After} when the writer is saturated or the commit failed.
 */
public final class TelemetryHandler implements Handler<RoutingContext> {

    private static final Logger log = LoggerFactory.getLogger(TelemetryHandler.class);
    private static final String PROTOCOL = "http";

    /** Telemetry requests being read or processed at once, beyond which new ones get 503: bodies are buffered. */
    public static final int MAX_IN_FLIGHT = 256;

    private final DeviceAuthenticator authenticator;
    private final IngestPipeline pipeline;
    private final PackSink sink;
    private final IngestMetrics metrics;
    private final AtomicInteger inFlight = new AtomicInteger();

    public TelemetryHandler(DeviceAuthenticator authenticator, IngestPipeline pipeline, PackSink sink, IngestMetrics metrics) {
        this.authenticator = authenticator;
        this.pipeline = pipeline;
        this.sink = sink;
        this.metrics = metrics;
    }

    /**
     * Runs before the body is read: bounds the memory of buffered bodies to
     * {@link #MAX_IN_FLIGHT} × {@code ingest.max-payload-bytes}.
     */
    public void admit(RoutingContext ctx) {
        if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
            inFlight.decrementAndGet();
            metrics.messages(PROTOCOL, "overloaded");
            Problem.unavailable(ctx, 1, "too many telemetry requests in progress; retry later");
            return;
        }
        ctx.addEndHandler(ar -> inFlight.decrementAndGet());
        ctx.next();
    }

    /** Counts a body refused for its size before it reached the pipeline. */
    public void tooLarge() {
        metrics.messages(PROTOCOL, "rejected");
        metrics.rejected(PROTOCOL, Reasons.PAYLOAD_TOO_LARGE);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String[] credentials = basicCredentials(ctx.request().getHeader("Authorization"));
        if (credentials == null) {
            metrics.messages(PROTOCOL, "unauthorized");
            Problem.unauthorized(ctx, "Basic", "device credentials are required: Authorization: Basic <device id:secret>");
            return;
        }
        authenticator.authenticate(PROTOCOL, credentials[0], credentials[1], ctx.request().remoteAddress() == null ? null
                : ctx.request().remoteAddress().hostAddress())
                .onSuccess(device -> ingest(ctx, device))
                .onFailure(e -> {
                    if (e instanceof AuthException a && a.reason() == AuthException.Reason.BUSY) {
                        metrics.messages(PROTOCOL, "overloaded");
                        Problem.unavailable(ctx, 1, "too many authentications in progress");
                    } else if (e instanceof AuthException a && a.reason() == AuthException.Reason.THROTTLED) {
                        metrics.messages(PROTOCOL, "unauthorized");
                        Problem.throttled(ctx, a.retryAfter());
                    } else {
                        metrics.messages(PROTOCOL, "unauthorized");
                        Problem.unauthorized(ctx, "Basic", "unknown device or wrong secret");
                    }
                });
    }

    private void ingest(RoutingContext ctx, Device device) {
        IngestPipeline.Format format = format(ctx.request().getHeader("Content-Type"));
        if (format == null) {
            metrics.messages(PROTOCOL, "rejected");
            metrics.rejected(PROTOCOL, "unsupported-media-type");
            Problem.send(ctx, 415, "unsupported-media-type", "Unsupported media type",
                    "send application/senml+json or application/senml+cbor");
            return;
        }
        Buffer body = ctx.body().buffer();
        byte[] bytes = body == null ? new byte[0] : body.getBytes();
        PreparedPack pack = pipeline.prepare(PROTOCOL, device, bytes, 0, bytes.length, format);
        PackSink.Offer offer = sink.offer(pack);
        if (offer.full()) {
            pipeline.dropped(pack);
            metrics.messages(PROTOCOL, "overloaded");
            Problem.unavailable(ctx, 1, "the gateway is saturated; retry later");
            return;
        }
        Context context = ctx.vertx().getOrCreateContext();
        // Completed on the writer's thread: one hop to this request's event loop.
        offer.committed().onComplete(ar -> context.runOnContext(v -> {
            if (ar.failed()) {
                log.warn("commit failed [device: {}]: {}", device.id(), ar.cause().toString());
                metrics.messages(PROTOCOL, "failed");
                Problem.unavailable(ctx, 5, "the readings could not be stored; retry later");
                return;
            }
            respond(ctx, pack);
        }));
    }

    private void respond(RoutingContext ctx, PreparedPack pack) {
        switch (pack.verdict()) {
            case ACCEPTED -> {
                metrics.messages(PROTOCOL, "committed");
                ctx.response().setStatusCode(204).end();
            }
            case PARTIAL -> {
                metrics.messages(PROTOCOL, "committed");
                JsonArray rejected = new JsonArray();
                pack.batch().quarantined().forEach(q -> rejected.add(new JsonObject()
                        .put("reason", q.reason()).put("point", q.pointKey()).put("detail", q.detail())));
                ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("accepted", pack.accepted()).put("rejected", rejected).encode());
            }
            case FORBIDDEN -> {
                metrics.messages(PROTOCOL, "rejected");
                Problem.forbidden(ctx, pack.problem());
            }
            case TOO_LARGE -> {
                metrics.messages(PROTOCOL, "rejected");
                Problem.send(ctx, 413, "payload-too-large", "Payload too large", pack.problem());
            }
            case INVALID -> {
                metrics.messages(PROTOCOL, "rejected");
                Problem.badRequest(ctx, "invalid-senml", pack.problem());
            }
        }
    }

    private static IngestPipeline.Format format(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase();
        return switch (type) {
            case "application/senml+json", "application/json" -> IngestPipeline.Format.JSON;
            case "application/senml+cbor", "application/cbor" -> IngestPipeline.Format.CBOR;
            default -> null;
        };
    }

    /** {@code [id, secret]} from an {@code Authorization: Basic} header, or {@code null}. */
    static String[] basicCredentials(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }
}
