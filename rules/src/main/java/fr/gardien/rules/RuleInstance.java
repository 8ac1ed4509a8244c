package fr.gardien.rules;

import fr.gardien.rules.detect.Condition;
import fr.gardien.rules.detect.Detector;
import fr.gardien.rules.detect.DetectorFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One rule on one piece of equipment: its detector and guard, and the state machine that turns
 * their condition into RAISED and CLEARED in event time.
 *
 * <p>The condition is sampled and held: once evaluated at t it is taken to last until the next
 * evaluation. A stretch reaches the rule's duration at an exact instant (onset + {@code for},
 * UNKNOWN periods not counted), and that instant is the signal's time, whether the engine notices
 * it at a tick or at the next reading: so the answer does not depend on how often ticks come.
 *
 * <p>Late readings: see {@link LateHistory}. Single-threaded.
 */
final class RuleInstance {

    static final long NEVER = Long.MIN_VALUE;

    final RuleDefinition rule;
    final EquipmentBinding binding;
    final String[] roles;
    private final boolean[] toDetector;
    private final boolean[] toGuard;
    private final long holdFor;
    private final long clearAfter;
    private final WindowClock window;
    private final SummaryTemplate fr;
    private final SummaryTemplate en;

    Detector detector;
    Detector guard;
    Condition detectorCondition = Condition.UNKNOWN;
    Condition guardCondition = Condition.UNKNOWN;
    final Timer timer = new Timer();
    long newestReading = NEVER;
    long tickClock = NEVER;
    /** What the lifecycle has been told: RAISED without CLEARED. */
    boolean emittedRaised;
    final LateHistory history;

    private Consumer<RuleSignal> sink;
    private List<LateHistory.Pending> replayed;
    private long discovery;

    RuleInstance(RuleDefinition rule, EquipmentBinding binding, String[] roles, long latenessMicros,
            SummaryTemplate fr, SummaryTemplate en) {
        this.rule = rule;
        this.binding = binding;
        this.roles = roles;
        this.toDetector = new boolean[roles.length];
        this.toGuard = new boolean[roles.length];
        for (int i = 0; i < roles.length; i++) {
            toDetector[i] = rule.detectorFactory().inputs().contains(roles[i]);
            final String role = roles[i];
            toGuard[i] = rule.guard().map(g -> g.inputs().contains(role)).orElse(false);
        }
        this.holdFor = rule.holdFor().toNanos() / 1000;
        this.clearAfter = rule.clearAfter().toNanos() / 1000;
        this.window = rule.window().map(w -> new WindowClock(w, binding.zone())).orElse(null);
        this.fr = fr;
        this.en = en;
        this.detector = rule.detectorFactory().create(binding.zone());
        this.guard = rule.guard().map(g -> g.create(binding.zone())).orElse(null);
        this.history = latenessMicros > 0 ? new LateHistory(this, latenessMicros) : null;
    }

    String key() {
        return rule.id() + '/' + binding.site() + '/' + binding.equipment();
    }

    /** A reading of input {@code role}; returns {@code false} when it was too late and dropped. */
    boolean onReading(int role, long t, double value, Consumer<RuleSignal> out) {
        sink = out;
        if (t < newestReading) {
            return history != null && history.late(role, t, value);
        }
        newestReading = t;
        long key = Math.max(t, timer.clock);
        if (history != null) {
            history.append(key, t, role, value);
        }
        apply(role, key, t, value);
        return true;
    }

    /** Event time has advanced to {@code t} (already net of the lateness). */
    void onTick(long t, Consumer<RuleSignal> out) {
        if (t <= timer.clock) {
            return;
        }
        sink = out;
        if (history != null) {
            history.checkpointIfDue(t);
        }
        tickClock = t;
        tick(t);
    }

    void tick(long t) {
        discovery = t;
        advance(t);
        Condition c = detector.onTime(t);
        if (c != Condition.UNKNOWN || detector.unknownWithdraws()) {
            detectorCondition = c;
        }
        if (guard != null) {
            Condition g = guard.onTime(t);
            if (g != Condition.UNKNOWN) {
                guardCondition = g;
            }
        }
        observe(t, combined(t));
    }

