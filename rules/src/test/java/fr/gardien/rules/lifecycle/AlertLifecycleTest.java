package fr.gardien.rules.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.gardien.rules.Explanation;
import fr.gardien.rules.RuleSignal;
import fr.gardien.rules.Severity;
import fr.gardien.rules.Urgency;
import fr.gardien.rules.lifecycle.AlertFacts.State;
import fr.gardien.rules.lifecycle.Decision.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The alert lifecycle's decisions, without a database. */
class AlertLifecycleTest {

    private static final Instant T = Instant.parse("2026-01-15T08:00:00Z");
    private static final String RULE = "supply-low";
    private static final Duration WINDOW = Duration.ofHours(1);

    private final AlertLifecycle lifecycle = new AlertLifecycle(WINDOW);

    private static RuleSignal raised(String site, String equipment, Instant at) {
        return new RuleSignal(RuleSignal.Kind.RAISED, RULE, site, equipment, Severity.CRITICAL, "heat", Urgency.IMMEDIATE, at,
                new Explanation(at.minus(Duration.ofMinutes(45)), at, Map.of("min", 30.0), "Départ bas", "Supply low"));
    }

    private static RuleSignal raised(Instant at) {
        return raised("tilleuls", "boiler-1", at);
    }

    private static RuleSignal cleared(Instant at) {
        return new RuleSignal(RuleSignal.Kind.CLEARED, RULE, "tilleuls", "boiler-1", Severity.CRITICAL, "heat",
                Urgency.IMMEDIATE, at, null);
    }

    private static AlertFacts open(int occurrences, int flaps, Instant lastFlapAt, Instant clearedAt) {
        return new AlertFacts(State.OPEN, occurrences, flaps, lastFlapAt, clearedAt, false, null);
    }

    private static AlertFacts autoResolved(int occurrences, int flaps, Instant resolvedAt) {
        return new AlertFacts(State.RESOLVED, occurrences, flaps, null, null, true, resolvedAt);
    }

    private record Window(String site, String equipment, String ruleId, Instant startsAt, Instant endsAt)
            implements SilenceWindow {
    }

    /**
     * Signals replayed after a takeover (issue 13) are already reflected by the alert raised last:
     * a raise at or before its last raise, a clear before it; signals after it, and any signal
     * when nothing is stored or its last raise is unknown, are not.
     */
    @Test
    void aReplayedSignalIsReflectedByTheAlertRaisedLast() {
        AlertFacts reopenedAt = new AlertFacts(State.OPEN, 2, 1, T.plusSeconds(600), null, false, null, T.plusSeconds(600));
        assertThat(lifecycle.reflected(raised(T), reopenedAt)).as("the first raise, replayed").isTrue();
        assertThat(lifecycle.reflected(cleared(T.plusSeconds(300)), reopenedAt)).as("the clear between, replayed").isTrue();
        assertThat(lifecycle.reflected(raised(T.plusSeconds(600)), reopenedAt)).as("the reopening, replayed").isTrue();
        assertThat(lifecycle.reflected(cleared(T.plusSeconds(900)), reopenedAt)).as("a later clear").isFalse();
        assertThat(lifecycle.reflected(raised(T.plusSeconds(900)), reopenedAt)).as("a later raise").isFalse();

        AlertFacts resolved = new AlertFacts(State.RESOLVED, 1, 0, null, null, false, T.plusSeconds(60), T);
        assertThat(lifecycle.reflected(raised(T), resolved)).as("resolved by hand since: not opened again").isTrue();
        assertThat(lifecycle.reflected(raised(T), null)).isFalse();
        assertThat(lifecycle.reflected(raised(T), open(1, 0, null, null))).isFalse();
    }

    /** A raise with nothing stored opens an alert, by the engine, at the signal's time, with one occurrence. */
    @Test
    void aFirstRaiseOpens() {
        Decision d = lifecycle.raise(raised(T), null, List.of(), null);
        assertThat(d.step()).isEqualTo(Step.OPEN);
        assertThat(d.at()).isEqualTo(T);
        assertThat(d.by()).isEqualTo(AlertLifecycle.ENGINE);
        assertThat(d.detail()).containsExactly(Map.entry("occurrences", 1));
        assertThat(d.transitions()).isTrue();
    }

