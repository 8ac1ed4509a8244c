package fr.gardien.gateway.ingest.mqtt;

import fr.gardien.gateway.registry.RegistryView;
import fr.gardien.gateway.ingest.Backpressure;
import fr.gardien.gateway.ingest.IngestMetrics;
import fr.gardien.gateway.ingest.IngestPipeline;
import fr.gardien.gateway.ingest.PackSink;
import fr.gardien.gateway.ingest.PreparedPack;
import fr.gardien.gateway.ingest.Reasons;
import fr.gardien.gateway.ingest.Verdict;
import fr.gardien.gateway.registry.Registry;
import fr.gardien.model.Device;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated device connection. Every method runs on the connection's event loop, so its
 * state needs no locks.
 *
 * <p>QoS 1 publishes are acknowledged only after the transaction holding them committed, and in
 * the order received (MQTT 3.1.1 §4.6, MQTT 5 §4.6): acks wait in {@code inOrder} until every
 * earlier one can go. When the writer is full a publish is parked, not acknowledged, so the
 * client's in-flight window throttles it; QoS 0 is dropped and counted. A failed commit closes
 * the connection without acknowledging, so the client sends the message again after
 * reconnecting.
 */
final class MqttConnection {

    private static final Logger log = LoggerFactory.getLogger(MqttConnection.class);
    static final String PROTOCOL = "mqtt";

    private final MqttEndpoint endpoint;
    private final Device device;
    private final Context context;
    private final IngestPipeline pipeline;
    private final PackSink sink;
    private final Backpressure backpressure;
    private final RegistryView registry;
    private final IngestMetrics metrics;
    private final MqttSettings settings;
    private final String topic;
    private final boolean v5;
    private final ArrayDeque<Pending> inOrder = new ArrayDeque<>();
    private final ArrayDeque<Pending> parked = new ArrayDeque<>();
    private boolean closed;
    private long lastPacketNanos = System.nanoTime();
    /** inOrder's size, published for the shutdown thread. */
    private volatile int pendingAcks;

    private final MqttConnections connections;

    MqttConnection(MqttEndpoint endpoint, Device device, Context context, IngestPipeline pipeline, PackSink sink, Backpressure backpressure,
            RegistryView registry, IngestMetrics metrics, MqttSettings settings, MqttConnections connections) {
        this.connections = connections;
        this.endpoint = endpoint;
        this.device = device;
        this.context = context;
        this.pipeline = pipeline;
        this.sink = sink;
        this.backpressure = backpressure;
        this.registry = registry;
        this.metrics = metrics;
        this.settings = settings;
        this.topic = "telemetry/" + device.id();
        this.v5 = endpoint.protocolVersion() == 5;
    }

    /** Wires the endpoint's handlers; called once, after CONNACK. */
    void start() {
        endpoint.publishAutoAck(false);
        endpoint.publishHandler(this::onPublish);
        endpoint.subscribeHandler(subscribe -> {
            // Gardien is an ingestion endpoint, not a broker: nothing can be subscribed to.
            endpoint.subscribeAcknowledge(subscribe.messageId(),
                    subscribe.topicSubscriptions().stream().map(s -> MqttQoS.FAILURE).toList());
        });
        // A packet Netty could not decode (garbage, a topic longer than its packet, a size over
        // the maximum) leaves its decoder discarding everything after it: nothing more can be
        // read from this connection, so it is closed at once.
        endpoint.exceptionHandler(e -> {
            log.debug("connection error, closing [device: {}]: {}", device.id(), e.toString());
            if (e instanceof io.netty.handler.codec.DecoderException) {
                metrics.messages(PROTOCOL, "malformed");
            }
            close(MqttDisconnectReasonCode.MALFORMED_PACKET);
        });
        endpoint.pingHandler(v -> lastPacketNanos = System.nanoTime());
        scheduleIdleCheck(settings.idleTimeout().toNanos());
    }

    /**
     * A connection that sends no packet for {@code mqtt.idle-timeout} is closed, whatever keep
     * alive it asked for (0 included): vertx-mqtt only enforces a keep alive the client chose.
     */
    private void scheduleIdleCheck(long delayNanos) {
        context.owner().setTimer(Math.max(1, delayNanos / 1_000_000), id -> {
            if (closed) {
                return;
            }
            long idle = System.nanoTime() - lastPacketNanos;
            if (idle >= settings.idleTimeout().toNanos()) {
                log.debug("no packet within the idle timeout, closing [device: {}]", device.id());
                close(MqttDisconnectReasonCode.KEEP_ALIVE_TIMEOUT);
            } else {
                scheduleIdleCheck(settings.idleTimeout().toNanos() - idle);
            }
        });
    }