    /** Processes one reading at {@code key} = its time, or the instance's clock if that is later. */
    void apply(int role, long key, long t, double value) {
        discovery = key;
        long now = Math.max(key, timer.clock);
        advance(now);
        if (toDetector[role]) {
            detectorCondition = detector.onReading(roles[role], t, value);
        }
        if (toGuard[role]) {
            guardCondition = guard.onReading(roles[role], t, value);
        }
        observe(now, combined(now));
    }

    private Condition combined(long t) {
        if (window != null && !window.contains(t)) {
            return Condition.UNKNOWN;
        }
        if (guard != null && guardCondition != Condition.TRUE) {
            return guardCondition;
        }
        return detectorCondition;
    }

    /** Lets the held condition run until {@code t}, emitting the transition if a duration is reached on the way. */
    private void advance(long t) {
        Timer s = timer;
        if (s.clock == NEVER) {
            s.clock = t;
            return;
        }
        if (t <= s.clock) {
            return;
        }
        long dt = t - s.clock;
        // A condition ends the opposite stretch only once it has held for some event time: a
        // condition seen between two readings of the same instant (a difference that pairs the
        // new supply with the previous return) holds for none, and resets nothing.
        if (s.condition == Condition.TRUE) {
            s.falseSince = NEVER;
            s.falseHeld = 0;
        } else if (s.condition == Condition.FALSE) {
            s.trueSince = NEVER;
            s.trueHeld = 0;
        }
        if (s.condition == Condition.TRUE) {
            if (!s.raised && s.trueHeld + dt >= holdFor) {
                long at = Math.max(s.clock, s.clock + holdFor - s.trueHeld);
                s.trueHeld += dt;
                s.clock = t;
                raise(at);
                return;
            }
            s.trueHeld += dt;
        } else if (s.condition == Condition.FALSE && s.raised) {
            if (s.falseHeld + dt >= clearAfter) {
                long at = Math.max(s.clock, s.clock + clearAfter - s.falseHeld);
                s.falseHeld += dt;
                s.clock = t;
                clear(at);
                return;
            }
            s.falseHeld += dt;
        }
        s.clock = t;
    }

    private void observe(long t, Condition c) {
        Timer s = timer;
        s.condition = c;
        if (c == Condition.TRUE) {
            if (s.trueSince == NEVER) {
                s.trueSince = t;
                s.trueHeld = 0;
            }
            if (!s.raised && s.trueHeld >= holdFor) {
                raise(t);
            }
        } else if (c == Condition.FALSE) {
            if (s.raised) {
                if (s.falseSince == NEVER) {
                    s.falseSince = t;
                    s.falseHeld = 0;
                }
                if (s.falseHeld >= clearAfter) {
                    clear(t);
                }
            }
        }
        // UNKNOWN: neither advances nor resets a timer.
    }

    private void raise(long at) {
        timer.raised = true;
        emit(RuleSignal.Kind.RAISED, timer.trueSince == NEVER ? at : timer.trueSince, at);
    }

    private void clear(long at) {
        timer.raised = false;
        timer.trueSince = NEVER; // a clear ends the stretch: the next onset counts `for` afresh
        timer.trueHeld = 0;
        timer.falseSince = timer.falseSince == NEVER ? at : timer.falseSince;
        emit(RuleSignal.Kind.CLEARED, timer.falseSince, at);
        timer.falseSince = NEVER;
        timer.falseHeld = 0;
    }

