package fr.gardien.gateway;

import fr.gardien.cluster.ChangeFeed;
import fr.gardien.cluster.Leadership;
import fr.gardien.gateway.access.TokenApi;
import fr.gardien.gateway.alerts.AlertRelay;
import fr.gardien.gateway.alerts.AlertService;
import fr.gardien.gateway.ops.GatewayMetrics;
import fr.gardien.gateway.registry.RegistryService;
import fr.gardien.storage.access.PortfolioStamps;
import fr.gardien.storage.access.TokenStore;
import fr.gardien.storage.db.DatabaseConfig;
import io.vertx.core.eventbus.MessageConsumer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the processes of a cluster tell each other, and who among them does the work that must be
 * done once (issue 13). A {@link Leadership} (PostgreSQL advisory lock) elects the process that
 * applies the portfolio file and runs partition maintenance and purges. A {@link ChangeFeed}
 * (PostgreSQL {@code LISTEN/NOTIFY}) carries, within a second of the commit:
 * <ul>
 *   <li>{@value #ALERTS}: ids of alert transitions committed here, which the others read back and
 *       hand to their live streams ({@link AlertRelay});</li>
 *   <li>{@value #TOKENS}: an API token was created or revoked here; the others reload the tokens
 *       and close the streams of a revoked one;</li>
 *   <li>{@value #REGISTRY}: a portfolio was applied here; the others load the registry from the
 *       database.</li>
 * </ul>
 * Payloads are this process's tag then identifiers, never content. A process ignores its own
 * notifications. When the feed's connection was lost, tokens and registry are reloaded; the
 * 5-second poll ({@link Maintenance}) stays as a backstop.
 */
final class ClusterFeed implements AutoCloseable {

    static final String ALERTS = "gardien_alerts";
    static final String TOKENS = "gardien_tokens";
    static final String REGISTRY = "gardien_registry";
    /** Transition ids per notification: well under {@link ChangeFeed#MAX_PAYLOAD_BYTES}. */
    private static final int IDS_PER_NOTIFICATION = 300;
    /** How long a starting process waits for its first LISTEN (the database already answered). */
    private static final Duration LISTEN_WAIT = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(ClusterFeed.class);

    private final String tag = UUID.randomUUID().toString();
    private final Storage storage;
    private final Leadership leadership;
    private final ChangeFeed feed;
    private final ConcurrentLinkedQueue<Long> committed = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean telling = new AtomicBoolean();
    private final List<MessageConsumer<?>> consumers = new ArrayList<>();
    private Platform platform;

    private ClusterFeed(Storage storage) {
        this.storage = storage;
        // The lock and the LISTEN each hold a session for the process's life: outside the pools.
        DataSource sessions = sessions(storage.databaseConfig());
        leadership = new Leadership(sessions, "gardien-leader");
        feed = new ChangeFeed(sessions);
    }

    /** Takes part in the election (the first try answers before this returns); the feed starts in {@link #wire}. */
    static ClusterFeed open(Storage storage, GatewayMetrics metrics) {
        ClusterFeed cluster = new ClusterFeed(storage);
        cluster.leadership.start();
        metrics.gauge("gardien.cluster.leader", "1 while this process leads (portfolio file, partition maintenance, purges)",
                () -> cluster.leads() ? 1 : 0);
        return cluster;
    }

    private static DataSource sessions(DatabaseConfig config) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL(config.url());
        source.setUser(config.user());
        source.setPassword(config.password());
        source.setTcpKeepAlive(true);
        source.setApplicationName("gardien-cluster");
        return source;
    }

    boolean leads() {
        return leadership.leader();
    }

    /** How the registry is shared: the leader applies the file, a change is announced on {@value #REGISTRY}. */
    RegistryService.Sharing sharing() {
        return new RegistryService.Sharing(this::leads, new PortfolioStamps(storage.database().dataSource()), tag,
                () -> tell(REGISTRY, tag));
    }

    /** Relays alert transitions, tokens and registry changes both ways, and starts listening. */
    void wire(Platform platform, AlertService alerts) {
        this.platform = platform;
        AlertRelay relay = new AlertRelay(platform.vertx(), alerts);
        TokenStore tokens = new TokenStore(storage.database().dataSource());
        feed.subscribe(ALERTS, payload -> {
            if (payload != null && !mine(payload)) {
                relay.relay(Arrays.stream(payload.substring(tag.length() + 1).split(",")).map(Long::valueOf).toList());
            }
        });
        feed.subscribe(TOKENS, payload -> {
            if (payload == null || !mine(payload)) {
                refresh(() -> platform.registry().refreshTokens(tokens) != null);
            }
        });
        feed.subscribe(REGISTRY, payload -> {
            if (payload == null || !mine(payload)) {
                refresh(() -> platform.registry().follow());
            }
        });
        consumers.add(AlertRelay.committedHere(platform.vertx(), id -> {
            committed.add(id);
            tellCommitted();
        }));
        consumers.add(platform.vertx().eventBus().<String>localConsumer(TokenApi.TOKENS_CHANGED, message -> {
            if (!AlertRelay.relayed(message)) {
                platform.db().executeBlocking(() -> tell(TOKENS, tag + " " + message.body()), false);
            }
        }));
        if (feed.start(LISTEN_WAIT)) {
            log.info("cluster: change feed listening [channels: {}, {}, {}], leader: {}", ALERTS, TOKENS, REGISTRY, leads());
        } else {
            log.warn("cluster: change feed not listening yet, changes of other processes come by the 5-second poll until it does"
                    + " [waited: {}, leader: {}]", LISTEN_WAIT, leads());
        }
    }

    /** Another process's payload starts with another tag (a tag is a UUID, same length for all). */
    private boolean mine(String payload) {
        return payload.startsWith(tag);
    }

    /** Reloads what changed elsewhere, then lets the open streams check their tokens. */
    private void refresh(Callable<Boolean> reload) {
        platform.db().executeBlocking(reload, false).onComplete(ar -> {
            if (ar.failed()) {
                log.warn("change from another process not loaded, the 5 s poll will [cause: {}]", ar.cause().toString());
                return;
            }
            AlertRelay.publishRelayed(platform.vertx(), TokenApi.TOKENS_CHANGED, "");
        });
    }

    /** Sends the ids of the transitions committed here, a batch at a time, on the database pool. */
    private void tellCommitted() {
        if (committed.isEmpty() || !telling.compareAndSet(false, true)) {
            return;
        }
        platform.db().executeBlocking(() -> {
            List<Long> ids = new ArrayList<>();
            for (Long id = committed.poll(); id != null; id = committed.poll()) {
                ids.add(id);
                if (ids.size() == IDS_PER_NOTIFICATION) {
                    tellIds(ids);
                    ids.clear();
                }
            }
            if (!ids.isEmpty()) {
                tellIds(ids);
            }
            return null;
        }, false).onComplete(ar -> {
            telling.set(false);
            tellCommitted();
        });
    }

    private void tellIds(List<Long> ids) {
        StringBuilder payload = new StringBuilder(tag).append(' ');
        for (int i = 0; i < ids.size(); i++) {
            payload.append(i == 0 ? "" : ",").append(ids.get(i));
        }
        tell(ALERTS, payload.toString());
    }

    /** Notifies the other processes; blocking. A failure is logged: they catch up by their poll or a resume. */
    private Void tell(String channel, String payload) {
        try (Connection c = storage.database().dataSource().getConnection()) {
            ChangeFeed.publish(c, channel, payload);
        } catch (SQLException | RuntimeException e) {
            log.warn("other processes not told [channel: {}, cause: {}]", channel, e.toString());
        }
        return null;
    }

    /** Stops listening and gives up the lead. */
    @Override
    public void close() {
        consumers.forEach(MessageConsumer::unregister);
        feed.close();
        leadership.close();
    }
}
