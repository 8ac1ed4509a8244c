package fr.gardien.gateway.alerts;

import fr.gardien.rules.RuleSignal;
import fr.gardien.storage.alerts.Alert;
import fr.gardien.storage.alerts.AlertChange;
import fr.gardien.storage.alerts.AlertEvent;
import fr.gardien.storage.alerts.AlertQuery;
import fr.gardien.storage.alerts.AlertStore;
import fr.gardien.storage.alerts.LeaseFence;
import fr.gardien.storage.alerts.Silence;
import fr.gardien.storage.alerts.SilenceStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert lifecycle in the gateway: applies the rule engine's signals and people's actions
 * through the {@link AlertStore} (silences through the {@link SilenceStore}) on the database worker pool, then publishes each committed
 * transition on the event bus ({@value #ADDRESS}, an {@link AlertEvent} as JSON, see
 * {@link AlertJson#event}) and counts it ({@code gardien.alerts.transitions{kind}}).
 *
 * <p>Every method returns at once; the {@code Future} fails with the store's exception
 * ({@link fr.gardien.storage.db.StorageException}, {@link fr.gardien.storage.alerts.AlertConflictException},
 * {@link IllegalArgumentException}).
 */
public final class AlertService {

    /** Event bus address of committed transitions (local; other processes' arrive through {@link AlertRelay}). */
    public static final String ADDRESS = "gardien.alerts";
    static final Duration SETTLE_INTERVAL = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(AlertService.class);

    private final Vertx vertx;
    private final AlertStore store;
    private final SilenceStore silences;
    private final WorkerExecutor db;
    private final AlertMetrics metrics;
    private final Clock clock;
    /** The last pending apply of each rule instance, so that its signals are applied in order. */
    private final ConcurrentMap<String, Future<AlertChange>> tails = new ConcurrentHashMap<>();
    private long settleTimer = -1;

    public AlertService(Vertx vertx, AlertStore store, SilenceStore silences, WorkerExecutor db, AlertMetrics metrics,
            Clock clock) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.store = Objects.requireNonNull(store, "store");
        this.silences = Objects.requireNonNull(silences, "silences");
        this.db = Objects.requireNonNull(db, "db");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Starts resolving flapping alerts once quiet, every {@link #SETTLE_INTERVAL}. */
    public void start() {
        settleTimer = vertx.setPeriodic(SETTLE_INTERVAL.toMillis(), id -> settleFlapping()
                .onFailure(e -> log.warn("flapping alerts not settled [cause: {}]", e.toString())));
    }

    public void stop() {
        if (settleTimer >= 0) {
            vertx.cancelTimer(settleTimer);
        }
    }

    /**
     * Applies a signal of the rule engine. Signals of one rule instance (rule, site, equipment)
     * are applied in the order of the calls; different instances run in parallel.
     *
     * @return what changed (see {@link AlertStore#apply})
     */
    public Future<AlertChange> apply(RuleSignal signal) {
        return apply(signal, null);
    }

    /**
     * As {@link #apply(RuleSignal)}, on a worker of the cluster (issue 13): the transition commits
     * only under {@code fence}, the lease of the site's partition (see {@link AlertStore#apply(RuleSignal, LeaseFence)}).
     *
     * @param fence {@code null} in a single process
     */
    public Future<AlertChange> apply(RuleSignal signal, LeaseFence fence) {
        String key = signal.ruleId() + '\u0000' + signal.site() + '\u0000' + signal.equipment();
        Promise<AlertChange> done = Promise.promise();
        Future<AlertChange> previous = tails.put(key, done.future());
        Future<AlertChange> before = previous == null ? Future.succeededFuture() : previous;
        before.transform(ignored -> blocking(() -> published(store.apply(signal, fence)))).onComplete(done);
        done.future().onComplete(ar -> tails.remove(key, done.future()));
        return done.future();
    }

    /** Acknowledges an alert for {@code who}; empty when unknown. */
    public Future<Optional<AlertChange>> acknowledge(long id, String who) {
        return blocking(() -> store.acknowledge(id, who).map(this::published));
    }

    /** Resolves an alert by hand for {@code who}; empty when unknown. */
    public Future<Optional<AlertChange>> resolve(long id, String who, String note) {
        return blocking(() -> store.resolve(id, who, note).map(this::published));
    }

    /** Resolves the flapping alerts quiet for the flap window. */
    public Future<List<AlertChange>> settleFlapping() {
        Instant now = clock.instant();
        return blocking(() -> {
            List<AlertChange> changes = store.settleFlapping(now);
            changes.forEach(this::published);
            return changes;
        });
    }

    public Future<Optional<Alert>> get(long id) {
        return blocking(() -> store.get(id));
    }

    public Future<List<Alert>> list(AlertQuery query) {
        return blocking(() -> store.list(query));
    }

    /** Transitions after {@code lastEventId} with their alerts, for SSE resume. */
    public Future<List<AlertEvent>> eventsAfter(long lastEventId, Set<String> sites, int limit) {
        return blocking(() -> store.transitionsAfter(lastEventId, sites, limit));
    }

    public Future<Silence> createSilence(String site, String equipment, String ruleId, Instant from, Instant until,
            String who, String reason) {
        return blocking(() -> silences.create(site, equipment, ruleId, from, until, who, reason));
    }

    /** Silences not ended yet, of these sites ({@code null}: all). */
    public Future<List<Silence>> silences(Set<String> sites) {
        return blocking(() -> silences.list(sites));
    }

    public Future<Optional<Silence>> silence(long id) {
        return blocking(() -> silences.get(id));
    }

    public Future<Boolean> deleteSilence(long id) {
        return blocking(() -> silences.delete(id));
    }

    /** Counts and publishes a committed change, from the worker thread right after its commit. */
    private AlertChange published(AlertChange change) {
        if (change.kind() == AlertChange.Kind.FENCED) {
            log.info("alert transition not written: this worker no longer holds the site's partition");
        }
        if (change.transitioned()) {
            metrics.transition(change.transition().kind().code());
            vertx.eventBus().publish(ADDRESS, AlertJson.event(new AlertEvent(change.transition(), change.alert())));
            log.debug("alert transition [alert: {}, kind: {}, rule: {}, site: {}]", change.alert().id(),
                    change.transition().kind().code(), change.alert().ruleId(), change.alert().site());
        }
        return change;
    }

    private <T> Future<T> blocking(Callable<T> work) {
        return db.executeBlocking(work, false);
    }
}
