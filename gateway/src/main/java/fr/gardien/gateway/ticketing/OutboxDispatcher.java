package fr.gardien.gateway.ticketing;

import fr.gardien.gateway.registry.RegistryView;
import fr.gardien.gateway.registry.Registry;
import fr.gardien.storage.alerts.Alert;
import fr.gardien.storage.alerts.DigestEntry;
import fr.gardien.storage.alerts.DigestItem;
import fr.gardien.storage.alerts.DigestStore;
import fr.gardien.storage.alerts.OutboxEntry;
import fr.gardien.storage.alerts.OutboxItem;
import fr.gardien.storage.alerts.OutboxStore;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox (issue 4): every poll it routes the new rows, claims the due rows of each
 * connector up to its free concurrency, hands each to its connector with the alert's ticket
 * reference in that connector, and records the outcome with its audit row in one transaction:
 * delivered (the alert's ticket updated), retry after an exponential backoff with jitter, or
 * dead once the connector refuses for good or the attempts are spent. Digest tickets (the alerts
 * beyond a route's daily budget, see {@link Router}) are claimed and delivered the same way once
 * their day is over.
 *
 * <p>Nothing is lost: a row stays pending until an outcome is recorded, and a dispatcher that
 * stops or dies mid-delivery leaves its claimed rows to be due again when their claim expires,
 * to be delivered again with the same idempotency key. JDBC runs on the database worker executor.
 */
public final class OutboxDispatcher {

    private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);
    private static final int ROUTE_BATCH = 200;

    private final Vertx vertx;
    private final WorkerExecutor db;
    private final OutboxStore store;
    private final DigestStore digests;
    private final DeliverySettings settings;
    private final Map<String, TicketConnector> connectors;
    private final Map<String, AtomicInteger> inFlight = new LinkedHashMap<>();
    private final RegistryView registry;
    private final Router router;
    private final PrivacyBoundary boundary;
    private final String language;
    private final Backoff backoff;
    private final Clock clock;
    private final DeliveryMetrics metrics;
    private final AtomicBoolean polling = new AtomicBoolean();
    private final Set<Future<?>> deliveries = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private volatile boolean closed;
    private long timer = -1;

    /**
     * @param connectors by name: every connector the configuration names
     * @param clock the time of claims, backoffs, quiet hours and audit rows
     */
    public OutboxDispatcher(Vertx vertx, WorkerExecutor db, OutboxStore store, DigestStore digests, TicketingConfig config,
            Map<String, TicketConnector> connectors, RegistryView registry, DeliveryMetrics metrics, Clock clock) {
        this.vertx = vertx;
        this.db = db;
        this.store = store;
        this.digests = digests;
        this.settings = config.delivery();
        this.connectors = Map.copyOf(connectors);
        for (ConnectorSpec spec : config.connectors()) {
            if (!connectors.containsKey(spec.name())) {
                throw new IllegalArgumentException("no connector built for " + spec.name());
            }
            inFlight.put(spec.name(), new AtomicInteger());
        }
        this.registry = registry;
        this.router = new Router(config.routes(), config.defaultConnector(), connectors.keySet());
        this.boundary = new PrivacyBoundary(config.publicUrl());
        this.language = config.language();
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Polls every {@code poll-interval} until {@link #stop}. */
    public void start() {
        timer = vertx.setPeriodic(settings.pollInterval().toMillis(), id -> pollOnce()
                .onFailure(e -> log.warn("outbox poll failed [cause: {}]", e.toString())));
        log.info("ticket dispatcher started [connectors: {}, poll: {}, concurrency: {}]", connectors.keySet(),
                settings.pollInterval(), settings.concurrency());
    }

    /**
     * One poll: routes, claims and delivers what is due, outbox rows first, then the digests due
     * with the slots left.
     *
     * @return completes with the number of deliveries claimed once each has its outcome recorded
     *     (0 at once when a poll is already claiming or the dispatcher is stopping); fails when
     *     the database does
     */
    public Future<Integer> pollOnce() {
        if (stopping || !polling.compareAndSet(false, true)) {
            return Future.succeededFuture(0);
        }
        return db.<Claimed>executeBlocking(this::routeAndClaim, false)
                .andThen(ar -> polling.set(false))
                .compose(claimed -> {
                    List<Future<Void>> each = new ArrayList<>(claimed.size());
                    for (OutboxItem item : claimed.items()) {
                        each.add(deliver(item));
                    }
                    for (DigestItem digest : claimed.digests()) {
                        each.add(deliver(digest));
                    }
                    return Future.join(each).map(claimed.size());
                });
    }

    private record Claimed(List<OutboxItem> items, List<DigestItem> digests) {
        int size() {
            return items.size() + digests.size();
        }
    }

    private Claimed routeAndClaim() {
        Instant now = clock.instant();
        store.route(connectors.keySet(), ROUTE_BATCH, now,
                (item, previous) -> router.route(item.alert(), previous, registry.current(), now));
        List<OutboxItem> claimed = new ArrayList<>();
        List<DigestItem> digestsClaimed = new ArrayList<>();
        for (Map.Entry<String, AtomicInteger> c : inFlight.entrySet()) {
            int free = settings.concurrency() - c.getValue().get();
            if (free <= 0) {
                continue;
            }
            // Slots are taken before the claim so that a delivery ending meanwhile cannot lend its slot twice.
            c.getValue().addAndGet(free);
            int taken = 0;
            try {
                List<OutboxItem> items = store.claim(c.getKey(), free, now, now.plus(settings.claimTimeout()));
                claimed.addAll(items);
                taken += items.size();
                List<DigestItem> due = digests.claim(c.getKey(), free - taken, now, now.plus(settings.claimTimeout()));
                digestsClaimed.addAll(due);
                taken += due.size();
            } finally {
                c.getValue().addAndGet(taken - free);
            }
        }
        return new Claimed(claimed, digestsClaimed);
    }

    /** Delivers one claimed row and records the outcome; never fails (a failed record is logged: the claim expires). */
    private Future<Void> deliver(OutboxItem item) {
        OutboxEntry entry = item.entry();
        TicketConnector connector = connectors.get(entry.connector());
        Alert.Ticket ticket = item.alert().ticket();
        String ref = ticket != null && connector.name().equals(ticket.connector()) ? ticket.ref() : null;
        return track(entry.connector(), "outbox " + entry.id(), answered(() -> connector.deliver(
                boundary.outbound(item.alert(), item.transition(), registry.current(), language), ref))
                .transform(ar -> closed ? Future.<Void>succeededFuture() : record(entry.connector(), entry.attempts(), ar,
                        new Outcome() {
                            @Override
                            public void delivered(Instant now, DeliveryResult r) {
                                store.delivered(entry, now, r.ticketRef(), r.ticketStatus(), r.statusCode());
                                log.debug("delivered [outbox: {}, connector: {}, attempt: {}, key: {}]", entry.id(),
                                        entry.connector(), entry.attempts(), entry.idempotencyKey());
                            }

                            @Override
                            public void failed(Instant now, Instant next, DeliveryException e) {
                                store.failed(entry, now, next, e.statusCode(), e.getMessage());
                                logFailure("outbox " + entry.id() + ", alert: " + entry.alertId(), entry.connector(),
                                        entry.attempts(), next, e);
                            }
                        })));
    }

    /** Delivers one claimed digest and records the outcome; never fails, as {@link #deliver(OutboxItem)}. */
    private Future<Void> deliver(DigestItem item) {
        DigestEntry entry = item.entry();
        TicketConnector connector = connectors.get(entry.connector());
        return track(entry.connector(), "digest " + entry.id(), answered(() -> connector.deliverDigest(
                boundary.digest(item, registry.current(), language)))
                .transform(ar -> closed ? Future.<Void>succeededFuture() : record(entry.connector(), entry.attempts(), ar,
                        new Outcome() {
                            @Override
                            public void delivered(Instant now, DeliveryResult r) {
                                digests.delivered(entry, now, r.ticketRef(), r.statusCode());
                                log.info("digest delivered [digest: {}, connector: {}, site: {}, day: {}, alerts: {}]",
                                        entry.id(), entry.connector(), entry.site(), entry.day(), item.alerts().size());
                            }

                            @Override
                            public void failed(Instant now, Instant next, DeliveryException e) {
                                digests.failed(entry, now, next, e.statusCode(), e.getMessage());
                                logFailure("digest " + entry.id(), entry.connector(), entry.attempts(), next, e);
                            }
                        })));
    }

    /** Frees the connector's slot when {@code recorded} completes; a failure to record is logged (the claim expires). */
    private Future<Void> track(String connector, String what, Future<Void> recorded) {
        Future<Void> done = recorded
                .recover(e -> {
                    log.warn("delivery outcome not recorded; it is due again when its claim expires [{}, cause: {}]", what,
                            e.toString());
                    return Future.succeededFuture();
                })
                .andThen(ar -> inFlight.get(connector).decrementAndGet());
        deliveries.add(done);
        done.onComplete(ar -> deliveries.remove(done));
        return done;
    }

    /** The connector's answer, or a retryable failure when none comes within the claim timeout. */
    private Future<DeliveryResult> answered(Supplier<Future<DeliveryResult>> delivery) {
        Future<DeliveryResult> sent;
        try {
            sent = delivery.get();
        } catch (RuntimeException e) {
            sent = Future.failedFuture(e);
        }
        // A connector that never answers would hold its slot for ever; its claim expires then anyway.
        Promise<DeliveryResult> answer = Promise.promise();
        long guard = vertx.setTimer(settings.claimTimeout().toMillis(), t -> answer.tryFail(
                new DeliveryException("no answer within the claim timeout (" + settings.claimTimeout() + ")", true, 0)));
        sent.onComplete(ar -> {
            vertx.cancelTimer(guard);
            if (ar.succeeded()) {
                answer.tryComplete(ar.result());
            } else {
                answer.tryFail(ar.cause());
            }
        });
        return answer.future();
    }

    /** How one kind of delivery records its outcome (blocking, on the database executor). */
    private interface Outcome {
        void delivered(Instant now, DeliveryResult result);

        /** @param next when to try again, {@code null} when dead */
        void failed(Instant now, Instant next, DeliveryException e);
    }

    private Future<Void> record(String connector, int attempts, AsyncResult<DeliveryResult> answer, Outcome outcome) {
        Instant now = clock.instant();
        if (answer.succeeded()) {
            return db.executeBlocking(() -> {
                outcome.delivered(now, answer.result());
                metrics.delivery(connector, OutboxEntry.DELIVERED);
                return null;
            }, false);
        }
        Throwable failure = answer.cause();
        DeliveryException de = failure instanceof DeliveryException d ? d
                // Not the connector contract's failure: a bug or an unexpected library error; its message may not be safe.
                : new DeliveryException("unexpected failure: " + failure.getClass().getSimpleName(), true, 0);
        boolean dead = !de.retryable() || attempts >= settings.maxAttempts();
        Instant next = dead ? null : now.plus(backoff.after(attempts));
        return db.executeBlocking(() -> {
            outcome.failed(now, next, de);
            metrics.delivery(connector, dead ? OutboxEntry.DEAD : "retry");
            return null;
        }, false);
    }

    private static void logFailure(String what, String connector, int attempts, Instant next, DeliveryException e) {
        if (next == null) {
            log.error("delivery dead-lettered; retry it through the API once the cause is fixed [{}, connector: {},"
                    + " attempts: {}, reason: {}]", what, connector, attempts, e.getMessage());
        } else {
            log.warn("delivery failed, will retry [{}, connector: {}, attempt: {}, next: {}, reason: {}]", what, connector,
                    attempts, next, e.getMessage());
        }
    }

    /**
     * Stops polling, waits up to {@code grace} for the deliveries in flight to be recorded, then
     * closes the connectors. A delivery still unanswered is abandoned: its row is due again when
     * its claim expires.
     */
    public Future<Void> stop(Duration grace) {
        stopping = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        List<Future<?>> pending = new ArrayList<>(deliveries);
        return Future.join(pending).timeout(Math.max(1, grace.toMillis()), TimeUnit.MILLISECONDS)
                .otherwiseEmpty()
                .compose(v -> {
                    closed = true;
                    if (!deliveries.isEmpty()) {
                        log.warn("stopping with deliveries unanswered; they are due again when their claim expires [count: {}]",
                                deliveries.size());
                    }
                    List<Future<Void>> closing = new ArrayList<>();
                    connectors.values().forEach(c -> closing.add(c.close()));
                    return Future.join(closing).<Void>mapEmpty().otherwiseEmpty();
                })
                .andThen(ar -> log.info("ticket dispatcher stopped"));
    }
}
