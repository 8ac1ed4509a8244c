package fr.gardien.gateway.ingest.mqtt;

import fr.gardien.gateway.registry.RegistryView;
import fr.gardien.gateway.auth.AuthException;
import fr.gardien.gateway.auth.DeviceAuthenticator;
import fr.gardien.gateway.ingest.Backpressure;
import fr.gardien.gateway.ingest.IngestMetrics;
import fr.gardien.gateway.ingest.IngestPipeline;
import fr.gardien.gateway.ingest.PackSink;
import fr.gardien.gateway.registry.Registry;
import fr.gardien.model.Device;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.mqtt.MqttAuth;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT server (vertx-mqtt: a server, not a broker). Authenticates each CONNECT with the
 * device id as username and its secret as password, then hands the connection to a
 * {@link MqttConnection}. Deployed once per event loop on the same port.
 */
public final class MqttIngestVerticle extends VerticleBase {

    private static final Logger log = LoggerFactory.getLogger(MqttIngestVerticle.class);

    private final MqttSettings settings;
    private final DeviceAuthenticator authenticator;
    private final IngestPipeline pipeline;
    private final PackSink sink;
    private final Backpressure backpressure;
    private final RegistryView registry;
    private final IngestMetrics metrics;
    private final MqttConnections connections;
    private MqttServer server;

    /**
     * @param connections the live connections of all instances, for a shutdown that waits for
     *     their acknowledgements
     */
    public MqttIngestVerticle(MqttSettings settings, DeviceAuthenticator authenticator, IngestPipeline pipeline, PackSink sink,
            Backpressure backpressure, RegistryView registry, IngestMetrics metrics, MqttConnections connections) {
        this.settings = settings;
        this.authenticator = authenticator;
        this.pipeline = pipeline;
        this.sink = sink;
        this.backpressure = backpressure;
        this.registry = registry;
        this.metrics = metrics;
        this.connections = connections;
    }

    /** The bound port, once started. */
    public int actualPort() {
        return server.actualPort();
    }

    @Override
    public Future<?> start() {
        MqttServerOptions options = new MqttServerOptions()
                .setHost(settings.host())
                .setPort(settings.port())
                .setMaxMessageSize(settings.maxMessageBytes())
                // Counted in decoded packets, not bytes: garbage, a half-sent CONNECT and one
                // announcing more than the maximum (its decoder then discards all) close at it.
                .setTimeoutOnConnect((int) Math.max(1, settings.connectTimeout().toSeconds()));
        settings.tls().ifPresent(tls -> tls.applyTo(options));
        // vertx-mqtt closes a connection that sends a packet before its CONNECT was accepted, then
        // throws on the event loop: expected from broken or hostile clients, not an error of ours.
        context.exceptionHandler(e -> {
            if (e instanceof IllegalArgumentException && String.valueOf(e.getMessage()).contains("not connected client")) {
                log.debug("packet before CONNACK, connection closed: {}", e.getMessage());
            } else {
                log.error("unhandled exception in the MQTT server", e);
            }
        });
        server = MqttServer.create(vertx, options).endpointHandler(this::onConnect)
                .exceptionHandler(e -> log.debug("MQTT protocol error: {}", e.toString()));
        return server.listen();
    }

    @Override
    public Future<?> stop() {
        return server.close();
    }