    /** Pending QoS 1 acknowledgements: for a graceful shutdown that waits for them. */
    int pendingAcks() {
        return pendingAcks;
    }

    private void onPublish(MqttPublishMessage message) {
        if (closed) {
            return;
        }
        lastPacketNanos = System.nanoTime();
        if (!MqttUtf8.wellFormed(message.topicName())) {
            // MQTT 3.1.1 §1.5.3, MQTT 5 §1.5.4: a malformed packet closes the connection; nothing
            // of it is acknowledged, stored or echoed back.
            log.debug("topic with ill-formed UTF-8, U+0000 or a forbidden character, closing [device: {}]", device.id());
            metrics.messages(PROTOCOL, "malformed");
            close(MqttDisconnectReasonCode.TOPIC_NAME_INVALID);
            return;
        }
        if (!device.equals(registry.current().device(device.id()))) {
            // Removed, moved to another site, or its secret rotated: what was authenticated at
            // CONNECT no longer holds.
            log.info("device changed or removed in the portfolio, closing its connection [device: {}]", device.id());
            metrics.messages(PROTOCOL, "unauthorized");
            close(MqttDisconnectReasonCode.NOT_AUTHORIZED);
            return;
        }
        if (message.qosLevel() == MqttQoS.EXACTLY_ONCE) {
            // CONNACK announced Maximum QoS 1 (MQTT 5 §3.2.2.3.4); a QoS 2 publish is a protocol error.
            metrics.messages(PROTOCOL, "rejected");
            close(MqttDisconnectReasonCode.QOS_NOT_SUPPORTED);
            return;
        }
        PreparedPack pack = prepare(message);
        if (message.qosLevel() == MqttQoS.AT_MOST_ONCE) {
            PackSink.Offer offer = sink.offer(pack);
            if (offer.full()) {
                pipeline.dropped(pack);
                metrics.messages(PROTOCOL, "dropped");
            } else {
                offer.committed().onComplete(ar -> metrics.messages(PROTOCOL, ar.succeeded() ? outcome(pack) : "failed"));
            }
            return;
        }
        Pending pending = new Pending(message.messageId(), pack);
        inOrder.addLast(pending);
        pendingAcks = inOrder.size();
        if (!parked.isEmpty() || !submit(pending)) {
            park(pending);
        }
    }

    private PreparedPack prepare(MqttPublishMessage message) {
        String name = message.topicName();
        if (name.length() > settings.maxTopicLength()) {
            return pipeline.refuse(PROTOCOL, device.id(), Reasons.WRONG_TOPIC,
                    "topic of " + name.length() + " characters exceeds the limit of " + settings.maxTopicLength(), Verdict.FORBIDDEN);
        }
        if (!name.equals(topic)) {
            return pipeline.refuse(PROTOCOL, device.id(), Reasons.WRONG_TOPIC,
                    "published to \"" + name + "\"; a device publishes to " + topic, Verdict.FORBIDDEN);
        }
        Buffer payload = message.payload();
        byte[] bytes = payload.getBytes();
        return pipeline.prepare(PROTOCOL, device, bytes, 0, bytes.length, IngestPipeline.Format.JSON);
    }

    /** Offers a pack to the writer; false when it has no room. */
    private boolean submit(Pending pending) {
        PackSink.Offer offer = sink.offer(pending.pack);
        if (offer.full()) {
            return false;
        }
        // Completed on the writer's thread: one hop to this connection's event loop.
        offer.committed().onComplete(ar -> context.runOnContext(v -> {
            pending.done = true;
            pending.failure = ar.cause();
            flushAcks();
        }));
        return true;
    }

    private void park(Pending pending) {
        if (parked.size() >= settings.maxPendingPerConnection() || !backpressure.reserve(pending.pack.batch().rows())) {
            refuseOverQuota(pending);
            return;
        }
        boolean first = parked.isEmpty();
        parked.addLast(pending);
        metrics.messages(PROTOCOL, "overloaded");
        if (first) {
            backpressure.awaitDrain(context, this::retryParked);
        }
    }

    private void retryParked() {
        while (!closed && !parked.isEmpty()) {
            Pending head = parked.peekFirst();
            if (!submit(head)) {
                backpressure.awaitDrain(context, this::retryParked);
                return;
            }
            parked.pollFirst();
            backpressure.release(head.pack.batch().rows());
        }
    }

    /**
     * The connection already has {@code mqtt.max-pending-per-connection} publishes waiting for
     * the writer, or the global parking budget is spent: MQTT 5 learns it by reason code 0x97;
     * MQTT 3.1.1 has no negative acknowledgement, so the connection is closed and the client
     * resends after reconnecting.
     */
    private void refuseOverQuota(Pending pending) {
        pipeline.dropped(pending.pack);
        if (v5) {
            pending.done = true;
            pending.quotaExceeded = true;
            flushAcks();
        } else {
            log.warn("writer saturated and parking budget spent: closing an MQTT 3.1.1 connection [device: {}]", device.id());
            close(null);
        }
    }

