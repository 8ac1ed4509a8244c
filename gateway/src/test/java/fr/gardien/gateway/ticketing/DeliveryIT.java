package fr.gardien.gateway.ticketing;

import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.rules.yaml.YamlNode;
import fr.gardien.gateway.registry.Registry;
import fr.gardien.model.Equipment;
import fr.gardien.model.Site;
import fr.gardien.rules.Explanation;
import fr.gardien.rules.RuleSignal;
import fr.gardien.rules.Severity;
import fr.gardien.rules.Urgency;
import fr.gardien.storage.alerts.Alert;
import fr.gardien.storage.alerts.AlertChange;
import fr.gardien.storage.alerts.DeliveryRecord;
import fr.gardien.storage.alerts.DigestStore;
import fr.gardien.storage.alerts.OutboxEntry;
import fr.gardien.storage.alerts.OutboxStore;
import fr.gardien.storage.access.StoredRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The outbox dispatcher against a real PostgreSQL, with fake connectors that can fail or hang. */
@Timeout(60)
class DeliveryIT extends OutboxStoresBase {

    static final Instant T0 = Instant.parse("2026-11-20T12:00:00Z");
    static final Registry REGISTRY = Registry.of(new StoredRegistry(List.of(
            new Site("tilleuls", "Résidence Les Tilleuls", ZoneId.of("Europe/Paris"), List.of(
                    new Equipment("boiler-1", "boiler", List.of()), new Equipment("lift-a", "lift", List.of()))),
            new Site("chenes", "Résidence Les Chênes", ZoneId.of("Europe/Paris"), List.of(
                    new Equipment("boiler-1", "boiler", List.of())))),
            List.of(), List.of(), List.of()));
    static final DeliverySettings FAST = new DeliverySettings(100, Duration.ofSeconds(30), Duration.ofMinutes(10), 4,
            Duration.ofSeconds(1), Duration.ofMinutes(5));

    private final MutableClock clock = new MutableClock(T0);
    /** Every outcome the dispatchers reported, as connector/outcome. */
    private final List<String> reported = new CopyOnWriteArrayList<>();

    // --- fixtures

    /** A connector of our own: records every call; its behaviour can be switched (succeed, fail, hang). */
    static final class FakeConnector implements TicketConnector {
        record Call(String key, String ticketRef, OutboundAlert alert) {
        }

        final String name;
        final List<Call> calls = new CopyOnWriteArrayList<>();
        volatile Function<OutboundAlert, Future<DeliveryResult>> behaviour = FakeConnector::accept;

        FakeConnector(String name) {
            this.name = name;
        }

        static Future<DeliveryResult> accept(OutboundAlert a) {
            return Future.succeededFuture(new DeliveryResult("T-" + a.alertId(), a.transition().equals("opened") ? "created"
                    : "updated", 201));
        }

