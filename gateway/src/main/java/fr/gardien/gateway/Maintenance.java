package fr.gardien.gateway;

import fr.gardien.gateway.config.ClusterConfig;
import fr.gardien.gateway.config.GardienConfig;
import fr.gardien.gateway.ops.GatewayMetrics;
import fr.gardien.storage.access.AuditStore;
import fr.gardien.storage.write.QuarantineStore;
import fr.gardien.storage.series.RollupStore;
import fr.gardien.storage.access.TokenStore;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.time.Instant;
import fr.gardien.storage.retention.RetentionPurger;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic work, on the database worker pool: rollups, the portfolio and API tokens changed
 * elsewhere, partitions ahead, and the purge of quarantine and audit entries, readings, rollups, resolved
 * alerts and people's names past their retention (issue 14). In a cluster, partitions and purges
 * are the leader's alone, as are the TimescaleDB policies; the poll of portfolio and tokens is the
 * backstop of the change feed.
 */
final class Maintenance implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Maintenance.class);
    private static final Duration PORTFOLIO_POLL = Duration.ofSeconds(5);
    private static final Duration PARTITION_MAINTENANCE = Duration.ofHours(1);

    private final RollupMaintainer rollups;

    private Maintenance(GardienConfig config, Platform platform, Storage storage, GatewayMetrics metrics, BooleanSupplier leads) {
        WorkerExecutor db = platform.db();
        rollups = new RollupMaintainer(platform.vertx(), new RollupStore(storage.database().dataSource()), db,
                config.rollup().interval(), metrics);
        metrics.gauge("gardien.rollup.backlog.segments", "Rollup log segments not folded yet, at the last pass",
                () -> rollups.backlog().segments());
        metrics.gauge("gardien.rollup.lag.seconds", "Age of the oldest rollup log row not folded yet, at the last pass",
                () -> rollups.backlog().oldest().toNanos() / 1e9);

        TokenStore tokens = new TokenStore(storage.database().dataSource());
        // Tokens too: another gateway on the same database may have created or revoked one.
        platform.vertx().setPeriodic(PORTFOLIO_POLL.toMillis(), id -> db.executeBlocking(() -> {
            boolean changed = platform.registry().reloadIfChanged();
            platform.registry().refreshTokens(tokens);
            return changed;
        }, false)
                // A site may have changed time zone: its daily rollups follow.
                .compose(changed -> changed ? rollups.rebuildStaleDays().mapEmpty() : Future.succeededFuture())
                .onFailure(e -> log.warn("registry refresh failed (portfolio file, API tokens or rollups): {}", e.toString())));

        if (config.cluster().role() != ClusterConfig.Role.ALL) {
            // Alone, a process wrote them at start; in a cluster the leader writes them once it leads (issue 13).
            AtomicBoolean written = new AtomicBoolean();
            platform.vertx().setPeriodic(1, PORTFOLIO_POLL.toMillis(), id -> {
                if (!leads.getAsBoolean()) {
                    written.set(false);
                } else if (written.compareAndSet(false, true)) {
                    db.executeBlocking(() -> {
                        storage.applyPolicies();
                        return null;
                    }, false).onFailure(e -> {
                        written.set(false);
                        log.warn("TimescaleDB policies not written, tried again in {} [cause: {}]", PORTFOLIO_POLL, e.toString());
                    });
                }
            });
        }
        QuarantineStore quarantine = new QuarantineStore(storage.database().dataSource());
        AuditStore audit = new AuditStore(storage.database().dataSource());
        RetentionPurger purger = new RetentionPurger(storage.database().dataSource());
        platform.vertx().setPeriodic(PARTITION_MAINTENANCE.toMillis(), id -> db.executeBlocking(() -> {
            if (!leads.getAsBoolean()) {
                return null; // another process of the cluster leads and does it (issue 13)
            }
            storage.database().partitions().maintain(Instant.now());
            int purged = quarantine.purge(platform.governance().quarantineRetention(), config.storage().quarantineRetention(),
                    Instant.now());
            if (purged > 0) {
                log.info("quarantine entries past their retention deleted [count: {}]", purged);
            }
            Map<String, Integer> retained = new HashMap<>(purger.purge(platform.governance().retentionPolicy(), Instant.now()));
            retained.values().removeIf(n -> n == 0);
            if (!retained.isEmpty()) {
                log.info("data past its retention deleted or pseudonymised [rows: {}]", retained);
            }
            int audited = audit.purgeBefore(Instant.now().minus(config.audit().retention()));
            if (audited > 0) {
                log.info("audit entries past their retention deleted [count: {}]", audited);
            }
            return null;
        }, false).onFailure(e -> log.warn("maintenance failed: {}", e.toString())));
    }

    /** Starts the rollup passes and the periodic tasks (they stop with Vert.x). */
    static Maintenance start(GardienConfig config, Platform platform, Storage storage, GatewayMetrics metrics,
            BooleanSupplier leads) {
        return new Maintenance(config, platform, storage, metrics, leads);
    }

    /** Stops the rollup passes. */
    @Override
    public void close() {
        rollups.close();
    }
}