    private void flushAcks() {
        while (!closed && !inOrder.isEmpty() && inOrder.peekFirst().done) {
            Pending pending = inOrder.pollFirst();
            pendingAcks = inOrder.size();
            if (pending.failure != null) {
                if (connections.isStopping()) {
                    log.debug("gateway stopping, closing the connection without acknowledging [device: {}]", device.id());
                } else {
                    log.warn("commit failed, closing the connection without acknowledging [device: {}]: {}",
                            device.id(), pending.failure.toString());
                }
                metrics.messages(PROTOCOL, "failed");
                close(MqttDisconnectReasonCode.UNSPECIFIED_ERROR);
                return;
            }
            acknowledge(pending);
        }
    }

    private void acknowledge(Pending pending) {
        Verdict verdict = pending.pack.verdict();
        if (pending.quotaExceeded) {
            metrics.messages(PROTOCOL, "dropped");
            endpoint.publishAcknowledge(pending.messageId, MqttPubAckReasonCode.QUOTA_EXCEEDED, MqttProperties.NO_PROPERTIES);
            return;
        }
        metrics.messages(PROTOCOL, outcome(pending.pack));
        if (!v5) {
            // MQTT 3.1.1 has no negative PUBACK: the rejected records are in the quarantine.
            endpoint.publishAcknowledge(pending.messageId);
            return;
        }
        MqttPubAckReasonCode code = switch (verdict) {
            case ACCEPTED, PARTIAL -> MqttPubAckReasonCode.SUCCESS;
            case FORBIDDEN -> MqttPubAckReasonCode.NOT_AUTHORIZED;
            case INVALID, TOO_LARGE -> MqttPubAckReasonCode.PAYLOAD_FORMAT_INVALID;
        };
        MqttProperties properties = MqttProperties.NO_PROPERTIES;
        if (pending.pack.problem() != null) {
            properties = new MqttProperties();
            // The reason's key only, never the detail: a detail can repeat what the client sent
            // (a topic, a record name), which may not be valid in a Reason String (MQTT 5 §1.5.4).
            String reason = pending.pack.rejected() + " record(s) rejected, first: " + pending.pack.firstReason()
                    + " (details in the quarantine)";
            properties.add(new MqttProperties.StringProperty(MqttProperties.MqttPropertyType.REASON_STRING.value(), reason));
        }
        endpoint.publishAcknowledge(pending.messageId, code, properties);
    }

    /** A committed message counts as committed when some of its readings were stored, else rejected. */
    private static String outcome(PreparedPack pack) {
        return pack.verdict() == Verdict.ACCEPTED || pack.verdict() == Verdict.PARTIAL ? "committed" : "rejected";
    }

    private void close(MqttDisconnectReasonCode reason) {
        if (closed) {
            return;
        }
        closed = true;
        pendingAcks = 0;
        releaseParked();
        // The peer may have gone already (the close event not yet handled): vertx-mqtt throws
        // "MQTT endpoint is closed" then, which must not escape into the event loop.
        try {
            if (v5 && reason != null && endpoint.isConnected()) {
                endpoint.disconnect(reason, MqttProperties.NO_PROPERTIES);
            }
            endpoint.close();
        } catch (IllegalArgumentException | IllegalStateException e) {
            log.debug("endpoint already closed [device: {}]", device.id());
        }
    }

    /**
     * The gateway is stopping and the writer takes no more work: publishes still parked will
     * never be written, so the connection is closed without acknowledging them (the client
     * resends them elsewhere or after the restart). Runs on the connection's context.
     */
    void abandonParked() {
        context.runOnContext(v -> {
            if (!parked.isEmpty()) {
                close(MqttDisconnectReasonCode.SERVER_SHUTTING_DOWN);
            }
        });
    }

    /** The endpoint closed, by either side. */
    void closed() {
        if (!closed) {
            closed = true;
            releaseParked();
        }
        pendingAcks = 0;
        metrics.connectionClosed(PROTOCOL);
        log.debug("connection closed [device: {}, unacknowledged: {}]", device.id(), inOrder.size());
    }

    private void releaseParked() {
        for (Pending pending : parked) {
            backpressure.release(pending.pack.batch().rows());
            pipeline.dropped(pending.pack);
        }
        parked.clear();
    }

    private static final class Pending {
        final int messageId;
        final PreparedPack pack;
        boolean done;
        boolean quotaExceeded;
        Throwable failure;

        Pending(int messageId, PreparedPack pack) {
            this.messageId = messageId;
            this.pack = pack;
        }
    }
}