        static Future<DeliveryResult> down(OutboundAlert a) {
            return Future.failedFuture(new DeliveryException("HTTP 503 from the ticketing system", true, 503));
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Future<DeliveryResult> deliver(OutboundAlert alert, String ticketRef) {
            calls.add(new Call(alert.idempotencyKey(), ticketRef, alert));
            return behaviour.apply(alert);
        }

        /** Digests delivered or tried, in order. */
        final List<OutboundDigest> digests = new CopyOnWriteArrayList<>();

        @Override
        public Future<DeliveryResult> deliverDigest(OutboundDigest digest) {
            digests.add(digest);
            return behaviour.apply(digest.asTicket()).map(r -> new DeliveryResult("D-" + digest.digestId(), "created",
                    r.statusCode()));
        }

        List<String> keys() {
            return calls.stream().map(Call::key).toList();
        }
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant t) {
            now = t;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    static ConnectorSpec spec(String name) {
        return new ConnectorSpec(name, ConnectorSpec.Type.WEBHOOK, "ticketing.connectors[0]", new YamlNode.Mapping(1, List.of()));
    }

    static TicketingConfig config(List<Route> routes, String defaultConnector, DeliverySettings settings, String... connectors) {
        List<ConnectorSpec> specs = new ArrayList<>();
        for (String c : connectors) {
            specs.add(spec(c));
        }
        return new TicketingConfig(specs, routes, defaultConnector, settings, "https://gardien.example", "en");
    }

    private OutboxDispatcher dispatcher(TicketingConfig config, FakeConnector... connectors) {
        Map<String, TicketConnector> byName = new java.util.LinkedHashMap<>();
        for (FakeConnector c : connectors) {
            byName.put(c.name(), c);
        }
        OutboxDispatcher d = new OutboxDispatcher(vertx, worker, outbox, new DigestStore(db.dataSource()), config, byName,
                () -> REGISTRY,
                (connector, outcome) -> reported.add(connector + "/" + outcome), clock);
        dispatchers.add(d);
        return d;
    }

    private AlertChange raise(String rule, String site, String equipment, String category, Urgency urgency) {
        return raise(rule, site, equipment, category, urgency, Severity.MAJOR);
    }

    private AlertChange raise(String rule, String site, String equipment, String category, Urgency urgency,
            Severity severity) {
        Instant at = clock.instant();
        return alerts.apply(new RuleSignal(RuleSignal.Kind.RAISED, rule, site, equipment, severity, category, urgency, at,
                new Explanation(at.minus(Duration.ofMinutes(45)), at, Map.of("min", 31.5), "Départ sous 35 °C depuis 45 min",
                        "Supply below 35 °C for 45 min")));
    }

    private AlertChange raise(String rule) {
        return raise(rule, "tilleuls", "boiler-1", "heat", Urgency.IMMEDIATE);
    }

    private List<DeliveryRecord> audit(long alertId) {
        List<DeliveryRecord> rows = new ArrayList<>(outbox.deliveries(alertId, null, 1000));
        java.util.Collections.reverse(rows);
        return rows;
    }

    // --- tests

    /** A transition is delivered once, with alertId:transitionId, and its ticket reference is stored on the alert and passed to the next transition. */
    @Test
    void transitionIsDeliveredOnceWithItsIdempotencyKey() throws Exception {
        FakeConnector hook = new FakeConnector("hook");
        OutboxDispatcher d = dispatcher(config(List.of(), "hook", FAST, "hook"), hook);
        AlertChange opened = raise("boiler-no-heat");
        long id = opened.alert().id();

        assertThat(await(d.pollOnce())).isEqualTo(1);
        assertThat(await(d.pollOnce())).isZero();

        assertThat(hook.keys()).containsExactly(id + ":" + opened.transition().id());
        assertThat(hook.calls.get(0).ticketRef()).isNull();
        assertThat(hook.calls.get(0).alert().dashboardUrl()).isEqualTo("https://gardien.example/#/alerts/" + id);
        assertThat(row(id).status()).isEqualTo("delivered");
        assertThat(row(id).attempts()).isEqualTo(1);
        assertThat(alerts.get(id).orElseThrow().ticket()).isEqualTo(new Alert.Ticket("hook", "T-" + id, "created"));
        assertThat(audit(id)).extracting(DeliveryRecord::outcome, DeliveryRecord::attempt, DeliveryRecord::connector,
                DeliveryRecord::statusCode, DeliveryRecord::idempotencyKey)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("delivered", 1, "hook", 201, id + ":" + opened.transition().id()));

        AlertChange resolved = alerts.resolve(id, "someone", null).orElseThrow();
        assertThat(await(d.pollOnce())).isEqualTo(1);
        assertThat(hook.calls.get(1).key()).isEqualTo(id + ":" + resolved.transition().id());
        assertThat(hook.calls.get(1).ticketRef()).isEqualTo("T-" + id);
        assertThat(alerts.get(id).orElseThrow().ticket()).isEqualTo(new Alert.Ticket("hook", "T-" + id, "updated"));
    }

    /**
     * The ticketing system down for an hour, then back: every transition is delivered once it
     * is back, with retries spaced by a growing backoff, the attempts and audit rows matching
     * the calls, and each key accepted exactly once.
     */
    @Test
    void anHourOfOutageThenRecoveryLosesNothing() throws Exception {
        FakeConnector hook = new FakeConnector("hook");
        hook.behaviour = FakeConnector::down;
        OutboxDispatcher d = dispatcher(config(List.of(), "hook", FAST, "hook"), hook);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(raise("rule-" + i).alert().id());
        }

        Instant end = T0.plus(Duration.ofHours(1));
        while (clock.instant().isBefore(end)) {
            await(d.pollOnce());
            clock.advance(Duration.ofSeconds(20));
        }
        for (long id : ids) {
            OutboxEntry e = row(id);
            assertThat(e.status()).isEqualTo("pending");
            // 30 s doubling (with jitter) capped at 10 min: about nine tries in an hour, never one per poll.
            assertThat(e.attempts()).isBetween(5, 14);
            assertThat(e.lastError()).isEqualTo("HTTP 503 from the ticketing system");
        }

