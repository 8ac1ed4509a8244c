package fr.gardien.gateway;

import static fr.gardien.gateway.Blocking.await;

import fr.gardien.gateway.alerts.AlertService;
import fr.gardien.gateway.config.ClusterConfig;
import fr.gardien.gateway.config.GardienConfig;
import fr.gardien.gateway.ops.GatewayMetrics;
import fr.gardien.gateway.rules.RulesInvalidException;
import fr.gardien.gateway.rules.RulesService;
import fr.gardien.gateway.ticketing.CallbackConfig;
import fr.gardien.gateway.ticketing.ConnectorFactory;
import fr.gardien.gateway.ticketing.ConnectorSpec;
import fr.gardien.gateway.ticketing.Connectors;
import fr.gardien.gateway.ticketing.OutboxDispatcher;
import fr.gardien.gateway.ticketing.TicketCallbackHandler;
import fr.gardien.gateway.ticketing.TicketConnector;
import fr.gardien.gateway.ticketing.TicketingConfig;
import fr.gardien.gateway.ticketing.connector.ConnectorFactories;
import fr.gardien.rules.RuleSetException;
import fr.gardien.storage.alerts.AlertStore;
import fr.gardien.storage.alerts.RuleStateStore;
import fr.gardien.storage.alerts.SilenceStore;
import fr.gardien.storage.alerts.DigestStore;
import fr.gardien.storage.alerts.OutboxStore;
import fr.gardien.storage.alerts.RuleStateStore;
import fr.gardien.storage.alerts.SilenceStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerting room: the rule engine fed with committed readings, the alert lifecycle, and the
 * delivery of tickets (connectors, outbox dispatcher, the ticketing system's callback).
 */
final class Alerting {

    private static final Logger log = LoggerFactory.getLogger(Alerting.class);
    /** How long a stop waits for ticket deliveries in flight; the rest are redelivered after a restart. */
    private static final Duration DISPATCHER_GRACE = Duration.ofSeconds(5);
    /**
     * The connector implementations by type (issue 4: webhook, rest, email). A configured type
     * without one here is a configuration error at start-up, never a silent non-delivery.
     */
    private static final Map<ConnectorSpec.Type, ConnectorFactory> CONNECTOR_FACTORIES = ConnectorFactories.standard();

    /** The ticketing section and the callback's secret, checked before anything starts. */
    record Settings(TicketingConfig ticketing, CallbackConfig callback, String configFile, boolean evaluates) {

        /** Reads and validates the ticketing configuration: a bad secret must not cost a database start-up. */
        static Settings of(GardienConfig config) {
            String configFile = config.file().map(Object::toString).orElse("config.yaml");
            TicketingConfig ticketing = config.ticketing().map(t -> TicketingConfig.parse(t, configFile))
                    .orElse(TicketingConfig.NONE);
            CallbackConfig callback = CallbackConfig.from(config);
            log.info(callback.enabled() ? "ticket callback enabled at POST /api/v1/tickets/callback"
                    : "ticket callback disabled: no ticketing.callback.secret");
            // An edge shows the rules and alerts, and takes acknowledgements, but evaluates and delivers nothing (issue 13).
            return new Settings(ticketing, callback, configFile, config.cluster().role() != ClusterConfig.Role.EDGE);
        }
    }

    private final Settings settings;
    private final Platform platform;
    private final Storage storage;
    private final GatewayMetrics metrics;
    private final Map<String, TicketConnector> connectors;
    private final AlertService alerts;
    private final RulesService rules;
    private final TicketCallbackHandler callback;
    private OutboxDispatcher dispatcher;

    private Alerting(Settings settings, GardienConfig config, Platform platform, Storage storage, GatewayMetrics metrics) {
        this.settings = settings;
        this.platform = platform;
        this.storage = storage;
        this.metrics = metrics;
        // Connector fields are checked before the servers open: a bad URL or secret stops start-up.
        connectors = settings.ticketing().enabled()
                ? Connectors.build(settings.ticketing(), CONNECTOR_FACTORIES, platform.vertx(), settings.configFile()) : Map.of();
        AlertStore alertStore = new AlertStore(storage.database().dataSource());
        alerts = new AlertService(platform.vertx(), alertStore, new SilenceStore(storage.database().dataSource()), platform.db(),
                metrics, Clock.systemUTC());
        alerts.start();
        rules = new RulesService(platform.registry(), config.rules().orElse(null), alerts,
                new RuleStateStore(storage.database().dataSource()),
                metrics, config.ruleEngine().lateness(), config.ruleEngine().queueCapacity(), Clock.systemUTC());
        try {
            if (settings.evaluates()) {
                rules.start();
            } else {
                rules.loadForApi();
            }
        } catch (RuleSetException e) {
            rules.close();
            throw new RulesInvalidException(e);
        }
        metrics.gauge("gardien.rules.queue.readings", "Committed readings waiting for the rule engine", rules::queuedReadings);
        metrics.gauge("gardien.rules.late.dropped", "Readings too late for the rule engine's lateness", rules::droppedLate);
        callback = new TicketCallbackHandler(settings.callback(), alerts, Clock.systemUTC());
    }

    /** Starts the alert lifecycle and the rule engine; the rule set is checked here. */
    static Alerting start(Settings settings, GardienConfig config, Platform platform, Storage storage, GatewayMetrics metrics) {
        return new Alerting(settings, config, platform, storage, metrics);
    }

    /** Starts sending tickets from the outbox, when a connector is configured. */
    void startDelivery() {
        if (!settings.evaluates()) {
            log.info("ticketing: tickets are sent by the workers");
            return;
        }
        if (!settings.ticketing().enabled()) {
            log.info("ticketing: no connector configured, no ticket will be sent (alerts stay in the outbox)");
            return;
        }
        dispatcher = new OutboxDispatcher(platform.vertx(), platform.db(), new OutboxStore(storage.database().dataSource()),
                new DigestStore(storage.database().dataSource()), settings.ticketing(), connectors,
                platform.registry(), metrics, Clock.systemUTC());
        dispatcher.start();
    }

    AlertService alerts() {
        return alerts;
    }

    RulesService rules() {
        return rules;
    }

    TicketCallbackHandler callback() {
        return callback;
    }

    TicketingConfig ticketing() {
        return settings.ticketing();
    }

    /**
     * Stops after the writer's last commit: the rule engine evaluates what it was told and saves
     * its state, the alert lifecycle stops, deliveries in flight get a grace period; blocking, up
     * to {@code stopBy} ({@link System#nanoTime}) for the state's save and the deliveries.
     */
    void stop(long stopBy) {
        rules.close(Gateway.within(RulesService.CLOSE_TIMEOUT, stopBy));
        alerts.stop();
        if (dispatcher != null) {
            await(dispatcher.stop(Gateway.within(DISPATCHER_GRACE, stopBy)));
        }
    }

    /** After a failed start: only the rule engine holds a thread of its own. */
    void abort() {
        rules.close();
    }
}
