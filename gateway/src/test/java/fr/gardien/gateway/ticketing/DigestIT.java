package fr.gardien.gateway.ticketing;

import static fr.gardien.gateway.ticketing.DeliveryIT.FAST;
import static fr.gardien.gateway.ticketing.DeliveryIT.REGISTRY;
import static fr.gardien.gateway.ticketing.DeliveryIT.config;
import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.gateway.ticketing.DeliveryIT.FakeConnector;
import fr.gardien.gateway.ticketing.DeliveryIT.MutableClock;
import fr.gardien.rules.Explanation;
import fr.gardien.rules.RuleSignal;
import fr.gardien.rules.Severity;
import fr.gardien.rules.Urgency;
import fr.gardien.storage.alerts.Alert;
import fr.gardien.storage.alerts.DeliveryRecord;
import fr.gardien.storage.alerts.DigestEntry;
import fr.gardien.storage.alerts.OutboxEntry;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The per-route daily ticket budget per site and its digest tickets (issue 4), against a real PostgreSQL. */
@Timeout(60)
class DigestIT extends OutboxStoresBase {

    /** 10:00 in Paris. */
    static final Instant MORNING = Instant.parse("2026-11-20T09:00:00Z");
    /** Midnight in Paris at the end of that day. */
    static final Instant MIDNIGHT = Instant.parse("2026-11-20T23:00:00Z");

    private final MutableClock clock = new MutableClock(MORNING);

    private OutboxDispatcher dispatcher(List<Route> routes, DeliverySettings settings, FakeConnector hook) {
        Map<String, TicketConnector> byName = new LinkedHashMap<>();
        byName.put(hook.name(), hook);
        OutboxDispatcher d = new OutboxDispatcher(vertx, worker, outbox, digests, config(routes, null, settings, hook.name()),
                byName, () -> REGISTRY, (connector, outcome) -> { }, clock);
        dispatchers.add(d);
        return d;
    }

    private static Route budgeted(int budget, QuietHours quiet) {
        return new Route(Map.of(), "hook", Set.of(), quiet, 10, "everything", budget);
    }

    /** Raises a distinct alert (one rule per call) on the site's boiler. */
    private long raise(String site, String rule, Urgency urgency) {
        Instant at = clock.instant();
        return alerts.apply(new RuleSignal(RuleSignal.Kind.RAISED, rule, site, "boiler-1", Severity.WARNING, "heat", urgency,
                at, new Explanation(at.minus(Duration.ofMinutes(30)), at, Map.of("min", 31.5),
                        "Départ sous 35 °C depuis 30 min", "Supply below 35 °C for 30 min"))).alert().id();
    }

    /**
     * With a budget of 2, the first two alerts of the day get their own ticket and the next three
     * wait in one digest, sent once at the site's midnight with the three alerts; they then show
     * the digest's ticket, and their later transitions are not sent on their own.
     */
    @Test
    void alertsBeyondTheBudgetAreGroupedIntoOneDigestSentAtTheSitesMidnight() throws Exception {
        FakeConnector hook = new FakeConnector("hook");
        OutboxDispatcher d = dispatcher(List.of(budgeted(2, null)), FAST, hook);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(raise("tilleuls", "rule-" + i, Urgency.WITHIN_DAYS));
        }

        await(d.pollOnce());

        assertThat(hook.calls).extracting(c -> c.alert().alertId()).containsExactly(ids.get(0), ids.get(1));
        for (long id : ids.subList(2, 5)) {
            assertThat(row(id).status()).isEqualTo(OutboxEntry.DIGESTED);
            assertThat(outbox.deliveries(id, null, 10)).extracting(DeliveryRecord::outcome).containsExactly("digested");
        }
        DigestEntry digest = digests.list(null, 10).get(0);
        assertThat(digest).extracting(DigestEntry::site, DigestEntry::day, DigestEntry::alerts, DigestEntry::status,
                DigestEntry::nextAttemptAt, DigestEntry::idempotencyKey)
                .containsExactly("tilleuls", LocalDate.of(2026, 11, 20), 3, "pending", MIDNIGHT,
                        "digest:tilleuls:2026-11-20:everything");

        clock.set(MIDNIGHT.minusSeconds(1));
        await(d.pollOnce());
        assertThat(hook.digests).isEmpty();

        clock.set(MIDNIGHT);
        await(d.pollOnce());
        assertThat(hook.digests).hasSize(1);
        OutboundDigest sent = hook.digests.get(0);
        assertThat(sent.alertCount()).isEqualTo(3);
        assertThat(sent.alerts()).extracting(OutboundAlert::alertId).containsExactlyElementsOf(ids.subList(2, 5));
        assertThat(sent.summary()).startsWith("3 alert(s) beyond the daily budget of 2 ticket(s) — Résidence Les Tilleuls");
        assertThat(sent.idempotencyKey()).isEqualTo("digest:tilleuls:2026-11-20:everything");
        assertThat(digests.list(null, 10).get(0).status()).isEqualTo("delivered");
        assertThat(alerts.get(ids.get(3)).orElseThrow().ticket())
                .isEqualTo(new Alert.Ticket("hook", "D-" + digest.id(), "digest"));
        assertThat(outbox.deliveries(null, "delivered", 100)).anyMatch(r -> Long.valueOf(digest.id()).equals(r.digestId()));

