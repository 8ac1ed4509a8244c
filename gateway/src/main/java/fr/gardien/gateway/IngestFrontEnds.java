package fr.gardien.gateway;

import fr.gardien.gateway.config.GardienConfig;
import fr.gardien.gateway.config.TlsListener;
import fr.gardien.gateway.ingest.Backpressure;
import fr.gardien.gateway.ingest.IngestLimits;
import fr.gardien.gateway.ingest.IngestPipeline;
import fr.gardien.gateway.ingest.PackSink;
import fr.gardien.gateway.ingest.coap.CoapIngestServer;
import fr.gardien.gateway.ingest.coap.CoapSettings;
import fr.gardien.gateway.ingest.coap.CoapTelemetryHandler;
import fr.gardien.gateway.ingest.http.TelemetryHandler;
import fr.gardien.gateway.ingest.http.TelemetryRoutes;
import fr.gardien.gateway.ingest.mqtt.MqttConnections;
import fr.gardien.gateway.ingest.mqtt.MqttIngestVerticle;
import fr.gardien.gateway.ingest.mqtt.MqttSettings;
import fr.gardien.gateway.ingest.senml.SenmlDecoder;
import fr.gardien.gateway.ingest.senml.SenmlLimits;
import fr.gardien.gateway.ops.GatewayMetrics;
import fr.gardien.gateway.web.Routes;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The protocol front-ends: MQTT and CoAP servers, and the HTTP telemetry route (mounted by the
 * HTTP server with the API's). They authenticate devices, check packs ({@link IngestPipeline})
 * and hand them to a {@link PackSink}; they know nothing of what is behind it.
 */
final class IngestFrontEnds {

    /** CoAP requests in progress at once (authenticating or waiting for their commit); beyond: 5.03. */
    private static final int COAP_MAX_PENDING_REQUESTS = 1024;

    private final MqttConnections mqttConnections = new MqttConnections();
    private final TelemetryRoutes telemetry;
    private final int mqttPort;
    private final int mqttTlsPort;
    private final Optional<TlsListener> mqttTls;
    private final CoapTelemetryHandler coapHandler;
    private final CoapIngestServer coap;

    private IngestFrontEnds(GardienConfig config, Platform platform, PackSink sink, GatewayMetrics metrics) {
        IngestLimits limits = new IngestLimits(config.ingest().maxPayloadBytes(), config.ingest().maxFuture(),
                config.storage().retention());
        IngestPipeline pipeline = new IngestPipeline(new SenmlDecoder(new SenmlLimits(config.ingest().maxRecordsPerPack())),
                platform.registry(), limits, metrics, Clock.systemUTC());
        Backpressure backpressure = new Backpressure(sink, config.writer().queueCapacity());
        metrics.gauge("gardien.ingest.parked.readings", "Readings of QoS 1 publishes waiting for room in the writer",
                backpressure::parkedReadings);

        int instances = Platform.instances();
        MqttSettings mqtt = new MqttSettings(config.mqtt().host(), config.mqtt().port(), config.ingest().maxTopicLength(),
                config.mqtt().maxPendingPerConnection(), config.ingest().maxPayloadBytes() + config.ingest().maxTopicLength() + 64,
                config.mqtt().connectTimeout(), config.mqtt().idleTimeout(), Optional.empty());
        // One deployment per listener; both share the pipeline, the writer's back-pressure and the connections.
        Function<MqttSettings, Integer> deployMqtt = settings -> {
            MqttSettings bound = settings.withListener(Platform.concretePort(settings.host(), settings.port()), settings.tls());
            return platform.deploy(instances, () -> new MqttIngestVerticle(bound, platform.deviceAuth(), pipeline, sink,
                    backpressure, platform.registry(), metrics, mqttConnections), MqttIngestVerticle::actualPort);
        };
        mqttPort = config.mqtt().plainEnabled() ? deployMqtt.apply(mqtt) : -1;
        mqttTls = config.mqtt().tlsListener();
        mqttTlsPort = mqttTls.map(tls -> deployMqtt.apply(mqtt.withListener(tls.config().port(), Optional.of(tls)))).orElse(-1);

        telemetry = new TelemetryRoutes(new TelemetryHandler(platform.deviceAuth(), pipeline, sink, metrics),
                config.ingest().maxPayloadBytes());

        CoapSettings coapSettings = new CoapSettings(config.coap().host(), config.coap().dtlsPort(), config.coap().port(),
                config.coap().plainEnabled(), config.ingest().maxPayloadBytes(), COAP_MAX_PENDING_REQUESTS,
                config.coap().maxSessions());
        coapHandler = new CoapTelemetryHandler(platform.deviceAuth(), pipeline, sink, platform.registry(), metrics, coapSettings,
                CoapTelemetryHandler.newContexts(platform.vertx(), instances));
        coap = CoapIngestServer.start(coapSettings, coapHandler, platform.registry(), metrics, platform.brake());
    }

    /** Binds the MQTT and CoAP servers; blocking. The HTTP route is in {@link #telemetryRoutes()}. */
    static IngestFrontEnds start(GardienConfig config, Platform platform, PackSink sink, GatewayMetrics metrics) {
        return new IngestFrontEnds(config, platform, sink, metrics);
    }

    /** {@code POST /api/v1/telemetry}, for the HTTP server. */
    Routes telemetryRoutes() {
        return telemetry;
    }

    /** The MQTT over TLS listener, when configured (its certificate is reloaded when its files change). */
    Optional<TlsListener> mqttTls() {
        return mqttTls;
    }

    /** The clear MQTT port, or -1 when {@code mqtt.plain-enabled} is false. */
    int mqttPort() {
        return mqttPort;
    }

    /** The MQTT over TLS port, or -1 when {@code mqtt.tls} is not configured. */
    int mqttTlsPort() {
        return mqttTlsPort;
    }

    int coapDtlsPort() {
        return coap.dtlsPort();
    }

    int coapDtlsConnections() {
        return coap.dtlsConnections();
    }

    int coapPort() {
        return coap.plainPort();
    }

    /** The gateway is stopping: commit failures are expected from now on. */
    void beginStop() {
        mqttConnections.beginStop();
        coapHandler.beginStop();
    }

    /** After the writer closed: connections with publishes still parked are closed without acknowledgement. */
    void abandonParked() {
        mqttConnections.abandonParked();
    }

    /** Waits, at most {@code timeout}, for the acknowledgements of what was committed; blocking. */
    void drainAcks(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while ((mqttConnections.pendingAcks() > 0 || coapHandler.pending() > 0) && System.nanoTime() < deadline) {
            Blocking.sleep(10);
        }
    }

    /** Closes the CoAP server (the MQTT verticles go with the deployments). */
    void closeCoap() {
        coap.close();
    }
}