        hook.behaviour = FakeConnector::accept;
        Instant giveUp = clock.instant().plus(Duration.ofMinutes(30));
        while (clock.instant().isBefore(giveUp) && outbox.list("pending", 100).size() > 0) {
            await(d.pollOnce());
            clock.advance(Duration.ofSeconds(20));
        }

        assertThat(outbox.list("pending", 100)).isEmpty();
        Map<String, Long> callsByKey = hook.keys().stream().collect(Collectors.groupingBy(k -> k, Collectors.counting()));
        assertThat(callsByKey).hasSize(5);
        for (long id : ids) {
            OutboxEntry e = row(id);
            assertThat(e.status()).isEqualTo("delivered");
            assertThat(callsByKey.get(e.idempotencyKey())).isEqualTo(e.attempts());
            List<DeliveryRecord> audit = audit(id);
            assertThat(audit).hasSize(e.attempts());
            assertThat(audit).extracting(DeliveryRecord::attempt).containsExactlyElementsOf(
                    java.util.stream.IntStream.rangeClosed(1, e.attempts()).boxed().toList());
            assertThat(audit.subList(0, e.attempts() - 1)).allSatisfy(r -> {
                assertThat(r.outcome()).isEqualTo("retry");
                assertThat(r.statusCode()).isEqualTo(503);
            });
            assertThat(audit.get(e.attempts() - 1).outcome()).isEqualTo("delivered");
            assertThat(audit).extracting(DeliveryRecord::idempotencyKey).containsOnly(e.idempotencyKey());
        }
        assertThat(hook.calls.stream().filter(c -> c.ticketRef() != null)).isEmpty();
        assertThat(reported.stream().filter(r -> r.equals("hook/delivered"))).hasSize(5);
        assertThat(reported).hasSize(hook.calls.size());
    }

    /**
     * A dispatcher stopped while its connector has not answered leaves the row claimed; a new
     * dispatcher on the same database delivers it once the claim expires, with the same key.
     */
    @Test
    void restartMidDeliveryRedeliversAfterTheClaimExpiresWithTheSameKey() throws Exception {
        FakeConnector hanging = new FakeConnector("hook");
        Promise<DeliveryResult> never = Promise.promise();
        hanging.behaviour = a -> never.future();
        OutboxDispatcher first = dispatcher(config(List.of(), "hook", FAST, "hook"), hanging);
        AlertChange opened = raise("boiler-no-heat");
        long id = opened.alert().id();

        first.pollOnce();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (hanging.calls.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(hanging.calls).hasSize(1);
        await(first.stop(Duration.ofMillis(100)));
        assertThat(row(id).status()).isEqualTo("pending");
        assertThat(row(id).attempts()).isEqualTo(1);

        FakeConnector healthy = new FakeConnector("hook");
        OutboxDispatcher second = dispatcher(config(List.of(), "hook", FAST, "hook"), healthy);
        assertThat(await(second.pollOnce())).as("claimed by the stopped dispatcher until the claim expires").isZero();

        clock.advance(FAST.claimTimeout().plusSeconds(1));
        assertThat(await(second.pollOnce())).isEqualTo(1);
        // The late answer of the stopped dispatcher's connector changes nothing.
        never.complete(new DeliveryResult("LATE", "created", 201));
        Thread.sleep(200);

        assertThat(healthy.keys()).containsExactly(hanging.keys().get(0));
        assertThat(row(id).status()).isEqualTo("delivered");
        assertThat(row(id).attempts()).isEqualTo(2);
        assertThat(alerts.get(id).orElseThrow().ticket().ref()).isEqualTo("T-" + id);
        assertThat(audit(id)).extracting(DeliveryRecord::outcome, DeliveryRecord::attempt)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("delivered", 2));
    }

    /** A refusal that will stay a refusal dead-letters at once; listed as dead; the admin's retry brings it back and it is delivered. */
    @Test
    void nonRetryableFailureIsDeadUntilRetried() throws Exception {
        FakeConnector hook = new FakeConnector("hook");
        hook.behaviour = a -> Future.failedFuture(new DeliveryException("HTTP 400: field summary too long", false, 400));
        OutboxDispatcher d = dispatcher(config(List.of(), "hook", FAST, "hook"), hook);
        long id = raise("boiler-no-heat").alert().id();

        await(d.pollOnce());
        clock.advance(Duration.ofHours(2));
        await(d.pollOnce());

        assertThat(hook.calls).hasSize(1);
        assertThat(outbox.list("dead", 10)).extracting(OutboxEntry::alertId, OutboxEntry::attempts, OutboxEntry::lastError)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(id, 1, "HTTP 400: field summary too long"));
        assertThat(audit(id)).extracting(DeliveryRecord::outcome, DeliveryRecord::statusCode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dead", 400));

        long outboxId = row(id).id();
        OutboxStore.Retry retry = outbox.retry(outboxId, clock.instant()).orElseThrow();
        assertThat(retry.retried()).isTrue();
        assertThat(retry.entry()).extracting(OutboxEntry::status, OutboxEntry::attempts).containsExactly("pending", 0);
        assertThat(outbox.retry(outboxId, clock.instant()).orElseThrow().retried()).isFalse();
        assertThat(outbox.retry(outboxId + 1000, clock.instant())).isEmpty();

        hook.behaviour = FakeConnector::accept;
        await(d.pollOnce());
        assertThat(row(id)).extracting(OutboxEntry::status, OutboxEntry::attempts).containsExactly("delivered", 1);
        assertThat(hook.keys()).containsOnly(row(id).idempotencyKey());
    }

