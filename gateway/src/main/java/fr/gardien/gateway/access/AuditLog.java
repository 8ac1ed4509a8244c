package fr.gardien.gateway.access;

import fr.gardien.model.PointKey;
import fr.gardien.storage.access.AuditEntry;
import fr.gardien.storage.access.AuditStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log of data access (issue 5): who (the token's name), what (method, route, path,
 * sites, query and path parameters), when, and the status answered, for every authenticated API
 * request. Never a body, a token, a secret or a header.
 *
 * <p>Written without blocking an event loop and without slowing reads: the request's entry is
 * put in a bounded queue when its response headers go out, and a flush on the database worker
 * pool inserts the queue as one JDBC batch every {@link #FLUSH_INTERVAL} or as soon as
 * {@link #BATCH} entries wait. A batch the database refuses is kept and tried again first.
 *
 * <p>When the queue is full (the database has been refusing or lagging for a while), new
 * authenticated requests are refused with 503 and {@code Retry-After} ({@link #admits}): data is
 * not served unaudited. An entry of a request admitted just before the queue filled is dropped
 * and counted ({@code gardien_audit_entries_total{outcome="dropped"}}) with a WARN at most once a
 * minute.
 */
public final class AuditLog {

    static final Duration FLUSH_INTERVAL = Duration.ofSeconds(1);
    static final int BATCH = 500;
    static final int MAX_PARAMETER_CHARS = 200;
    /** How long a stop waits for a flush in progress, in 10 ms ticks. */
    private static final int STOP_WAIT_TICKS = 1000;
    private static final String SITES_KEY = "gardien.audit.sites";
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(token|secret|password|signature|key).*");
    private static final Duration WARN_EVERY = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    private final Vertx vertx;
    private final AuditStore store;
    private final WorkerExecutor db;
    private final AuditMetrics metrics;
    private final Clock clock;
    private final ArrayBlockingQueue<AuditEntry> queue;
    private final AtomicBoolean flushing = new AtomicBoolean();
    private volatile List<AuditEntry> unwritten = List.of();
    private volatile Instant lastDropWarning = Instant.EPOCH;
    private long timer = -1;

    public AuditLog(Vertx vertx, AuditStore store, WorkerExecutor db, int queueCapacity, AuditMetrics metrics, Clock clock) {
        this.vertx = vertx;
        this.store = store;
        this.db = db;
        this.metrics = metrics;
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
    }

    /** Starts the periodic flush. */
    public void start() {
        timer = vertx.setPeriodic(FLUSH_INTERVAL.toMillis(), id -> flush());
    }

    /** True while the queue has room: the request may be served. */
    public boolean admits() {
        return queue.remainingCapacity() > 0;
    }

    /** Counts a request refused because the queue was full. */
    public void refused() {
        metrics.refused();
    }

    /** Entries waiting for their insert. */
    public int queued() {
        return queue.size() + unwritten.size();
    }

    /**
     * Records the request when its response headers are sent (its status is known then).
     *
     * @param actor the token's name, or the name of the signed caller
     * @param role the token's role; {@code null} without a token
     */
    public void record(RoutingContext ctx, String actor, String role) {
        Instant at = clock.instant();
        String method = ctx.request().method().name();
        String route = ctx.currentRoute() != null && ctx.currentRoute().getPath() != null
                ? ctx.currentRoute().getPath() : ctx.request().path();
        String path = ctx.request().path();
        ctx.addHeadersEndHandler(v -> offer(new AuditEntry(0, at, actor, role, method, route, path, sites(ctx),
                parameters(ctx), ctx.response().getStatusCode())));
    }

    /** Notes a site the request touched (an alert's, a silence's), for the audit entry. */
    public static void site(RoutingContext ctx, String site) {
        Set<String> sites = ctx.get(SITES_KEY);
        if (sites == null) {
            sites = new LinkedHashSet<>();
            ctx.put(SITES_KEY, sites);
        }
        sites.add(site);
    }

    void offer(AuditEntry entry) {
        if (queue.offer(entry)) {
            if (queue.size() >= BATCH) {
                flush();
            }
            return;
        }
        metrics.dropped();
        Instant now = clock.instant();
        if (now.isAfter(lastDropWarning.plus(WARN_EVERY))) {
            lastDropWarning = now;
            log.warn("audit log queue full: an entry was dropped [actor: {}, route: {}, queued: {}]", entry.actor(),
                    entry.route(), queue.size());
        }
    }

    /**
     * Inserts what is queued, in batches, unless a flush is running.
     *
     * @return completes when this flush is done (at once when another one runs); never fails
     */
    public Future<Void> flush() {
        if ((queue.isEmpty() && unwritten.isEmpty()) || !flushing.compareAndSet(false, true)) {
            return Future.succeededFuture();
        }
        Promise<Void> done = Promise.promise();
        db.executeBlocking(() -> {
            writeAll();
            return null;
        }, false).onComplete(ar -> {
            flushing.set(false);
            if (ar.failed()) {
                log.warn("audit log not written, will retry [entries: {}, cause: {}]", queued(), ar.cause().toString());
            }
            done.complete();
        });
        return done.future();
    }

    /** On the worker: the kept batch first, then the queue, batch by batch. */
    private void writeAll() {
        while (true) {
            List<AuditEntry> batch = unwritten;
            if (batch.isEmpty()) {
                List<AuditEntry> drained = new ArrayList<>(Math.min(BATCH, queue.size()));
                queue.drainTo(drained, BATCH);
                batch = drained;
            }
            if (batch.isEmpty()) {
                return;
            }
            unwritten = batch;
            store.insert(batch);
            unwritten = List.of();
            metrics.written(batch.size());
        }
    }

    /** Stops the periodic flush and writes what is queued, after a flush in progress (if any) is done. */
    public Future<Void> stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        Promise<Void> done = Promise.promise();
        flushAtStop(done, 0);
        return done.future();
    }

    private void flushAtStop(Promise<Void> done, int waited) {
        if (flushing.get() && waited < STOP_WAIT_TICKS) {
            vertx.setTimer(10, id -> flushAtStop(done, waited + 1));
            return;
        }
        flush().onComplete(ar -> done.complete());
    }

    private static List<String> sites(RoutingContext ctx) {
        Set<String> sites = new LinkedHashSet<>();
        String site = ctx.request().getParam("site");
        if (site != null) {
            sites.add(site);
        }
        String pathSite = ctx.pathParam("site");
        if (pathSite != null) {
            sites.add(pathSite);
        }
        String point = ctx.request().getParam("point");
        PointKey key = point == null ? null : PointKey.parse(point);
        if (key != null) {
            sites.add(key.site());
        }
        Set<String> noted = ctx.get(SITES_KEY);
        if (noted != null) {
            sites.addAll(noted);
        }
        return new ArrayList<>(sites);
    }

    private static Map<String, String> parameters(RoutingContext ctx) {
        Map<String, String> parameters = new LinkedHashMap<>();
        ctx.queryParams().forEach(e -> parameters.merge(e.getKey(), safe(e.getKey(), e.getValue()), (a, b) -> a + "," + b));
        ctx.pathParams().forEach((k, v) -> parameters.put(k, safe(k, v)));
        return parameters;
    }

    private static String safe(String name, String value) {
        if (SECRET_NAME.matcher(name).matches()) {
            return "****";
        }
        return value.length() <= MAX_PARAMETER_CHARS ? value : value.substring(0, MAX_PARAMETER_CHARS) + "…";
    }
}