    /** A raise with an active alert retriggers it, counting the occurrence; not a flap when it was not cleared. */
    @Test
    void aRaiseOfAnActiveAlertRetriggersIt() {
        Decision d = lifecycle.raise(raised(T.plusSeconds(600)), open(4, 0, null, null), List.of(), null);
        assertThat(d.step()).isEqualTo(Step.RETRIGGER);
        assertThat(d.flap()).isFalse();
        assertThat(d.at()).isEqualTo(T.plusSeconds(600));
        assertThat(d.detail()).containsExactly(Map.entry("occurrences", 5));
    }

    /** A raise of an alert kept open after a clear is another flap. */
    @Test
    void aRaiseOfAKeptOpenAlertIsAFlap() {
        Decision d = lifecycle.raise(raised(T.plusSeconds(600)), open(4, 3, T, T.plusSeconds(300)), List.of(), null);
        assertThat(d.step()).isEqualTo(Step.RETRIGGER);
        assertThat(d.flap()).isTrue();
        assertThat(d.detail()).containsExactly(Map.entry("occurrences", 5), Map.entry("flaps", 4));
    }

    /** An active alert wins over a silence: a silence only stops new alerts. */
    @Test
    void aSilenceDoesNotStopARetrigger() {
        Window all = new Window("tilleuls", null, null, T.minusSeconds(60), T.plusSeconds(3600));
        assertThat(lifecycle.raise(raised(T), open(1, 0, null, null), List.of(all), null).step()).isEqualTo(Step.RETRIGGER);
    }

    /** A silence covers its site, equipment and rule (null: all) over [start, end); nothing else. */
    @Test
    void aSilenceSuppressesOnlyTheRaisesItCovers() {
        Window boiler = new Window("tilleuls", "boiler-1", null, T, T.plusSeconds(3600));
        List<Window> silences = List.of(boiler);
        assertThat(lifecycle.raise(raised(T), null, silences, null).step()).isEqualTo(Step.SUPPRESS);
        assertThat(lifecycle.raise(raised(T.plusSeconds(3599)), null, silences, null).step()).isEqualTo(Step.SUPPRESS);
        assertThat(lifecycle.raise(raised(T.minusNanos(1)), null, silences, null).step()).isEqualTo(Step.OPEN);
        assertThat(lifecycle.raise(raised(T.plusSeconds(3600)), null, silences, null).step()).isEqualTo(Step.OPEN);
        assertThat(lifecycle.raise(raised("tilleuls", "boiler-2", T), null, silences, null).step()).isEqualTo(Step.OPEN);
        assertThat(lifecycle.raise(raised("marronniers", "boiler-1", T), null, silences, null).step()).isEqualTo(Step.OPEN);

        Window otherRule = new Window("tilleuls", null, "another-rule", T, T.plusSeconds(3600));
        Window thisRule = new Window("tilleuls", null, RULE, T, T.plusSeconds(3600));
        assertThat(lifecycle.raise(raised(T), null, List.of(otherRule), null).step()).isEqualTo(Step.OPEN);
        Decision suppressed = lifecycle.raise(raised("tilleuls", "boiler-9", T), null, List.of(otherRule, thisRule), null);
        assertThat(suppressed.step()).isEqualTo(Step.SUPPRESS);
        assertThat(suppressed.transitions()).isFalse();
        assertThat(suppressed.detail()).isEmpty();
    }

    /** A silence suppresses even where an auto-resolved alert would have been reopened. */
    @Test
    void aSilenceWinsOverAReopen() {
        Window all = new Window("tilleuls", null, null, T, T.plusSeconds(3600));
        assertThat(lifecycle.raise(raised(T.plusSeconds(60)), null, List.of(all), autoResolved(1, 0, T)).step())
                .isEqualTo(Step.SUPPRESS);
    }

    /** An alert auto-resolved less than the flap window before the raise is reopened, counting a flap. */
    @Test
    void aRaiseWithinTheFlapWindowReopens() {
        Decision d = lifecycle.raise(raised(T.plusSeconds(3599)), null, List.of(), autoResolved(2, 0, T));
        assertThat(d.step()).isEqualTo(Step.REOPEN);
        assertThat(d.detail()).containsExactly(Map.entry("occurrences", 3), Map.entry("flaps", 1));
        assertThat(lifecycle.raise(raised(T.plusSeconds(3600)), null, List.of(), autoResolved(2, 0, T)).step())
                .isEqualTo(Step.OPEN);
        assertThat(lifecycle.reopenAfter(T.plusSeconds(3600))).isEqualTo(T);
    }