        await(d.pollOnce());
        assertThat(hook.digests).hasSize(1);
        int calls = hook.calls.size();
        alerts.resolve(ids.get(4), "caretaker", null).orElseThrow();
        alerts.resolve(ids.get(0), "caretaker", null).orElseThrow();
        await(d.pollOnce());
        assertThat(hook.calls.subList(calls, hook.calls.size())).extracting(c -> c.alert().alertId())
                .containsExactly(ids.get(0));
        assertThat(outbox.list(OutboxEntry.DIGESTED, 100)).filteredOn(e -> e.alertId() == ids.get(4)).hasSize(2);
    }

    /** Immediate alerts always get a ticket of their own and count against the budget; the others then go to the digest. */
    @Test
    void immediateAlertsAlwaysGetTheirOwnTicket() throws Exception {
        FakeConnector hook = new FakeConnector("hook");
        OutboxDispatcher d = dispatcher(List.of(budgeted(1, null)), FAST, hook);
        long first = raise("tilleuls", "no-heat", Urgency.IMMEDIATE);
        long second = raise("tilleuls", "lift-stuck", Urgency.IMMEDIATE);
        long planned = raise("tilleuls", "door-wear", Urgency.PLANNED);

        await(d.pollOnce());

        assertThat(hook.calls).extracting(c -> c.alert().alertId()).containsExactly(first, second);
        assertThat(row(planned).status()).isEqualTo(OutboxEntry.DIGESTED);
    }

    /** The budget is counted per site and per local day of the site: another site, or the next day, opens tickets again. */
    @Test
    void theBudgetIsPerSiteAndPerLocalDay() throws Exception {
        FakeConnector hook = new FakeConnector("hook");
        OutboxDispatcher d = dispatcher(List.of(budgeted(1, null)), FAST, hook);
        long a = raise("tilleuls", "rule-a", Urgency.WITHIN_DAYS);
        long b = raise("tilleuls", "rule-b", Urgency.WITHIN_DAYS);
        long c = raise("chenes", "rule-c", Urgency.WITHIN_DAYS);
        await(d.pollOnce());
        // 00:30 the next day in Paris (23:30 UTC still the 20th in UTC).
        clock.set(MIDNIGHT.plus(Duration.ofMinutes(30)));
        long e = raise("tilleuls", "rule-e", Urgency.WITHIN_DAYS);
        await(d.pollOnce());

        assertThat(hook.calls).extracting(call -> call.alert().alertId()).containsExactly(a, c, e);
        assertThat(row(b).status()).isEqualTo(OutboxEntry.DIGESTED);
        assertThat(hook.digests).extracting(OutboundDigest::site, OutboundDigest::alertCount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("tilleuls", 1));
    }

    /** A route with quiet hours sends its digest when they end, not at midnight. */
    @Test
    void theDigestWaitsForTheRoutesQuietHoursToEnd() throws Exception {
        FakeConnector hook = new FakeConnector("hook");
        OutboxDispatcher d = dispatcher(List.of(budgeted(0, new QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 0)))), FAST,
                hook);
        raise("tilleuls", "rule-a", Urgency.PLANNED);
        await(d.pollOnce());

        assertThat(digests.list(null, 10).get(0).nextAttemptAt()).isEqualTo(Instant.parse("2026-11-21T06:00:00Z"));
    }

    /** Dispatchers routing at the same time never open more tickets than the budget. */
    @Test
    void concurrentDispatchersDoNotOverspendTheBudget() throws Exception {
        FakeConnector hook = new FakeConnector("hook");
        List<OutboxDispatcher> four = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            four.add(dispatcher(List.of(budgeted(5, null)), FAST, hook));
        }
        for (int i = 0; i < 40; i++) {
            raise("tilleuls", "rule-" + i, Urgency.WITHIN_DAYS);
        }
        for (int round = 0; round < 15 && outbox.list(OutboxEntry.PENDING, 1000).size() > 0; round++) {
            List<Future<Integer>> polls = new ArrayList<>();
            four.forEach(x -> polls.add(x.pollOnce()));
            await(Future.join(polls));
        }

        assertThat(hook.calls).hasSize(5);
        assertThat(outbox.list(OutboxEntry.DIGESTED, 1000)).hasSize(35);
        assertThat(digests.list(null, 10)).singleElement().extracting(DigestEntry::alerts).isEqualTo(35);
    }

    /** A digest the system refuses is retried with backoff, dead-lettered after the last attempt, and sent again after an admin's retry. */
    @Test
    void aFailingDigestIsRetriedThenDeadLetteredThenRetriedByAnAdmin() throws Exception {
        FakeConnector hook = new FakeConnector("hook");
        DeliverySettings twoTries = new DeliverySettings(2, Duration.ofSeconds(30), Duration.ofMinutes(10), 4,
                Duration.ofSeconds(1), Duration.ofMinutes(5));
        OutboxDispatcher d = dispatcher(List.of(budgeted(0, null)), twoTries, hook);
        raise("tilleuls", "rule-a", Urgency.PLANNED);
        await(d.pollOnce());
        hook.behaviour = FakeConnector::down;

        clock.set(MIDNIGHT);
        await(d.pollOnce());
        assertThat(digests.list(null, 10).get(0)).extracting(DigestEntry::status, DigestEntry::attempts)
                .containsExactly("pending", 1);
        clock.advance(Duration.ofMinutes(5));
        await(d.pollOnce());
        DigestEntry dead = digests.list(null, 10).get(0);
        assertThat(dead).extracting(DigestEntry::status, DigestEntry::lastError)
                .containsExactly("dead", "HTTP 503 from the ticketing system");

        hook.behaviour = FakeConnector::accept;
        assertThat(digests.retry(dead.id(), clock.instant()).orElseThrow().retried()).isTrue();
        await(d.pollOnce());

        assertThat(hook.digests).hasSize(3);
        assertThat(digests.list(null, 10).get(0).status()).isEqualTo("delivered");
        assertThat(outbox.deliveries(null, null, 100)).filteredOn(r -> r.digestId() != null)
                .extracting(DeliveryRecord::outcome).containsExactly("delivered", "dead", "retry");
    }
}