    /** Retryable failures dead-letter once max-attempts tries have failed. */
    @Test
    void retryableFailuresDeadLetterAfterMaxAttempts() throws Exception {
        FakeConnector hook = new FakeConnector("hook");
        hook.behaviour = FakeConnector::down;
        DeliverySettings three = new DeliverySettings(3, Duration.ofSeconds(1), Duration.ofSeconds(2), 4, Duration.ofSeconds(1),
                Duration.ofMinutes(5));
        OutboxDispatcher d = dispatcher(config(List.of(), "hook", three, "hook"), hook);
        long id = raise("boiler-no-heat").alert().id();

        for (int i = 0; i < 10; i++) {
            await(d.pollOnce());
            clock.advance(Duration.ofSeconds(5));
        }

        assertThat(hook.calls).hasSize(3);
        assertThat(row(id)).extracting(OutboxEntry::status, OutboxEntry::attempts).containsExactly("dead", 3);
        assertThat(audit(id)).extracting(DeliveryRecord::outcome).containsExactly("retry", "retry", "dead");
    }

    /** Routes send each alert to the first matching route's connector, else the default; a disabled category is skipped and audited. */
    @Test
    void routingFirstMatchDefaultAndDisabledCategory() throws Exception {
        FakeConnector heating = new FakeConnector("heating");
        FakeConnector general = new FakeConnector("general");
        List<Route> routes = List.of(
                new Route(Map.of("equipment-type", Set.of("boiler"), "site", Set.of("tilleuls")), "heating", Set.of(), null, 10),
                new Route(Map.of("site", Set.of("tilleuls")), "heating", Set.of("heat"), null, 12));
        OutboxDispatcher d = dispatcher(config(routes, "general", FAST, "heating", "general"), heating, general);
        long boiler = raise("no-heat", "tilleuls", "boiler-1", "heat", Urgency.IMMEDIATE).alert().id();
        long lift = raise("lift-stuck", "tilleuls", "lift-a", "lift", Urgency.IMMEDIATE).alert().id();
        long elsewhere = raise("no-heat", "chenes", "boiler-1", "heat", Urgency.IMMEDIATE).alert().id();

        await(d.pollOnce());

        assertThat(heating.calls).extracting(c -> c.alert().alertId()).containsExactly(boiler);
        assertThat(general.calls).extracting(c -> c.alert().alertId()).containsExactly(elsewhere);
        assertThat(row(lift)).extracting(OutboxEntry::status, OutboxEntry::connector, OutboxEntry::lastError)
                .containsExactly("skipped", null, "category lift is not enabled on the route of line 12");
        assertThat(audit(lift)).extracting(DeliveryRecord::outcome).containsExactly("skipped");
        assertThat(row(elsewhere).connector()).isEqualTo("general");
    }

