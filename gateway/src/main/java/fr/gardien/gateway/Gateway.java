package fr.gardien.gateway;

import static fr.gardien.gateway.Blocking.await;

import fr.gardien.cluster.PackConsumer;
import fr.gardien.cluster.PackProducer;
import fr.gardien.gateway.access.AuditLog;
import fr.gardien.gateway.alerts.AlertService;
import fr.gardien.gateway.config.ClusterConfig;
import fr.gardien.gateway.config.GardienConfig;
import fr.gardien.gateway.config.TlsListener;
import fr.gardien.gateway.ingest.KafkaSink;
import fr.gardien.gateway.ingest.PackSink;
import fr.gardien.gateway.ingest.WriterSink;
import fr.gardien.gateway.ops.GatewayMetrics;
import fr.gardien.gateway.ops.Health;
import fr.gardien.gateway.ops.ReadinessCheck;
import fr.gardien.gateway.registry.RegistryService;
import fr.gardien.gateway.rules.RulesService;
import fr.gardien.gateway.web.Routes;
import fr.gardien.storage.db.Database;
import fr.gardien.storage.db.DatabaseConfig;
import fr.gardien.storage.series.RollupStore;
import fr.gardien.storage.write.BatchWriter;
import io.vertx.ext.web.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway, assembled by role: {@link Storage} (database and writer), {@link Platform}
 * (Vert.x, registry, authenticators), {@link Alerting} (rules, alerts, tickets),
 * {@link IngestFrontEnds} (MQTT, CoAP, HTTP telemetry) writing through a
 * {@link fr.gardien.gateway.ingest.PackSink}, {@link HttpApi} and {@link Maintenance}.
 * {@link #start} wires them and returns once the ports are bound; {@link #stop} shuts down
 * gracefully: it stops taking work, flushes and acknowledges what it accepted, then closes.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    private static final Duration ACK_DRAIN_TIMEOUT = Duration.ofSeconds(5);
    /**
     * How long a stop lets the writer commit what it accepted. Enough for a full queue on a live
     * database; with the database gone, what is left fails unacknowledged, so SIGTERM ends in
     * about ten seconds whatever the database does (issue 15).
     */
    private static final Duration WRITER_STOP_TIMEOUT = Duration.ofSeconds(7);
    private static final Duration AUDIT_STOP_TIMEOUT = Duration.ofSeconds(2);
    /**
     * One deadline for all of a stop's database work (the writer's drain, the rule state's save,
     * the acknowledgements' drain, deliveries in flight, the audit flush): with the database gone,
     * each gets what is left of it, what it could not save is logged and dropped (never
     * acknowledged), and SIGTERM ends within 10 s, the servers and the pools closed after it (about
     * 2 s with the database gone) (issue 15).
     */
    static final Duration STOP_DEADLINE = Duration.ofSeconds(6);

    private final GatewayMetrics metrics = new GatewayMetrics();
    private Storage storage;
    private Platform platform;
    private Alerting alerting;
    private Health health;
    private IngestFrontEnds ingest;
    private PackProducer producer;
    private PackConsumer consumer;
    private ClusterFeed cluster;
    private Maintenance maintenance;
    private CertificateWatch certificates;
    private HttpApi api;
    private boolean stopped;

    private Gateway() {
    }

    /**
     * Starts a gateway. Blocking: call it from a main or test thread, never an event loop.
     *
     * @throws RuntimeException when a part cannot start; what was started is stopped again
     */
    public static Gateway start(GardienConfig config) {
        Gateway gateway = new Gateway();
        try {
            gateway.assemble(config);
        } catch (RuntimeException e) {
            gateway.abort();
            throw e;
        }
        // Scripts and tests read this line (bench/evaluate.sh): the TLS listeners come last.
        log.info("Gardien gateway started [mqtt: {}, http: {}, coaps: {}:{}, coap: {}, mqtts: {}, https: {}]",
                listener(config.mqtt().host(), gateway.mqttPort()), listener(config.http().host(), gateway.httpPort()),
                config.coap().host(), gateway.coapDtlsPort(), listener(config.coap().host(), gateway.coapPort()),
                listener(config.mqtt().host(), gateway.mqttTlsPort()), listener(config.http().host(), gateway.httpsPort()));
        return gateway;
    }

    private void assemble(GardienConfig config) {
        log.info("effective configuration:\n{}", config.describe());
        ClusterConfig.Role role = config.cluster().role();
        Alerting.Settings alertingSettings = Alerting.Settings.of(config);
        storage = Storage.open(config);
        if (role != ClusterConfig.Role.ALL) {
            cluster = ClusterFeed.open(storage, metrics);
        }
        List<ReadinessCheck> checks = new ArrayList<>();
        PackSink sink = null;
        if (role == ClusterConfig.Role.ALL) {
            BatchWriter writer = storage.startWriter(config, metrics);
            checks.add(ReadinessCheck.writer(writer, config.health().maxWriterLag()));
        } else if (role == ClusterConfig.Role.EDGE) {
            producer = ClusterRoom.edge(config, metrics);
            checks.add(ReadinessCheck.kafka(producer));
            sink = new KafkaSink(producer, metrics);
        }
        platform = Platform.start(config, storage, metrics, cluster == null ? null : cluster.sharing());
        alerting = Alerting.start(alertingSettings, config, platform, storage, metrics);
        RulesService rules = alerting.rules();
        if (role == ClusterConfig.Role.ALL) {
            sink = new WriterSink(storage.writer(), metrics, rules::accept);
        } else if (role == ClusterConfig.Role.WORKER) {
            consumer = ClusterRoom.worker(config, storage, rules, metrics);
            checks.add(ReadinessCheck.partitions(consumer));
        }
        health = new Health(storage.database(), checks, storage::serverState);
        // A worker takes no telemetry: its HTTP server has the API, metrics and health only.
        Routes telemetry = router -> { };
        if (sink != null) {
            ingest = IngestFrontEnds.start(config, platform, sink, metrics);
            telemetry = ingest.telemetryRoutes();
        }
        if (cluster != null) {
            cluster.wire(platform, alerting.alerts());
        }
        // Alone on its database a process does all the work; in a cluster the leader does what must be done once.
        maintenance = Maintenance.start(config, platform, storage, metrics, cluster == null ? () -> true : cluster::leads);
        api = HttpApi.start(config, platform, storage, alerting, telemetry, health, metrics);
        List<TlsListener> tls = new ArrayList<>();
        api.tls().ifPresent(tls::add);
        if (ingest != null) {
            ingest.mqttTls().ifPresent(tls::add);
        }
        certificates = CertificateWatch.start(platform.vertx(), tls, metrics);
        alerting.startDelivery();
    }

    /** The worker's consumer of the readings log (role worker), for tests; empty otherwise. */
    public Optional<PackConsumer> worker() {
        return Optional.ofNullable(consumer);
    }

    private static String listener(String host, int port) {
        return port < 0 ? "disabled" : host + ":" + port;
    }

    /** The bound clear MQTT port, or -1 on a worker (no telemetry) or when {@code mqtt.plain-enabled} is false. */
    public int mqttPort() {
        return ingest == null ? -1 : ingest.mqttPort();
    }

    /** The bound MQTT over TLS port, or -1 when {@code mqtt.tls} is not configured. */
    public int mqttTlsPort() {
        return ingest == null ? -1 : ingest.mqttTlsPort();
    }

    /** The bound HTTPS port, or -1 when {@code http.tls} is not configured. */
    public int httpsPort() {
        return api.tlsPort();
    }

    public int httpPort() {
        return api.port();
    }

    /** The bound CoAP over DTLS-PSK (UDP) port. */
    public int coapDtlsPort() {
        return ingest == null ? -1 : ingest.coapDtlsPort();
    }

    /** DTLS connections (handshakes in progress and sessions) in Scandium's store now; -1 when not started. */
    public int coapDtlsConnections() {
        return ingest == null ? -1 : ingest.coapDtlsConnections();
    }

    /** The bound plain CoAP (UDP) port, or -1 when {@code coap.plain-enabled} is false. */
    public int coapPort() {
        return ingest == null ? -1 : ingest.coapPort();
    }

    public Database database() {
        return storage.database();
    }

    /**
     * Folds the rollup log into the rollups now, besides the maintainer's passes (tests and
     * benchmarks), waiting for a pass that runs; blocking. Returns the hour rows written.
     */
    public int refreshRollups() {
        return new RollupStore(storage.database().dataSource()).refreshWaiting().hours();
    }

    /** How the gateway reaches its database (the embedded one's URL when db.url is empty). */
    public DatabaseConfig databaseConfig() {
        return storage.databaseConfig();
    }

    /** The rule engine's service, for tests and tools. */
    public RulesService rules() {
        return alerting.rules();
    }

    public RegistryService registry() {
        return platform.registry();
    }

    /** The routes of the HTTP server (one instance's; all instances have the same). */
    public List<Route> httpRoutes() {
        return api.routes();
    }

    /** The audit log, for tests that wait for its entries ({@link AuditLog#flush}). */
    public AuditLog audit() {
        return api.audit();
    }

    /** The alert lifecycle: where the rule engine's signals go ({@link AlertService#apply}). */
    public AlertService alerts() {
        return alerting.alerts();
    }

    /** Graceful shutdown; blocking. Idempotent. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        log.info("stopping: flushing accepted readings");
        long stopBy = System.nanoTime() + STOP_DEADLINE.toNanos();
        health.stopping();
        maintenance.close();
        certificates.close();
        if (ingest != null) {
            ingest.beginStop();
        }
        storage.closeWriter(within(WRITER_STOP_TIMEOUT, stopBy));
        if (producer != null) {
            // Waits for Kafka's acknowledgements of what was sent, so those packs are acknowledged too.
            producer.close();
        }
        if (consumer != null) {
            // The batch in hand is stored, then the partitions go to the other workers.
            consumer.close();
        }
        if (ingest != null) {
            ingest.abandonParked();
        }
        // Readings committed by the flush are evaluated before the engine's state is saved.
        alerting.stop(stopBy);
        if (cluster != null) {
            // Late in the stop, so that the rule engine's last transitions are still told; the lead passes on.
            cluster.close();
        }
        if (ingest != null) {
            ingest.drainAcks(within(ACK_DRAIN_TIMEOUT, stopBy));
            ingest.closeCoap();
        }
        platform.undeployAll();
        // After the servers: the last requests' entries are written too, if the database answers.
        try {
            await(api.stopAudit(), within(AUDIT_STOP_TIMEOUT, stopBy));
        } catch (RuntimeException e) {
            log.warn("audit entries not written at stop [cause: {}]", e.toString());
        }
        if (System.nanoTime() > stopBy) {
            log.warn("stop deadline reached: what was not committed is not acknowledged [deadline: {} s]",
                    STOP_DEADLINE.toSeconds());
        }
        platform.close();
        metrics.close();
        storage.close();
        log.info("stopped");
    }

    @Override
    public void close() {
        stop();
    }

    /** {@code cap}, or what is left until {@code deadline} (System.nanoTime) if less; never negative. */
    static Duration within(Duration cap, long deadline) {
        return Duration.ofNanos(Math.max(0, Math.min(cap.toNanos(), deadline - System.nanoTime())));
    }

    /** After a failed start: stops, in reverse, what was started. */
    private void abort() {
        try {
            if (ingest != null) {
                ingest.closeCoap();
            }
            if (platform != null) {
                platform.close();
            }
            if (storage != null) {
                storage.closeWriter();
            }
            if (producer != null) {
                producer.close();
            }
            if (consumer != null) {
                consumer.close();
            }
            if (alerting != null) {
                alerting.abort();
            }
            if (cluster != null) {
                cluster.close();
            }
            metrics.close();
            if (storage != null) {
                storage.closeDatabase();
            }
        } catch (RuntimeException e) {
            log.warn("while stopping after a failed start: {}", e.toString());
        } finally {
            if (storage != null) {
                storage.closeEmbedded();
            }
        }
    }
}
