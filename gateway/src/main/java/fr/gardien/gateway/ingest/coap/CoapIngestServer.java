package fr.gardien.gateway.ingest.coap;

import fr.gardien.gateway.auth.AuthBrake;
import fr.gardien.gateway.registry.RegistryView;
import fr.gardien.gateway.ingest.IngestMetrics;
import fr.gardien.gateway.registry.Registry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.UDPConnector;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.SystemConfig;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.ConnectionListener;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.DtlsHealth;
import org.eclipse.californium.scandium.DtlsHealthExtended;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CoAP server (Eclipse Californium): {@code /telemetry} on a DTLS-PSK endpoint, and on a plain
 * UDP endpoint only when the configuration enables it. Californium keeps its own threads for the
 * protocol; the resource hands each exchange to {@link CoapTelemetryHandler}, which moves it onto
 * a Vert.x context. Starting binds the sockets (blocking): call it from a start-up thread.
 */
public final class CoapIngestServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CoapIngestServer.class);

    private final CoapServer server;
    private final DTLSConnector dtls;
    private final CoapEndpoint plainEndpoint;
    private final StoreSize store;

    private CoapIngestServer(CoapServer server, DTLSConnector dtls, CoapEndpoint plainEndpoint, StoreSize store) {
        this.server = server;
        this.dtls = dtls;
        this.plainEndpoint = plainEndpoint;
        this.store = store;
    }

    /**
     * Binds the ports and starts serving.
     *
     * @throws UncheckedIOException when a port cannot be bound
     */
    public static CoapIngestServer start(CoapSettings settings, CoapTelemetryHandler handler, RegistryView registry,
            IngestMetrics metrics, AuthBrake authBrake) {
        // Californium's configuration from code only: never its default file in the working directory.
        Configuration config = new Configuration(CoapConfig.DEFINITIONS, DtlsConfig.DEFINITIONS, UdpConfig.DEFINITIONS,
                SystemConfig.DEFINITIONS);
        config.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, settings.maxPayloadBytes());
        config.set(DtlsConfig.DTLS_ROLE, DtlsRole.SERVER_ONLY);
        // Bounded state (issue 15): at most maxSessions connections, handshakes included. A first
        // ClientHello costs no state (HelloVerifyRequest, a stateless cookie); an abandoned handshake
        // is dropped when its server flight's retransmissions run out (2, 4, 8, 16, 32 s: a minute or more).
        config.set(DtlsConfig.DTLS_MAX_CONNECTIONS, settings.maxSessions());
        config.set(DtlsConfig.DTLS_USE_HELLO_VERIFY_REQUEST, true);
        DtlsBrake brake = new DtlsBrake(authBrake);
        StoreSize store = new StoreSize();
        DevicePskStore keys = new DevicePskStore(registry, metrics, brake);
        DTLSConnector dtls = new DTLSConnector(DtlsConnectorConfig.builder(config)
                .setAddress(new InetSocketAddress(settings.host(), settings.dtlsPort()))
                .setAdvancedPskStore(keys)
                .setApplicationLevelInfoSupplier(keys)
                .setDatagramFilter(brake)
                .setConnectionListener(new SessionGauge(metrics, brake))
                .setHealthHandler(store)
                .setLoggingTag("gardien-coaps")
                .build());
        CoapServer server = new CoapServer(config);
        server.addEndpoint(new CoapEndpoint.Builder().setConfiguration(config).setConnector(dtls).build());
        CoapEndpoint plain = null;
        if (settings.plainEnabled()) {
            plain = new CoapEndpoint.Builder().setConfiguration(config)
                    .setConnector(new UDPConnector(new InetSocketAddress(settings.host(), settings.plainPort()), config))
                    .build();
            server.addEndpoint(plain);
        }
        handler.onStaleSession(dtls::close);
        server.add(new TelemetryResource(handler));
        try {
            server.start();
        } catch (IllegalStateException e) {
            // none could start; reported below
        }
        // Californium runs on when only some endpoints started: a port that did not bind must stop start-up.
        if (!dtls.isRunning() || (plain != null && !plain.isStarted())) {
            server.destroy();
            throw new UncheckedIOException(new IOException("CoAP server could not bind its UDP ports [dtls: "
                    + settings.host() + ":" + settings.dtlsPort() + (plain == null ? "" : ", plain: " + settings.host()
                    + ":" + settings.plainPort()) + "]"));
        }
        CoapIngestServer started = new CoapIngestServer(server, dtls, plain, store);
        log.info("CoAP server started [dtls-psk: {}, plain: {}]", dtls.getAddress(),
                plain == null ? "disabled" : plain.getAddress());
        return started;
    }

    /** The bound DTLS port. */
    public int dtlsPort() {
        return dtls.getAddress().getPort();
    }

    /** DTLS connections in Scandium's store now: handshakes in progress and sessions. */
    public int dtlsConnections() {
        dtls.updateHealth();
        return store.connections;
    }

    /** The bound plain port, or -1 when plain CoAP is disabled. */
    public int plainPort() {
        return plainEndpoint == null ? -1 : plainEndpoint.getAddress().getPort();
    }

    /** Stops the endpoints and frees their threads and ports. */
    @Override
    public void close() {
        server.destroy();
    }

    /** Scandium's health hook, used only for the size of its connection store ({@link #dtlsConnections()}). */
    private static final class StoreSize implements DtlsHealth, DtlsHealthExtended {
        private volatile int connections;

        @Override
        public void setConnections(int count) {
            connections = count;
        }

        @Override
        public boolean isEnabled() {
            return true;
        }

        @Override
        public void dump(String tag, int maxConnections, int remainingCapacity, int pendingWithoutVerify) {
        }

        @Override
        public void startHandshake() {
        }

        @Override
        public void endHandshake(boolean success) {
        }

        @Override
        public void receivingRecord(boolean dropped) {
        }

        @Override
        public void sendingRecord(boolean dropped) {
        }
    }

    /** The single resource: Californium calls it on its own threads. */
    private static final class TelemetryResource extends CoapResource {
        private final CoapTelemetryHandler handler;

        TelemetryResource(CoapTelemetryHandler handler) {
            super("telemetry");
            this.handler = handler;
            getAttributes().setTitle("Gardien telemetry: POST SenML (content-format 110 or 112)");
        }

        @Override
        public void handlePOST(CoapExchange exchange) {
            handler.handle(exchange);
        }
    }

    /**
     * Established DTLS sessions, as the connection gauge of protocol {@code coap}; and for the
     * brake, the successes and the connection each of Scandium's jobs handles.
     */
    private static final class SessionGauge implements ConnectionListener {
        private final IngestMetrics metrics;
        private final DtlsBrake brake;
        private final Set<Connection> established = ConcurrentHashMap.newKeySet();

        SessionGauge(IngestMetrics metrics, DtlsBrake brake) {
            this.metrics = metrics;
            this.brake = brake;
        }

        @Override
        public void onConnectionEstablished(Connection connection) {
            brake.established(connection);
            if (established.add(connection)) {
                metrics.connectionOpened(CoapTelemetryHandler.PROTOCOL);
            }
        }

        @Override
        public void onConnectionRemoved(Connection connection) {
            if (established.remove(connection)) {
                metrics.connectionClosed(CoapTelemetryHandler.PROTOCOL);
            }
        }

        @Override
        public boolean onConnectionUpdatesSequenceNumbers(Connection connection, boolean writeSequenceNumber) {
            return false;
        }

        @Override
        public boolean onConnectionMacError(Connection connection) {
            return false;
        }

        @Override
        public void beforeExecution(Connection connection) {
            brake.enter(connection);
        }

        @Override
        public void updateExecution(Connection connection) {
            brake.enter(connection);
        }

        @Override
        public void afterExecution(Connection connection) {
            brake.leave();
        }
    }
}