    private void emit(RuleSignal.Kind kind, long from, long at) {
        Map<String, Double> figures = new HashMap<>();
        if (guard != null) {
            // Only the guard's own figures: a name the detector declares is the detector's, even
            // when it has no value yet (a guard on people never lends its value to power; issue 14).
            guard.figures().forEach((name, v) -> {
                if (!rule.detectorFactory().figureNames().contains(name)) {
                    figures.put(name, v);
                }
            });
        }
        figures.putAll(detector.figures());
        figures.put("duration_minutes", (at - from) / 60_000_000d);
        Instant fromInstant = instant(from);
        Instant atInstant = instant(at);
        Explanation explanation = new Explanation(fromInstant, atInstant, figures,
                fr.render(figures, binding.site(), binding.equipment(), binding.zone(), fromInstant, atInstant),
                en.render(figures, binding.site(), binding.equipment(), binding.zone(), fromInstant, atInstant));
        RuleSignal signal = new RuleSignal(kind, rule.id(), binding.site(), binding.equipment(), rule.severity(),
                rule.category(), rule.urgency(), atInstant, explanation);
        if (replayed != null) {
            replayed.add(new LateHistory.Pending(signal, at, discovery));
            return;
        }
        emittedRaised = kind == RuleSignal.Kind.RAISED;
        if (history != null) {
            history.emitted(kind, at, discovery);
        }
        sink.accept(signal);
    }

    /** Collects transitions instead of emitting them, while a late reading is replayed; {@code null} to stop. */
    void collectInto(List<LateHistory.Pending> into) {
        this.replayed = into;
    }

    /** Emits a transition found by a replay and not emitted before. */
    void emitReplayed(LateHistory.Pending pending) {
        emittedRaised = pending.signal().kind() == RuleSignal.Kind.RAISED;
        history.emitted(pending.signal().kind(), pending.at(), pending.discovery());
        sink.accept(pending.signal());
    }

    /**
     * After a replay, the lifecycle's view wins where a late reading would revoke a transition
     * already emitted: a RAISED stays raised (and clears by the rule's own clear-after), a
     * CLEARED stays cleared (and may raise again).
     */
    void alignWithEmitted() {
        if (timer.raised == emittedRaised) {
            return;
        }
        timer.raised = emittedRaised;
        if (emittedRaised && timer.condition == Condition.FALSE && timer.falseSince == NEVER) {
            timer.falseSince = timer.clock;
            timer.falseHeld = 0;
        }
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }

    InstanceSnapshot snapshot() {
        return new InstanceSnapshot(rule.id(), rule.fingerprint(), binding.site(), binding.equipment(),
                detector.state(), guard == null ? Map.of() : guard.state(), detectorCondition.name(),
                guardCondition.name(), timer.condition.name(), timer.clock, newestReading, timer.trueSince,
                timer.trueHeld, timer.falseSince, timer.falseHeld, timer.raised);
    }

    void restore(InstanceSnapshot s) {
        detector = rule.detectorFactory().restore(binding.zone(), s.detector());
        guard = rule.guard().map(g -> g.restore(binding.zone(), s.guard())).orElse(null);
        detectorCondition = Condition.valueOf(s.detectorCondition());
        guardCondition = Condition.valueOf(s.guardCondition());
        timer.condition = Condition.valueOf(s.condition());
        timer.clock = s.clock();
        timer.trueSince = s.trueSince();
        timer.trueHeld = s.trueHeldMicros();
        timer.falseSince = s.falseSince();
        timer.falseHeld = s.falseHeldMicros();
        timer.raised = s.raised();
        emittedRaised = s.raised();
        newestReading = s.newestReading();
        tickClock = s.clock();
        if (history != null) {
            history.resetAt(Math.max(s.clock(), s.newestReading()));
        }
    }

    /** Back to the state of a new instance: nothing seen, nothing raised. */
    void reset() {
        restore(new RuleInstance(rule, binding, roles, 0, fr, en).snapshot());
    }

    /** The state machine's variables, copied whole into a checkpoint. */
    static final class Timer {
        long clock = NEVER;
        Condition condition = Condition.UNKNOWN;
        long trueSince = NEVER;
        long trueHeld;
        long falseSince = NEVER;
        long falseHeld;
        boolean raised;

        Timer copy() {
            Timer t = new Timer();
            t.copyFrom(this);
            return t;
        }

        void copyFrom(Timer o) {
            clock = o.clock;
            condition = o.condition;
            trueSince = o.trueSince;
            trueHeld = o.trueHeld;
            falseSince = o.falseSince;
            falseHeld = o.falseHeld;
            raised = o.raised;
        }
    }

    static List<LateHistory.Pending> newPendingList() {
        return new ArrayList<>();
    }
}