    /** The reopen that reaches the flapping count says so. */
    @Test
    void theThirdReopenIsFlapping() {
        assertThat(lifecycle.raise(raised(T.plusSeconds(60)), null, List.of(), autoResolved(3, 1, T)).detail())
                .doesNotContainKey("flapping");
        assertThat(lifecycle.raise(raised(T.plusSeconds(60)), null, List.of(), autoResolved(4, 2, T)).detail())
                .containsExactly(Map.entry("occurrences", 5), Map.entry("flaps", 3), Map.entry("flapping", true));
    }

    /** Only an automatic resolution is reopened: an alert resolved by hand or by its ticket is not. */
    @Test
    void aManualResolutionIsNotReopened() {
        AlertFacts manual = new AlertFacts(State.RESOLVED, 1, 0, null, null, false, T);
        assertThat(lifecycle.raise(raised(T.plusSeconds(60)), null, List.of(), manual).step()).isEqualTo(Step.OPEN);
        AlertFacts stillOpen = open(1, 0, null, null);
        assertThat(lifecycle.raise(raised(T.plusSeconds(60)), null, List.of(), stillOpen).step()).isEqualTo(Step.OPEN);
    }

    /** A raise needs its explanation; a clear is not a raise. */
    @Test
    void aRaiseWithoutExplanationIsRefused() {
        RuleSignal bare = new RuleSignal(RuleSignal.Kind.RAISED, RULE, "tilleuls", "boiler-1", Severity.CRITICAL, "heat",
                Urgency.IMMEDIATE, T, null);
        assertThatThrownBy(() -> lifecycle.raise(bare, null, List.of(), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(RULE);
        assertThatThrownBy(() -> lifecycle.raise(cleared(T), null, List.of(), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> lifecycle.clear(raised(T), null)).isInstanceOf(IllegalArgumentException.class);
    }

    /** A clear resolves the active alert automatically at the signal's time; with none it is ignored. */
    @Test
    void aClearResolvesAutomatically() {
        Decision d = lifecycle.clear(cleared(T.plusSeconds(900)), open(1, 0, null, null));
        assertThat(d.step()).isEqualTo(Step.AUTO_RESOLVE);
        assertThat(d.at()).isEqualTo(T.plusSeconds(900));
        assertThat(d.by()).isEqualTo(AlertLifecycle.ENGINE);
        assertThat(d.detail()).containsExactly(Map.entry("resolution", "auto"));
        assertThat(lifecycle.clear(cleared(T), null).step()).isEqualTo(Step.IGNORE);
        assertThat(lifecycle.clear(cleared(T), autoResolved(1, 0, T)).step()).isEqualTo(Step.IGNORE);
    }

    /** An acknowledged alert is resolved by a clear too. */
    @Test
    void aClearResolvesAnAcknowledgedAlert() {
        AlertFacts acked = new AlertFacts(State.ACKNOWLEDGED, 1, 0, null, null, false, null);
        assertThat(lifecycle.clear(cleared(T), acked).step()).isEqualTo(Step.AUTO_RESOLVE);
    }

    /** A flapping alert (three flaps, the last within the window) is kept open by a clear; otherwise resolved. */
    @Test
    void aFlappingAlertIsKeptOpen() {
        Instant clear = T.plusSeconds(1800);
        Decision kept = lifecycle.clear(cleared(clear), open(4, 3, T, null));
        assertThat(kept.step()).isEqualTo(Step.KEEP_OPEN);
        assertThat(kept.at()).isEqualTo(clear);
        assertThat(kept.transitions()).isFalse();
        assertThat(lifecycle.clear(cleared(clear), open(3, 2, T, null)).step()).isEqualTo(Step.AUTO_RESOLVE);
        assertThat(lifecycle.clear(cleared(T.plusSeconds(3600)), open(4, 3, T, null)).step()).isEqualTo(Step.AUTO_RESOLVE);
        assertThat(lifecycle.clear(cleared(T.plusSeconds(3599)), open(4, 3, T, null)).step()).isEqualTo(Step.KEEP_OPEN);
        assertThat(lifecycle.clear(cleared(clear), open(4, 3, null, null)).step()).isEqualTo(Step.AUTO_RESOLVE);
    }

    /**
     * A kept-open alert is settled once clear for the whole window, at its clear time plus the
     * window (event time, not the wall clock); not before, and not when it was not cleared.
     */
    @Test
    void aKeptOpenAlertSettlesInEventTimeOnceQuiet() {
        Instant clearedAt = T.plusSeconds(1800);
        AlertFacts kept = open(4, 3, T, clearedAt);
        assertThat(lifecycle.settle(kept, clearedAt.plus(Duration.ofMinutes(59))).step()).isEqualTo(Step.UNCHANGED);
        Decision settled = lifecycle.settle(kept, clearedAt.plus(WINDOW));
        assertThat(settled.step()).isEqualTo(Step.AUTO_RESOLVE);
        assertThat(settled.at()).isEqualTo(clearedAt.plus(WINDOW));
        assertThat(settled.detail()).containsExactly(Map.entry("resolution", "auto"), Map.entry("afterFlapping", true));
        assertThat(lifecycle.settle(kept, clearedAt.plus(Duration.ofDays(30))).at()).isEqualTo(clearedAt.plus(WINDOW));
        assertThat(lifecycle.settle(open(4, 3, T, null), clearedAt.plus(Duration.ofDays(1))).step()).isEqualTo(Step.UNCHANGED);
        assertThat(lifecycle.settle(autoResolved(4, 3, T), clearedAt.plus(Duration.ofDays(1))).step())
                .isEqualTo(Step.UNCHANGED);
        assertThat(lifecycle.settledBy(clearedAt.plus(WINDOW))).isEqualTo(clearedAt);
    }

    /** Acknowledging: open → acknowledged by who, at now; again → unchanged; resolved → refused. */
    @Test
    void acknowledgement() {
        Instant now = T.plusSeconds(42);
        Decision ack = lifecycle.acknowledge(open(1, 0, null, null), "alice", now);
        assertThat(ack.step()).isEqualTo(Step.ACKNOWLEDGE);
        assertThat(ack.by()).isEqualTo("alice");
        assertThat(ack.at()).isEqualTo(now);
        assertThat(ack.detail()).isEmpty();
        assertThat(ack.transitions()).isTrue();
        AlertFacts acked = new AlertFacts(State.ACKNOWLEDGED, 1, 0, null, null, false, null);
        assertThat(lifecycle.acknowledge(acked, "bob", now).step()).isEqualTo(Step.UNCHANGED);
        Decision refused = lifecycle.acknowledge(autoResolved(1, 0, T), "bob", now);
        assertThat(refused.step()).isEqualTo(Step.REFUSE);
        assertThat(refused.transitions()).isFalse();
    }

    /** Resolving by hand: open or acknowledged → resolved, with the note when there is one; resolved → unchanged. */
    @Test
    void manualResolution() {
        Instant now = T.plusSeconds(42);
        Decision withNote = lifecycle.resolve(open(1, 0, null, null), "bob", "valve replaced", now);
        assertThat(withNote.step()).isEqualTo(Step.MANUAL_RESOLVE);
        assertThat(withNote.by()).isEqualTo("bob");
        assertThat(withNote.at()).isEqualTo(now);
        assertThat(withNote.detail()).containsExactly(Map.entry("resolution", "manual"), Map.entry("note", "valve replaced"));
        AlertFacts acked = new AlertFacts(State.ACKNOWLEDGED, 1, 0, null, null, false, null);
        assertThat(lifecycle.resolve(acked, "bob", null, now).detail()).containsExactly(Map.entry("resolution", "manual"));
        assertThat(lifecycle.resolve(autoResolved(1, 0, T), "carol", null, now).step()).isEqualTo(Step.UNCHANGED);
    }

    /** The flap window must be positive. */
    @Test
    void theFlapWindowIsPositive() {
        assertThatThrownBy(() -> new AlertLifecycle(Duration.ZERO)).hasMessageContaining("flapWindow");
        assertThatThrownBy(() -> new AlertLifecycle(Duration.ofSeconds(-1))).hasMessageContaining("flapWindow");
    }
}
