package fr.gardien.gateway;

import fr.gardien.gateway.access.AuditApi;
import fr.gardien.gateway.access.AuditLog;
import fr.gardien.gateway.access.TokenApi;
import fr.gardien.gateway.alerts.AlertApi;
import fr.gardien.gateway.alerts.AlertFeed;
import fr.gardien.gateway.api.OpenApi;
import fr.gardien.gateway.alerts.AlertService;
import fr.gardien.gateway.alerts.AlertStream;
import fr.gardien.gateway.api.BearerAuth;
import fr.gardien.gateway.api.EnergyApi;
import fr.gardien.gateway.api.HttpVerticle;
import fr.gardien.gateway.api.OccupancyPolicy;
import fr.gardien.gateway.governance.GovernanceConfig;
import fr.gardien.gateway.governance.GovernanceParser;
import fr.gardien.gateway.governance.RegisterApi;
import fr.gardien.gateway.api.ReadApi;
import fr.gardien.gateway.api.SeriesApi;
import fr.gardien.gateway.auth.DeviceAuthenticator;
import fr.gardien.gateway.auth.TokenAuthenticator;
import fr.gardien.gateway.config.GardienConfig;
import fr.gardien.gateway.ingest.Backpressure;
import fr.gardien.gateway.rules.RulesApi;
import fr.gardien.gateway.rules.RulesInvalidException;
import fr.gardien.gateway.rules.RulesService;
import fr.gardien.gateway.ticketing.ConnectorFactories;
import fr.gardien.gateway.ticketing.ConnectorFactory;
import fr.gardien.gateway.ticketing.ConnectorSpec;
import fr.gardien.gateway.ticketing.Connectors;
import fr.gardien.gateway.ticketing.DeliveryApi;
import fr.gardien.gateway.ticketing.OutboxDispatcher;
import fr.gardien.gateway.ticketing.TicketConnector;
import fr.gardien.gateway.ticketing.TicketingConfig;
import fr.gardien.rules.RuleSetException;
import fr.gardien.gateway.ingest.IngestLimits;
import fr.gardien.gateway.ingest.IngestPipeline;
import fr.gardien.gateway.ingest.coap.CoapIngestServer;
import fr.gardien.gateway.ingest.coap.CoapSettings;
import fr.gardien.gateway.ingest.coap.CoapTelemetryHandler;
import fr.gardien.gateway.ingest.http.TelemetryHandler;
import fr.gardien.gateway.ingest.mqtt.MqttConnections;
import fr.gardien.gateway.ingest.mqtt.MqttIngestVerticle;
import fr.gardien.gateway.ingest.mqtt.MqttSettings;
import fr.gardien.gateway.ingest.senml.SenmlDecoder;
import fr.gardien.gateway.ingest.senml.SenmlLimits;
import fr.gardien.gateway.ops.GatewayMetrics;
import fr.gardien.gateway.ops.Health;
import fr.gardien.gateway.registry.RegistryService;
import fr.gardien.gateway.registry.SecretHasher;
import fr.gardien.gateway.ticketing.CallbackConfig;
import fr.gardien.gateway.ticketing.TicketCallbackHandler;
import fr.gardien.storage.alerts.AlertStore;
import fr.gardien.storage.access.AuditStore;
import fr.gardien.storage.access.TokenStore;
import fr.gardien.storage.write.BatchWriter;
import fr.gardien.storage.db.Database;
import fr.gardien.storage.db.DatabaseConfig;
import fr.gardien.storage.db.EmbeddedDatabase;
import fr.gardien.storage.alerts.DigestStore;
import fr.gardien.storage.alerts.OutboxStore;
import fr.gardien.storage.alerts.RuleStateStore;
import fr.gardien.storage.alerts.SilenceStore;
import fr.gardien.storage.write.QuarantineStore;
import fr.gardien.storage.access.RegistryStore;
import fr.gardien.storage.db.RetentionConfig;
import fr.gardien.storage.series.RollupStore;
import fr.gardien.storage.series.SeriesStore;
import fr.gardien.storage.write.WriterConfig;
import fr.gardien.storage.retention.CategoryCounts;
import fr.gardien.storage.retention.RetentionPurger;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Route;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: the database (embedded or external), the registry, the writer, and the
 * MQTT, HTTP and CoAP servers. {@link #start} wires everything and returns once the ports are bound;
 * {@link #stop} shuts down gracefully: it stops taking work, flushes and acknowledges what it
 * accepted, then closes.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    private static final Duration PORTFOLIO_POLL = Duration.ofSeconds(5);
    private static final Duration PARTITION_MAINTENANCE = Duration.ofHours(1);
    private static final Duration ACK_DRAIN_TIMEOUT = Duration.ofSeconds(5);
    /** How long a stop waits for ticket deliveries in flight; the rest are redelivered after a restart. */
    private static final Duration DISPATCHER_GRACE = Duration.ofSeconds(5);
    /** CoAP requests in progress at once (authenticating or waiting for their commit); beyond: 5.03. */
    private static final int COAP_MAX_PENDING_REQUESTS = 1024;
    /**
     * The connector implementations by type (issue 4: webhook, rest, email). A configured type
     * without one here is a configuration error at start-up, never a silent non-delivery.
     */
    private static final Map<ConnectorSpec.Type, ConnectorFactory> CONNECTOR_FACTORIES = ConnectorFactories.standard();

    private final EmbeddedDatabase embedded;
    private final Database database;
    private final DatabaseConfig databaseConfig;
    private final GatewayMetrics metrics;
    private final BatchWriter writer;
    private final RegistryService registry;
    private final Vertx vertx;
    private final Health health;
    private final MqttConnections mqttConnections;
    private final AlertService alerts;
    private final RulesService rules;
    private final OutboxDispatcher dispatcher;
    private final AuditLog audit;
    private final List<HttpVerticle> httpVerticles;
    private final RollupMaintainer rollups;
    private final List<String> deployments;
    private final int mqttPort;
    private final int httpPort;
    private final CoapTelemetryHandler coapHandler;
    private final CoapIngestServer coap;
    private boolean stopped;

    private Gateway(Builder b) {
        this.embedded = b.embedded;
        this.database = b.database;
        this.databaseConfig = b.databaseConfig;
        this.metrics = b.metrics;
        this.writer = b.writer;
        this.registry = b.registry;
        this.vertx = b.vertx;
        this.health = b.health;
        this.mqttConnections = b.mqttConnections;
        this.alerts = b.alerts;
        this.rules = b.rules;
        this.dispatcher = b.dispatcher;
        this.audit = b.audit;
        this.httpVerticles = b.httpVerticles;
        this.rollups = b.rollups;
        this.deployments = b.deployments;
        this.mqttPort = b.mqttPort;
        this.httpPort = b.httpPort;
        this.coapHandler = b.coapHandler;
        this.coap = b.coap;
    }

    /**
     * Starts a gateway. Blocking: call it from a main or test thread, never an event loop.
     *
     * @throws RuntimeException when a part cannot start; what was started is stopped again
     */
    public static Gateway start(GardienConfig config) {
        Builder b = new Builder();
        try {
            b.build(config);
            Gateway gateway = new Gateway(b);
            log.info("Gardien gateway started [mqtt: {}:{}, http: {}:{}, coaps: {}:{}, coap: {}]", config.mqtt().host(),
                    gateway.mqttPort, config.http().host(), gateway.httpPort, config.coap().host(), gateway.coapDtlsPort(),
                    gateway.coapPort() < 0 ? "disabled" : config.coap().host() + ":" + gateway.coapPort());
            return gateway;
        } catch (RuntimeException e) {
            b.abort();
            throw e;
        }
    }

    public int mqttPort() {
        return mqttPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** The bound CoAP over DTLS-PSK (UDP) port. */
    public int coapDtlsPort() {
        return coap.dtlsPort();
    }

    /** The bound plain CoAP (UDP) port, or -1 when {@code coap.plain-enabled} is false. */
    public int coapPort() {
        return coap.plainPort();
    }

    public Database database() {
        return database;
    }

    /**
     * Folds the rollup log into the rollups now, besides the maintainer's passes (tests and
     * benchmarks), waiting for a pass that runs; blocking. Returns the hour rows written.
     */
    public int refreshRollups() {
        return new RollupStore(database.dataSource()).refreshWaiting().hours();
    }

    /** How the gateway reaches its database (the embedded one's URL when db.url is empty). */
    public DatabaseConfig databaseConfig() {
        return databaseConfig;
    }

    /** The rule engine's service, for tests and tools. */
    public RulesService rules() {
        return rules;
    }

    public RegistryService registry() {
        return registry;
    }

    /** The routes of the HTTP server (one instance's; all instances have the same). */
    public List<Route> httpRoutes() {
        return httpVerticles.get(0).routes();
    }

    /** The audit log, for tests that wait for its entries ({@link AuditLog#flush}). */
    public AuditLog audit() {
        return audit;
    }

    /** The alert lifecycle: where the rule engine's signals go ({@link AlertService#apply}). */
    public AlertService alerts() {
        return alerts;
    }

    /** Graceful shutdown; blocking. Idempotent. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        log.info("stopping: flushing accepted readings");
        health.stopping();
        rollups.close();
        mqttConnections.beginStop();
        coapHandler.beginStop();
        writer.close();
        mqttConnections.abandonParked();
        // Readings committed by the flush are evaluated before the engine's state is saved.
        rules.close();
        alerts.stop();
        if (dispatcher != null) {
            await(dispatcher.stop(DISPATCHER_GRACE));
        }
        long deadline = System.nanoTime() + ACK_DRAIN_TIMEOUT.toNanos();
        while ((mqttConnections.pendingAcks() > 0 || coapHandler.pending() > 0) && System.nanoTime() < deadline) {
            sleep(10);
        }
        coap.close();
        for (String id : deployments) {
            await(vertx.undeploy(id));
        }
        // After the servers: the last requests' entries are written too.
        await(audit.stop());
        await(vertx.close());
        metrics.close();
        database.close();
        if (embedded != null) {
            embedded.close();
        }
        log.info("stopped");
    }

    @Override
    public void close() {
        stop();
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause.getMessage(), cause);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Start-up, step by step, remembering what to undo if a later step fails. */
    private static final class Builder {
        EmbeddedDatabase embedded;
        Database database;
        DatabaseConfig databaseConfig;
        GatewayMetrics metrics;
        BatchWriter writer;
        RegistryService registry;
        Vertx vertx;
        Health health;
        MqttConnections mqttConnections = new MqttConnections();
        AlertService alerts;
        RulesService rules;
        OutboxDispatcher dispatcher;
        AuditLog audit;
        List<HttpVerticle> httpVerticles = new CopyOnWriteArrayList<>();
        RollupMaintainer rollups;
        List<String> deployments = new ArrayList<>();
        int mqttPort;
        int httpPort;
        CoapTelemetryHandler coapHandler;
        CoapIngestServer coap;

        void build(GardienConfig config) {
            log.info("effective configuration:\n{}", config.describe());
            String configFile = config.file().map(Object::toString).orElse("config.yaml");
            TicketingConfig ticketing = config.ticketing().map(t -> TicketingConfig.parse(t, configFile))
                    .orElse(TicketingConfig.NONE);
            GovernanceConfig governance = GovernanceParser.load(config.file().orElse(null), config.storage().retention());
            if (!governance.declared()) {
                log.warn("no governance section: the built-in purposes and retentions apply; declare yours (issue 14)");
            }
            // Validated before anything starts: a bad secret must not cost a database start-up.
            CallbackConfig callback = CallbackConfig.from(config);
            log.info(callback.enabled() ? "ticket callback enabled at POST /api/v1/tickets/callback"
                    : "ticket callback disabled: no ticketing.callback.secret");
            DatabaseConfig dbConfig;
            if (config.db().url() == null || config.db().url().isBlank()) {
                embedded = EmbeddedDatabase.start(config.data().dir(), 0);
                dbConfig = embedded.config(config.db().poolSize());
                log.info("database: EMBEDDED PostgreSQL [files: {}, url: {}] - set db.url to use an external PostgreSQL/TimescaleDB",
                        config.data().dir().resolve("postgres").toAbsolutePath(), embedded.jdbcUrl());
            } else {
                dbConfig = new DatabaseConfig(config.db().url(), config.db().user(), config.db().password(), config.db().poolSize());
            }
            RetentionConfig retention = new RetentionConfig(config.storage().retention(), config.storage().partitionInterval(),
                    config.storage().partitionsAhead());
            databaseConfig = dbConfig;
            // The writers get connections of their own: nothing else can hold one they wait for.
            database = Database.open(dbConfig, retention, config.writer().threads());
            log.info("database: {}", database.description());
            database.partitions().maintain(Instant.now());

            metrics = new GatewayMetrics();
            writer = new BatchWriter(database.writerDataSource(), database.partitions(), new WriterConfig(
                    config.writer().batchMaxRows(), config.writer().batchMaxDelay(), config.writer().queueCapacity(),
                    config.writer().threads()), metrics);
            metrics.gauge("gardien.writer.queue.readings", "Readings queued for the writer", writer::queuedRows);
            metrics.gauge("gardien.writer.queue.capacity", "Capacity of the writer's queue, in readings", writer::capacityRows);
            metrics.gauge("gardien.writer.lag.seconds", "Age of the oldest queued batch",
                    () -> writer.oldestQueuedAge().toNanos() / 1e9);

            SecretHasher hasher = SecretHasher.DEFAULT.remembering();
            registry = new RegistryService(config.portfolio().orElse(null), new RegistryStore(database.dataSource()), hasher,
                    governance::undeclared);
            registry.start();

            vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(false));
            // The writer threads and partition creation hold connections of their own: queries get the rest.
            WorkerExecutor db = vertx.createSharedWorkerExecutor("gardien-db",
                    Math.max(1, config.db().poolSize() - config.writer().threads() - 1));
            WorkerExecutor auth = vertx.createSharedWorkerExecutor("gardien-auth", 2);
            // Unknown bearer tokens cost a derivation per stored token: on a pool of their own, so
            // that a flood of bad tokens cannot delay device authentication.
            WorkerExecutor tokenChecks = vertx.createSharedWorkerExecutor("gardien-token-auth", 1);
            DeviceAuthenticator deviceAuth = new DeviceAuthenticator(registry::current, hasher, auth, 256);
            TokenAuthenticator tokenAuth = new TokenAuthenticator(registry::current, hasher, tokenChecks, 64, Clock.systemUTC());
            TokenStore tokenStore = new TokenStore(database.dataSource());
            AuditStore auditStore = new AuditStore(database.dataSource());
            audit = new AuditLog(vertx, auditStore, db, config.audit().queueCapacity(), metrics, Clock.systemUTC());
            audit.start();
            metrics.gauge("gardien.audit.queue.entries", "Audit entries waiting for their insert", audit::queued);

            // Connector fields are checked before the servers open: a bad URL or secret stops start-up.
            Map<String, TicketConnector> connectors = ticketing.enabled()
                    ? Connectors.build(ticketing, CONNECTOR_FACTORIES, vertx, configFile) : Map.of();

            AlertStore alertStore = new AlertStore(database.dataSource());
            alerts = new AlertService(vertx, alertStore, new SilenceStore(database.dataSource()), db, metrics,
                    Clock.systemUTC());
            alerts.start();
            rules = new RulesService(registry::current, config.rules().orElse(null), alerts,
                    new RuleStateStore(database.dataSource()),
                    metrics, config.ruleEngine().lateness(), config.ruleEngine().queueCapacity(), Clock.systemUTC());
            try {
                rules.start();
            } catch (RuleSetException e) {
                throw new RulesInvalidException(e);
            }
            metrics.gauge("gardien.rules.queue.readings", "Committed readings waiting for the rule engine", rules::queuedReadings);
            metrics.gauge("gardien.rules.late.dropped", "Readings too late for the rule engine's lateness", rules::droppedLate);

            IngestLimits limits = new IngestLimits(config.ingest().maxPayloadBytes(), config.ingest().maxFuture(),
                    config.storage().retention());
            IngestPipeline pipeline = new IngestPipeline(new SenmlDecoder(new SenmlLimits(config.ingest().maxRecordsPerPack())),
                    registry::current, writer, limits, metrics, Clock.systemUTC(), rules::accept);
            Backpressure backpressure = new Backpressure(writer, config.writer().queueCapacity());
            metrics.gauge("gardien.ingest.parked.readings", "Readings of QoS 1 publishes waiting for room in the writer",
                    backpressure::parkedReadings);
            health = new Health(database, writer, config.health().maxWriterLag(), db);

            int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
            MqttSettings mqtt = new MqttSettings(config.mqtt().host(), config.mqtt().port(), config.ingest().maxTopicLength(),
                    config.mqtt().maxPendingPerConnection(), config.ingest().maxPayloadBytes() + config.ingest().maxTopicLength() + 64);
            MqttSettings mqttBound = mqtt.withPort(concretePort(mqtt.host(), mqtt.port()));
            mqttPort = deploy(instances, () -> new MqttIngestVerticle(mqttBound, deviceAuth, pipeline, backpressure, registry::current,
                    metrics, mqttConnections), MqttIngestVerticle::actualPort);

            QuarantineStore quarantine = new QuarantineStore(database.dataSource());
            SeriesStore seriesStore = new SeriesStore(database.dataSource());
            OccupancyPolicy occupancy = new OccupancyPolicy(config.api().occupancyMinCount());
            SeriesApi seriesApi = new SeriesApi(registry::current, seriesStore, occupancy, db);
            rollups = new RollupMaintainer(vertx, new RollupStore(database.dataSource()), db, config.rollup().interval(),
                    metrics);
            metrics.gauge("gardien.rollup.backlog.segments", "Rollup log segments not folded yet, at the last pass",
                    () -> rollups.backlog().segments());
            metrics.gauge("gardien.rollup.lag.seconds", "Age of the oldest rollup log row not folded yet, at the last pass",
                    () -> rollups.backlog().oldest().toNanos() / 1e9);
            HttpVerticle.Handlers handlers = new HttpVerticle.Handlers(
                    new TelemetryHandler(deviceAuth, pipeline, metrics), new BearerAuth(tokenAuth, audit),
                    new ReadApi(registry::current, seriesStore, quarantine, db, seriesApi, occupancy),
                    new AlertApi(alerts, registry::current), new AlertStream(alerts, tokenAuth::stillValid), new RulesApi(rules),
                    new DeliveryApi(new OutboxStore(database.dataSource()), new DigestStore(database.dataSource()), db,
                            Clock.systemUTC()), health, metrics, registry, db,
                    config.ingest().maxPayloadBytes(), new TicketCallbackHandler(callback, alerts, Clock.systemUTC()),
                    new TokenApi(tokenStore, registry, db, Clock.systemUTC()), new AuditApi(auditStore, db),
                    new AlertFeed(alerts, registry::current, ticketing.publicUrl(), Clock.systemUTC()), OpenApi.document(),
                    seriesApi, new EnergyApi(registry::current, seriesStore, db), new RegisterApi(config, governance, ticketing,
                    registry::current, new CategoryCounts(database.dataSource()), db, Clock.systemUTC()));
            int http = concretePort(config.http().host(), config.http().port());
            httpPort = deploy(instances, () -> {
                HttpVerticle verticle = new HttpVerticle(config.http().host(), http, handlers);
                httpVerticles.add(verticle);
                return verticle;
            }, HttpVerticle::actualPort);

            CoapSettings coapSettings = new CoapSettings(config.coap().host(), config.coap().dtlsPort(), config.coap().port(),
                    config.coap().plainEnabled(), config.ingest().maxPayloadBytes(), COAP_MAX_PENDING_REQUESTS);
            coapHandler = new CoapTelemetryHandler(deviceAuth, pipeline, registry::current, metrics, coapSettings,
                    CoapTelemetryHandler.newContexts(vertx, instances));
            coap = CoapIngestServer.start(coapSettings, coapHandler, registry::current, metrics);

            if (ticketing.enabled()) {
                dispatcher = new OutboxDispatcher(vertx, db, new OutboxStore(database.dataSource()),
                        new DigestStore(database.dataSource()), ticketing, connectors,
                        registry::current, metrics, Clock.systemUTC());
                dispatcher.start();
            } else {
                log.info("ticketing: no connector configured, no ticket will be sent (alerts stay in the outbox)");
            }

            // Tokens too: another gateway on the same database may have created or revoked one.
            vertx.setPeriodic(PORTFOLIO_POLL.toMillis(), id -> db.executeBlocking(() -> {
                boolean changed = registry.reloadIfChanged();
                registry.refreshTokens(tokenStore);
                return changed;
            }, false)
                    // A site may have changed time zone: its daily rollups follow.
                    .compose(changed -> changed ? rollups.rebuildStaleDays().mapEmpty() : Future.succeededFuture())
                    .onFailure(e -> log.warn("registry refresh failed (portfolio file, API tokens or rollups): {}", e.toString())));
            vertx.setPeriodic(PARTITION_MAINTENANCE.toMillis(), id -> db.executeBlocking(() -> {
                database.partitions().maintain(Instant.now());
                int purged = quarantine.purgeBefore(Instant.now().minus(config.storage().quarantineRetention()));
                if (purged > 0) {
                    log.info("quarantine entries past their retention deleted [count: {}]", purged);
                }
                Map<String, Integer> retained = new RetentionPurger(database.dataSource()).purge(governance.retentionPolicy(), Instant.now());
                retained.values().removeIf(n -> n == 0);
                if (!retained.isEmpty()) {
                    log.info("data past its retention deleted or pseudonymised [rows: {}]", retained);
                }
                int audited = auditStore.purgeBefore(Instant.now().minus(config.audit().retention()));
                if (audited > 0) {
                    log.info("audit entries past their retention deleted [count: {}]", audited);
                }
                return null;
            }, false).onFailure(e -> log.warn("maintenance failed: {}", e.toString())));
        }

        /**
         * Vert.x shares a listening socket between the instances of a server only when they ask
         * for the same concrete port; port 0 would give each its own. So a free port is chosen
         * first when the configuration says 0.
         */
        private static int concretePort(String host, int port) {
            if (port != 0) {
                return port;
            }
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("no free port on " + host, e);
            }
        }

        /**
         * Deploys {@code instances} copies of a server verticle in one deployment, so that Vert.x
         * shares one listening socket between them (a requested port 0 included) and spreads
         * connections across event loops.
         */
        private <V extends Deployable> int deploy(int instances, Supplier<V> factory, ToIntFunction<V> actualPort) {
            List<V> created = new CopyOnWriteArrayList<>();
            deployments.add(await(vertx.deployVerticle(() -> {
                V verticle = factory.get();
                created.add(verticle);
                return verticle;
            }, new DeploymentOptions().setInstances(instances))));
            int bound = actualPort.applyAsInt(created.get(0));
            for (V verticle : created) {
                if (actualPort.applyAsInt(verticle) != bound) {
                    throw new IllegalStateException("server instances bound different ports: " + bound + " and "
                            + actualPort.applyAsInt(verticle));
                }
            }
            return bound;
        }

        void abort() {
            try {
                if (coap != null) {
                    coap.close();
                }
                if (vertx != null) {
                    await(vertx.close());
                }
                if (writer != null) {
                    writer.close();
                }
                if (rules != null) {
                    rules.close();
                }
                if (metrics != null) {
                    metrics.close();
                }
                if (database != null) {
                    database.close();
                }
            } catch (RuntimeException e) {
                log.warn("while stopping after a failed start: {}", e.toString());
            } finally {
                if (embedded != null) {
                    embedded.close();
                }
            }
        }
    }
}