    /**
     * A later transition goes where the alert's earlier ones went, with the ticket's reference,
     * even when the alert changed (here its severity) so that another route now matches; and it
     * waits until the earlier one is delivered.
     */
    @Test
    void laterTransitionsFollowTheAlertsTicket() throws Exception {
        FakeConnector critical = new FakeConnector("critical");
        FakeConnector general = new FakeConnector("general");
        general.behaviour = FakeConnector::down;
        List<Route> routes = List.of(new Route(Map.of("severity", Set.of("critical")), "critical", Set.of(), null, 10));
        OutboxDispatcher d = dispatcher(config(routes, "general", FAST, "critical", "general"), critical, general);
        AlertChange opened = raise("no-heat", "tilleuls", "boiler-1", "heat", Urgency.IMMEDIATE, Severity.MAJOR);
        await(d.pollOnce());
        clock.advance(Duration.ofSeconds(1));
        AlertChange retriggered = raise("no-heat", "tilleuls", "boiler-1", "heat", Urgency.IMMEDIATE, Severity.CRITICAL);
        long id = opened.alert().id();
        assertThat(retriggered.alert().id()).isEqualTo(id);

        await(d.pollOnce());
        assertThat(critical.calls).isEmpty();
        assertThat(general.keys()).containsOnly(id + ":" + opened.transition().id());

        general.behaviour = FakeConnector::accept;
        clock.advance(Duration.ofMinutes(2));
        await(d.pollOnce());
        await(d.pollOnce());

        assertThat(critical.calls).isEmpty();
        assertThat(general.calls.subList(general.calls.size() - 2, general.calls.size()))
                .extracting(FakeConnector.Call::key, FakeConnector.Call::ticketRef)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(id + ":" + opened.transition().id(), null),
                        org.assertj.core.groups.Tuple.tuple(id + ":" + retriggered.transition().id(), "T-" + id));
    }

    /** Without a matching route and without a default, the delivery is skipped with its reason. */
    @Test
    void noRouteAndNoDefaultIsSkipped() throws Exception {
        FakeConnector heating = new FakeConnector("heating");
        List<Route> routes = List.of(new Route(Map.of("site", Set.of("chenes")), "heating", Set.of(), null, 10));
        OutboxDispatcher d = dispatcher(config(routes, null, FAST, "heating"), heating);
        long id = raise("no-heat").alert().id();

        await(d.pollOnce());

        assertThat(heating.calls).isEmpty();
        assertThat(row(id)).extracting(OutboxEntry::status, OutboxEntry::lastError)
                .containsExactly("skipped", "no route matches and there is no default connector");
    }

    /** A non-immediate alert raised during the route's quiet hours (site zone) is delivered when they end; an immediate one at once. */
    @Test
    void quietHoursHoldNonImmediateDeliveries() throws Exception {
        FakeConnector hook = new FakeConnector("hook");
        List<Route> routes = List.of(new Route(Map.of(), "hook", Set.of(),
                new QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 0)), 10));
        OutboxDispatcher d = dispatcher(config(routes, null, FAST, "hook"), hook);
        // 23:30 in Paris.
        clock.set(Instant.parse("2026-11-20T22:30:00Z"));
        long planned = raise("door-wear", "tilleuls", "lift-a", "lift", Urgency.PLANNED).alert().id();
        long immediate = raise("no-heat", "tilleuls", "boiler-1", "heat", Urgency.IMMEDIATE).alert().id();

        await(d.pollOnce());
        assertThat(hook.calls).extracting(c -> c.alert().alertId()).containsExactly(immediate);
        assertThat(row(planned).nextAttemptAt()).isEqualTo(Instant.parse("2026-11-21T06:00:00Z"));

        clock.set(Instant.parse("2026-11-21T05:59:00Z"));
        await(d.pollOnce());
        assertThat(hook.calls).hasSize(1);

        clock.set(Instant.parse("2026-11-21T06:00:00Z"));
        await(d.pollOnce());
        assertThat(hook.calls).extracting(c -> c.alert().alertId()).containsExactly(immediate, planned);
    }

    /** No more than concurrency deliveries are in flight per connector; the others wait for a free slot. */
    @Test
    void concurrencyIsLimitedPerConnector() throws Exception {
        FakeConnector slow = new FakeConnector("hook");
        List<Promise<DeliveryResult>> answers = new CopyOnWriteArrayList<>();
        slow.behaviour = a -> {
            Promise<DeliveryResult> p = Promise.promise();
            answers.add(p);
            return p.future();
        };
        DeliverySettings two = new DeliverySettings(10, Duration.ofSeconds(1), Duration.ofSeconds(2), 2, Duration.ofSeconds(1),
                Duration.ofMinutes(5));
        OutboxDispatcher d = dispatcher(config(List.of(), "hook", two, "hook"), slow);
        for (int i = 0; i < 5; i++) {
            raise("rule-" + i);
        }

        Future<Integer> firstPoll = d.pollOnce();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (answers.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(await(d.pollOnce())).as("no free slot").isZero();
        assertThat(slow.calls).hasSize(2);

        answers.forEach(p -> p.complete(new DeliveryResult("T", "created", 201)));
        assertThat(await(firstPoll)).isEqualTo(2);
        Future<Integer> secondPoll = d.pollOnce();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (answers.size() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(100);
        assertThat(slow.calls).hasSize(4);
        answers.forEach(p -> p.tryComplete(new DeliveryResult("T", "created", 201)));
        assertThat(await(secondPoll)).isEqualTo(2);
    }
}
