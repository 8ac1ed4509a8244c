package fr.gardien.storage.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.gardien.rules.Explanation;
import fr.gardien.rules.RuleSignal;
import fr.gardien.rules.Severity;
import fr.gardien.rules.Urgency;
import fr.gardien.rules.lifecycle.AlertLifecycle;
import fr.gardien.storage.db.StorageException;
import fr.gardien.storage.testing.Fixtures;
import fr.gardien.storage.testing.FreshDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class AlertStoreIT {

    static final Instant T = Instant.parse("2026-11-20T06:00:00Z");
    static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    static final String RULE = "boiler-no-heat";

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    private AlertStore store;
    private SilenceStore silences;

    @BeforeEach
    void open() {
        store = new AlertStore(db.dataSource(), Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC));
        silences = new SilenceStore(db.dataSource(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static RuleSignal raised(String site, String equipment, Instant at, double min) {
        return new RuleSignal(RuleSignal.Kind.RAISED, RULE, site, equipment, Severity.CRITICAL, "heat", Urgency.IMMEDIATE, at,
                new Explanation(at.minus(Duration.ofMinutes(45)), at, Map.of("min", min, "threshold", 35.0),
                        "Départ sous 35 °C depuis 45 min (min " + min + " °C)",
                        "Supply below 35 °C for 45 min (min " + min + " °C)"));
    }

    static RuleSignal raised(Instant at) {
        return raised("tilleuls", "boiler-1", at, 30.0);
    }

    static RuleSignal cleared(Instant at) {
        return new RuleSignal(RuleSignal.Kind.CLEARED, RULE, "tilleuls", "boiler-1", Severity.CRITICAL, "heat",
                Urgency.IMMEDIATE, at, null);
    }

    /** A raise opens an alert with its explanation, an opened transition and one outbox row keyed alert:transition. */
    @Test
    void raiseOpensAnAlertWithItsTransitionAndOutboxRow() throws SQLException {
        AlertChange change = store.apply(raised(T));

        assertThat(change.kind()).isEqualTo(AlertChange.Kind.OPENED);
        Alert alert = change.alert();
        assertThat(alert.state()).isEqualTo(Alert.State.OPEN);
        assertThat(alert).extracting(Alert::ruleId, Alert::site, Alert::equipment, Alert::severity, Alert::category,
                Alert::urgency, Alert::firstSeen, Alert::lastSeen, Alert::occurrences)
                .containsExactly(RULE, "tilleuls", "boiler-1", Severity.CRITICAL, "heat", Urgency.IMMEDIATE, T, T, 1);
        assertThat(alert.explanation().from()).isEqualTo(T.minus(Duration.ofMinutes(45)));
        assertThat(alert.explanation().figures()).containsEntry("min", 30.0).containsEntry("threshold", 35.0);
        assertThat(alert.explanation().summaryEn()).isEqualTo("Supply below 35 °C for 45 min (min 30.0 °C)");
        assertThat(change.transition().kind()).isEqualTo(AlertTransition.Kind.OPENED);
        assertThat(change.transition().by()).isEqualTo(AlertLifecycle.ENGINE);
        assertThat(store.get(alert.id())).contains(alert);
        assertThat(outboxKeys()).containsExactly(alert.id() + ":" + change.transition().id());
    }

    /** A raise on the active alert increments occurrences, moves last seen and replaces the explanation. */
    @Test
    void retriggerIncrementsOccurrencesAndLastSeen() {
        long id = store.apply(raised(T)).alert().id();
        AlertChange change = store.apply(raised("tilleuls", "boiler-1", T.plusSeconds(600), 28.5));

        assertThat(change.kind()).isEqualTo(AlertChange.Kind.RETRIGGERED);
        assertThat(change.alert().id()).isEqualTo(id);
        assertThat(change.alert().occurrences()).isEqualTo(2);
        assertThat(change.alert().firstSeen()).isEqualTo(T);
        assertThat(change.alert().lastSeen()).isEqualTo(T.plusSeconds(600));
        assertThat(change.alert().explanation().figures()).containsEntry("min", 28.5);
        assertThat(change.transition().detail()).containsEntry("occurrences", 2);
        assertThat(store.list(AlertQuery.all(10))).hasSize(1);
    }

    /** A clear resolves the active alert automatically, by gardien at the signal's time; a later clear is ignored. */
    @Test
    void clearResolvesAutomatically() {
        store.apply(raised(T));
        AlertChange change = store.apply(cleared(T.plusSeconds(900)));

        assertThat(change.kind()).isEqualTo(AlertChange.Kind.RESOLVED);
        assertThat(change.alert()).extracting(Alert::state, Alert::resolution, Alert::resolvedBy, Alert::resolvedAt)
                .containsExactly(Alert.State.RESOLVED, Alert.Resolution.AUTO, "gardien", T.plusSeconds(900));
        assertThat(change.transition().detail()).containsEntry("resolution", "auto");
        assertThat(store.apply(cleared(T.plusSeconds(1000))).kind()).isEqualTo(AlertChange.Kind.IGNORED);
    }

    /** A raise less than the flap window after an automatic resolution reopens that alert; later, a new one opens. */
    @Test
    void raiseWithinTheFlapWindowReopens() {
        long id = store.apply(raised(T)).alert().id();
        store.apply(cleared(T.plusSeconds(600)));

        AlertChange reopened = store.apply(raised(T.plusSeconds(600 + 3599)));
        assertThat(reopened.kind()).isEqualTo(AlertChange.Kind.REOPENED);
        assertThat(reopened.alert()).extracting(Alert::id, Alert::state, Alert::occurrences, Alert::flaps, Alert::resolvedAt)
                .containsExactly(id, Alert.State.OPEN, 2, 1, null);
        assertThat(reopened.transition().kind()).isEqualTo(AlertTransition.Kind.REOPENED);

        store.apply(cleared(T.plusSeconds(5000)));
        AlertChange fresh = store.apply(raised(T.plusSeconds(5000 + 3600)));
        assertThat(fresh.kind()).isEqualTo(AlertChange.Kind.OPENED);
        assertThat(fresh.alert().id()).isNotEqualTo(id);
    }

    /** A manually resolved alert is never reopened: the next raise opens a new alert. */
    @Test
    void manualResolutionIsNotReopened() {
        long id = store.apply(raised(T)).alert().id();
        store.resolve(id, "alice", "fixed");
        AlertChange next = store.apply(raised(T.plusSeconds(60)));
        assertThat(next.kind()).isEqualTo(AlertChange.Kind.OPENED);
        assertThat(next.alert().id()).isNotEqualTo(id);
    }

    /** After three reopenings within the window a clear keeps the alert open; it resolves once quiet for the window. */
    @Test
    void flappingAlertStaysOpenUntilQuiet() throws SQLException {
        Instant t = T;
        long id = store.apply(raised(t)).alert().id();
        for (int flap = 1; flap <= 3; flap++) {
            assertThat(store.apply(cleared(t.plusSeconds(60))).kind()).isEqualTo(AlertChange.Kind.RESOLVED);
            t = t.plusSeconds(120);
            AlertChange reopened = store.apply(raised(t));
            assertThat(reopened.kind()).isEqualTo(AlertChange.Kind.REOPENED);
            assertThat(reopened.alert().flaps()).isEqualTo(flap);
        }
        long transitions = Fixtures.queryLong(db.dataSource(), "SELECT count(*) FROM alert_transitions");

        AlertChange kept = store.apply(cleared(t.plusSeconds(60)));
        assertThat(kept.kind()).isEqualTo(AlertChange.Kind.KEPT_OPEN);
        assertThat(kept.transition()).isNull();
        assertThat(store.get(id).orElseThrow().state()).isEqualTo(Alert.State.OPEN);
        assertThat(lastTransitionDetail(id)).contains("\"flapping\": true");
        assertThat(Fixtures.queryLong(db.dataSource(), "SELECT count(*) FROM alert_transitions")).isEqualTo(transitions);

        Instant clearedAt = t.plusSeconds(60);
        assertThat(store.settleFlapping(clearedAt.plus(Duration.ofMinutes(59)))).isEmpty();
        List<AlertChange> settled = store.settleFlapping(clearedAt.plus(Duration.ofMinutes(60)));
        assertThat(settled).singleElement().satisfies(c -> {
            assertThat(c.alert().id()).isEqualTo(id);
            assertThat(c.alert().resolution()).isEqualTo(Alert.Resolution.AUTO);
            assertThat(c.transition().detail()).containsEntry("afterFlapping", true);
        });
    }

    /** A flapping alert of replayed history settled by a later wall clock is resolved at the event time its quiet window ended, so a raise days later in the replay opens a new alert. */
    @Test
    void settlingAReplayedFlappingAlertResolvesItInEventTime() {
        Instant t = T;
        long id = store.apply(raised(t)).alert().id();
        for (int flap = 1; flap <= 3; flap++) {
            store.apply(cleared(t.plusSeconds(60)));
            t = t.plusSeconds(120);
            store.apply(raised(t));
        }
        Instant clearedAt = t.plusSeconds(60);
        assertThat(store.apply(cleared(clearedAt)).kind()).isEqualTo(AlertChange.Kind.KEPT_OPEN);

        List<AlertChange> settled = store.settleFlapping(clearedAt.plus(Duration.ofDays(30)));
        assertThat(settled).singleElement().satisfies(c -> {
            assertThat(c.alert().resolvedAt()).isEqualTo(clearedAt.plus(Duration.ofHours(1)));
            assertThat(c.transition().at()).isEqualTo(clearedAt.plus(Duration.ofHours(1)));
        });
        AlertChange later = store.apply(raised(clearedAt.plus(Duration.ofDays(2))));
        assertThat(later.kind()).isEqualTo(AlertChange.Kind.OPENED);
        assertThat(later.alert().id()).isNotEqualTo(id);
    }

    /** A silence of the site's equipment suppresses a raise during its period, and only then and there. */
    @Test
    void silenceSuppressesRaisesItCovers() {
        Silence silence = silences.create("tilleuls", "boiler-1", null, T, T.plusSeconds(3600), "alice", "boiler service");

        assertThat(store.apply(raised(T.plusSeconds(10))).kind()).isEqualTo(AlertChange.Kind.SUPPRESSED);
        assertThat(store.apply(cleared(T.plusSeconds(20))).kind()).isEqualTo(AlertChange.Kind.IGNORED);
        assertThat(store.apply(raised("tilleuls", "boiler-2", T.plusSeconds(10), 30)).kind()).isEqualTo(AlertChange.Kind.OPENED);
        assertThat(store.apply(raised("marronniers", "boiler-1", T.plusSeconds(10), 30)).kind()).isEqualTo(AlertChange.Kind.OPENED);
        assertThat(store.apply(raised(T.plusSeconds(3600))).kind()).isEqualTo(AlertChange.Kind.OPENED);
        assertThat(store.list(AlertQuery.all(10))).hasSize(3);
        assertThat(silence.createdBy()).isEqualTo("alice");
    }

    /** A whole-site silence limited to one rule suppresses that rule only. */
    @Test
    void siteSilenceOfOneRule() {
        silences.create("tilleuls", null, RULE, T, T.plusSeconds(3600), "alice", "works");
        assertThat(store.apply(raised("tilleuls", "boiler-9", T.plusSeconds(1), 30)).kind())
                .isEqualTo(AlertChange.Kind.SUPPRESSED);
        RuleSignal other = new RuleSignal(RuleSignal.Kind.RAISED, "lift-out-of-service", "tilleuls", "lift-a", Severity.MAJOR,
                "equipment", Urgency.IMMEDIATE, T.plusSeconds(1), raised(T).explanation());
        assertThat(store.apply(other).kind()).isEqualTo(AlertChange.Kind.OPENED);
    }

    /** Acknowledge and resolve record who and when; acknowledging a resolved alert is a conflict; repeats change nothing. */
    @Test
    void acknowledgeAndResolveByHand() {
        long id = store.apply(raised(T)).alert().id();

        AlertChange ack = store.acknowledge(id, "alice").orElseThrow();
        assertThat(ack.alert()).extracting(Alert::state, Alert::acknowledgedBy, Alert::acknowledgedAt)
                .containsExactly(Alert.State.ACKNOWLEDGED, "alice", NOW);
        assertThat(ack.transition()).extracting(AlertTransition::kind, AlertTransition::by, AlertTransition::at)
                .containsExactly(AlertTransition.Kind.ACKNOWLEDGED, "alice", NOW);
        assertThat(store.acknowledge(id, "bob").orElseThrow().kind()).isEqualTo(AlertChange.Kind.UNCHANGED);

        AlertChange retrigger = store.apply(raised(T.plusSeconds(60)));
        assertThat(retrigger.alert().state()).isEqualTo(Alert.State.ACKNOWLEDGED);

        AlertChange resolved = store.resolve(id, "bob", "valve replaced").orElseThrow();
        assertThat(resolved.alert()).extracting(Alert::state, Alert::resolution, Alert::resolvedBy, Alert::resolvedAt,
                Alert::resolutionNote, Alert::acknowledgedBy)
                .containsExactly(Alert.State.RESOLVED, Alert.Resolution.MANUAL, "bob", NOW, "valve replaced", "alice");
        assertThat(resolved.transition().detail()).containsEntry("note", "valve replaced");
        assertThat(store.resolve(id, "carol", null).orElseThrow().kind()).isEqualTo(AlertChange.Kind.UNCHANGED);
        assertThatThrownBy(() -> store.acknowledge(id, "carol")).isInstanceOf(AlertConflictException.class);
        assertThat(store.acknowledge(id + 1000, "carol")).isEmpty();
        assertThat(store.resolve(id + 1000, "carol", null)).isEmpty();
    }

    /** Every transition has exactly one outbox row, pending, with the key alert id ':' transition id. */
    @Test
    void everyTransitionHasExactlyOneOutboxRow() throws SQLException {
        long id = store.apply(raised(T)).alert().id();
        store.apply(raised(T.plusSeconds(60)));
        store.acknowledge(id, "alice");
        store.apply(cleared(T.plusSeconds(600)));
        store.apply(raised(T.plusSeconds(700)));
        store.resolve(id, "bob", null);

        List<String> expected = new ArrayList<>();
        for (AlertEvent e : store.transitionsAfter(0, null, 100)) {
            expected.add(e.transition().idempotencyKey());
        }
        assertThat(expected).hasSize(6);
        assertThat(outboxKeys()).containsExactlyElementsOf(expected);
        assertThat(Fixtures.queryLong(db.dataSource(), "SELECT count(*) FROM outbox WHERE status = 'pending' AND attempts = 0"))
                .isEqualTo(6);
        assertThat(Fixtures.queryLong(db.dataSource(),
                "SELECT count(*) FROM outbox o JOIN alert_transitions t ON t.id = o.transition_id AND t.alert_id = o.alert_id"))
                .isEqualTo(6);
    }

    /** When the outbox insert fails, the alert change and its transition are rolled back with it. */
    @Test
    void aFailedOutboxWriteLeavesNeitherAlertNorTransition() throws SQLException {
        long id = store.apply(raised(T)).alert().id();
        Fixtures.execute(db.dataSource(), "ALTER TABLE outbox ADD CONSTRAINT refuse_all CHECK (false) NOT VALID");

        assertThatThrownBy(() -> store.apply(raised(T.plusSeconds(60)))).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> store.apply(raised("marronniers", "substation", T, 30))).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> store.acknowledge(id, "alice")).isInstanceOf(StorageException.class);

        assertThat(store.get(id).orElseThrow()).extracting(Alert::occurrences, Alert::lastSeen, Alert::state)
                .containsExactly(1, T, Alert.State.OPEN);
        assertThat(store.list(AlertQuery.all(10))).hasSize(1);
        assertThat(Fixtures.queryLong(db.dataSource(), "SELECT count(*) FROM alert_transitions")).isEqualTo(1);
        assertThat(Fixtures.queryLong(db.dataSource(), "SELECT count(*) FROM outbox")).isEqualTo(1);
    }

    /** Eight threads raising the same rule on the same equipment at once: one active alert, occurrences 8. */
    @Test
    void concurrentRaisesMakeOneAlert() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 5; round++) {
                String equipment = "boiler-" + round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<AlertChange>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    Instant at = T.plusSeconds(i);
                    results.add(pool.submit(() -> {
                        start.await();
                        return store.apply(raised("tilleuls", equipment, at, 30));
                    }));
                }
                start.countDown();
                List<AlertChange.Kind> kinds = new ArrayList<>();
                for (Future<AlertChange> r : results) {
                    kinds.add(r.get(30, TimeUnit.SECONDS).kind());
                }
                assertThat(kinds).containsOnlyOnce(AlertChange.Kind.OPENED)
                        .filteredOn(k -> k == AlertChange.Kind.RETRIGGERED).hasSize(threads - 1);
                assertThat(Fixtures.queryLong(db.dataSource(), "SELECT count(*) FROM alerts WHERE equipment = '" + equipment + "'"))
                        .isEqualTo(1);
                assertThat(Fixtures.queryLong(db.dataSource(),
                        "SELECT occurrences FROM alerts WHERE equipment = '" + equipment + "' AND state = 'open'")).isEqualTo(threads);
                // Whatever order the raises committed in, last seen is the latest signal's time.
                assertThat(store.list(AlertQuery.all(100))).filteredOn(a -> a.equipment().equals(equipment))
                        .singleElement().extracting(Alert::lastSeen).isEqualTo(T.plusSeconds(threads - 1));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(Fixtures.queryLong(db.dataSource(), "SELECT count(*) FROM alert_transitions")).isEqualTo(5 * threads);
        assertThat(Fixtures.queryLong(db.dataSource(), "SELECT count(*) FROM outbox")).isEqualTo(5 * threads);
    }

    /** The list filters by state, sites, severity and since, most recently changed first, within the limit. */
    @Test
    void listFilters() {
        long a = store.apply(raised("tilleuls", "boiler-1", T, 30)).alert().id();
        long b = store.apply(raised("marronniers", "substation", T, 30)).alert().id();
        RuleSignal warning = new RuleSignal(RuleSignal.Kind.RAISED, "humidity-high", "tilleuls", "climate-1",
                Severity.WARNING, "climate", Urgency.WITHIN_DAYS, T, raised(T).explanation());
        long c = store.apply(warning).alert().id();
        store.acknowledge(a, "alice");

        assertThat(ids(new AlertQuery(null, null, null, null, 10))).containsExactly(a, c, b);
        assertThat(ids(new AlertQuery(Alert.State.OPEN, null, null, null, 10))).containsExactly(c, b);
        assertThat(ids(new AlertQuery(null, Set.of("marronniers"), null, null, 10))).containsExactly(b);
        assertThat(ids(new AlertQuery(null, Set.of(), null, null, 10))).isEmpty();
        assertThat(ids(new AlertQuery(null, Set.of("tilleuls"), Severity.WARNING, null, 10))).containsExactly(c);
        assertThat(ids(new AlertQuery(null, null, null, null, 1))).containsExactly(a);
        assertThat(ids(new AlertQuery(null, null, null, Instant.now().plusSeconds(3600), 10))).isEmpty();
        assertThatThrownBy(() -> new AlertQuery(null, null, null, null, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Transitions after an id come in id order with their alert, scoped to sites, in pages. */
    @Test
    void transitionsAfterAnIdForResume() {
        long a = store.apply(raised("tilleuls", "boiler-1", T, 30)).alert().id();
        store.apply(raised("marronniers", "substation", T, 30));
        store.acknowledge(a, "alice");
        List<AlertEvent> all = store.transitionsAfter(0, null, 100);
        assertThat(all).extracting(e -> e.transition().kind()).containsExactly(AlertTransition.Kind.OPENED,
                AlertTransition.Kind.OPENED, AlertTransition.Kind.ACKNOWLEDGED);
        long first = all.get(0).transition().id();

        assertThat(store.transitionsAfter(first, null, 100)).hasSize(2);
        assertThat(store.transitionsAfter(first, null, 1)).singleElement()
                .satisfies(e -> assertThat(e.alert().site()).isEqualTo("marronniers"));
        assertThat(store.transitionsAfter(0, Set.of("tilleuls"), 100))
                .allSatisfy(e -> assertThat(e.alert().site()).isEqualTo("tilleuls")).hasSize(2)
                .last().satisfies(e -> assertThat(e.alert().state()).isEqualTo(Alert.State.ACKNOWLEDGED));
        assertThat(store.transitionsAfter(all.get(2).transition().id(), null, 100)).isEmpty();
    }

    private List<Long> ids(AlertQuery q) {
        return store.list(q).stream().map(Alert::id).toList();
    }

    private List<String> outboxKeys() throws SQLException {
        List<String> keys = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT idempotency_key FROM outbox ORDER BY id")) {
            while (r.next()) {
                keys.add(r.getString(1));
            }
        }
        return keys;
    }

    private String lastTransitionDetail(long alertId) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT detail::text FROM alert_transitions WHERE alert_id = " + alertId
                        + " ORDER BY id DESC LIMIT 1")) {
            r.next();
            return r.getString(1);
        }
    }
}