    private void onConnect(MqttEndpoint endpoint) {
        boolean v5 = endpoint.protocolVersion() == 5;
        MqttAuth auth = endpoint.auth();
        String deviceId = auth == null ? null : auth.getUsername();
        String secret = auth == null ? null : auth.getPassword();
        if (!MqttUtf8.wellFormed(deviceId) || !MqttUtf8.wellFormed(endpoint.clientIdentifier())) {
            // MQTT 3.1.1 §1.5.3, MQTT 5 §1.5.4: a malformed CONNECT closes the connection, unanswered.
            metrics.messages(MqttConnection.PROTOCOL, "malformed");
            log.debug("CONNECT with ill-formed UTF-8 or a forbidden character, closing");
            endpoint.close();
            return;
        }
        // The client may go away while its credentials are being checked; then nothing is registered.
        boolean[] closedEarly = new boolean[1];
        endpoint.closeHandler(v -> closedEarly[0] = true);
        String address = endpoint.remoteAddress() == null ? null : endpoint.remoteAddress().hostAddress();
        authenticate(endpoint, deviceId, secret, address).onComplete(ar -> {
            if (closedEarly[0]) {
                return;
            }
            if (ar.failed()) {
                refuse(endpoint, v5, ar.cause());
                return;
            }
            MqttProperties properties = new MqttProperties();
            if (v5) {
                // MQTT 5 §3.2.2.3: tell the client how far it may go, so that a compliant one
                // never exceeds what we park for it.
                properties.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.RECEIVE_MAXIMUM.value(),
                        settings.maxPendingPerConnection()));
                properties.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.MAXIMUM_QOS.value(), 1));
                // Larger packets close the connection (vertx-mqtt's decoder limit), so say where it is.
                properties.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.MAXIMUM_PACKET_SIZE.value(),
                        settings.maxMessageBytes()));
                properties.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.RETAIN_AVAILABLE.value(), 0));
                properties.add(new MqttProperties.IntegerProperty(
                        MqttProperties.MqttPropertyType.WILDCARD_SUBSCRIPTION_AVAILABLE.value(), 0));
                properties.add(new MqttProperties.IntegerProperty(
                        MqttProperties.MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE.value(), 0));
            }
            MqttConnection connection = new MqttConnection(endpoint, ar.result(), context, pipeline, sink, backpressure, registry,
                    metrics, settings, connections);
            connections.add(connection);
            connection.start();
            endpoint.closeHandler(v -> {
                connections.remove(connection);
                connection.closed();
            });
            endpoint.accept(false, properties);
            metrics.connectionOpened(MqttConnection.PROTOCOL);
            log.debug("device connected [device: {}, client: {}, mqtt: {}]", deviceId, endpoint.clientIdentifier(),
                    endpoint.protocolVersion());
        });
    }

    /**
     * By id and secret; or, on a listener with {@code mqtt.tls.client-ca}, by the client
     * certificate the handshake verified: its subject's CN is the device id, and a username, when
     * one is sent, must be that id (a password is not needed and not checked).
     */
    private Future<Device> authenticate(MqttEndpoint endpoint, String username, String secret, String address) {
        if (settings.tls().isEmpty() || !settings.tls().get().authenticatesByCertificate()) {
            return authenticator.authenticate(MqttConnection.PROTOCOL, username, secret, address);
        }
        String certified = ClientCertificates.deviceId(endpoint.isSsl() ? endpoint.sslSession() : null);
        if (certified == null || (username != null && !username.equals(certified))) {
            return Future.failedFuture(new AuthException(AuthException.Reason.BAD_CREDENTIALS,
                    "no client certificate, or its CN is not the username"));
        }
        return authenticator.authenticateByCertificate(MqttConnection.PROTOCOL, certified, address);
    }

    private void refuse(MqttEndpoint endpoint, boolean v5, Throwable cause) {
        AuthException.Reason reason = cause instanceof AuthException e ? e.reason() : AuthException.Reason.BAD_CREDENTIALS;
        boolean busy = reason == AuthException.Reason.BUSY;
        metrics.messages(MqttConnection.PROTOCOL, busy ? "overloaded" : "unauthorized");
        log.debug("connection refused [device: {}, reason: {}]",
                endpoint.auth() == null ? null : endpoint.auth().getUsername(), cause.getMessage());
        MqttConnectReturnCode code;
        if (busy) {
            code = v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_BUSY : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
        } else if (reason == AuthException.Reason.THROTTLED) {
            // The brake on guessing: MQTT 5 says so (0x9F); 3.1.1 has only "server unavailable".
            code = v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_CONNECTION_RATE_EXCEEDED
                    : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
        } else {
            // Contract: "0x87 not authorized" — unknown device and wrong secret look the same.
            code = v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5 : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
        }
        endpoint.reject(code);
    }
}
