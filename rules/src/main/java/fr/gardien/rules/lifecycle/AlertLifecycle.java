package fr.gardien.rules.lifecycle;

import fr.gardien.rules.RuleSignal;
import fr.gardien.rules.lifecycle.Decision.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The alert lifecycle (issue 3) as pure decisions: given what is stored of an alert and what
 * happened (a signal of the rule engine, a person's request, the passing of time), the
 * {@link Decision} to write. One active alert per (rule, site, equipment); states open →
 * acknowledged → resolved; an alert auto-resolved less than the flap window before a new raise
 * is reopened instead of a new one being opened; an alert reopened {@value #FLAPPING_FLAPS}
 * times, the last within the flap window, is "flapping": a clear keeps it open, and it is
 * resolved once its condition has stayed clear for the flap window ({@link #settle}).
 *
 * <p>No I/O and no clock: the caller (the alert store) reads the facts under its locks, and
 * writes the decision in the same transaction. Immutable and thread-safe.
 */
public final class AlertLifecycle {

    public static final Duration DEFAULT_FLAP_WINDOW = Duration.ofHours(1);
    /** Reopenings within the flap window from which a clear no longer resolves the alert. */
    public static final int FLAPPING_FLAPS = 3;
    /** Who the rule engine's transitions are by. */
    public static final String ENGINE = "gardien";

    private final Duration flapWindow;

    /**
     * @param flapWindow an alert auto-resolved less than this before a new raise is reopened; a
     *     flapping alert is resolved once its condition has stayed clear this long
     * @throws IllegalArgumentException when {@code flapWindow} is not positive
     */
    public AlertLifecycle(Duration flapWindow) {
        if (flapWindow.isNegative() || flapWindow.isZero()) {
            throw new IllegalArgumentException("flapWindow must be positive, was " + flapWindow);
        }
        this.flapWindow = flapWindow;
    }

    public Duration flapWindow() {
        return flapWindow;
    }

    /**
     * A RAISED signal.
     * <ul>
     *   <li>With an active alert: {@link Step#RETRIGGER} (a flap when the alert was kept open
     *       after a clear).</li>
     *   <li>Without one: {@link Step#SUPPRESS} when a silence covers the signal at its time;
     *       {@link Step#REOPEN} when {@code recent} was auto-resolved less than the flap window
     *       before the signal; else {@link Step#OPEN}.</li>
     * </ul>
     *
     * @param active the active alert of the signal's rule, site and equipment, or {@code null}
     * @param silences the silences that may cover the signal (only consulted without an active alert)
     * @param recent the latest auto-resolved alert of the signal's rule, site and equipment, or
     *     {@code null} (only consulted without an active alert)
     * @throws IllegalArgumentException for a signal that is not RAISED, or has no explanation
     */
    public Decision raise(RuleSignal signal, AlertFacts active, List<? extends SilenceWindow> silences, AlertFacts recent) {
        if (signal.kind() != RuleSignal.Kind.RAISED || signal.explanation() == null) {
            throw new IllegalArgumentException("a raise needs a RAISED signal with an explanation [rule: "
                    + signal.ruleId() + "]");
        }
        Instant at = signal.at();
        if (active != null) {
            boolean flap = active.clearedAt() != null;
            Map<String, Object> detail = detail("occurrences", active.occurrences() + 1);
            if (flap) {
                // Raised again while kept open after a clear: another flap.
                detail.put("flaps", active.flaps() + 1);
            }
            return new Decision(Step.RETRIGGER, at, ENGINE, flap, detail);
        }
        for (SilenceWindow s : silences) {
            if (s.covers(signal.ruleId(), signal.site(), signal.equipment(), at)) {
                return Decision.nothing(Step.SUPPRESS);
            }
        }
        if (recent != null && reopens(recent, at)) {
            int flaps = recent.flaps() + 1;
            Map<String, Object> detail = detail("occurrences", recent.occurrences() + 1);
            detail.put("flaps", flaps);
            if (flaps >= FLAPPING_FLAPS) {
                detail.put("flapping", true);
            }
            return new Decision(Step.REOPEN, at, ENGINE, false, detail);
        }
        return new Decision(Step.OPEN, at, ENGINE, false, detail("occurrences", 1));
    }

    /**
     * Whether a signal of the rule engine is already reflected by the latest alert of its rule,
     * site and equipment, so that applying it again would repeat a transition: a RAISED at or
     * before that alert's latest raise, or a CLEARED before it. The rule engine's signals of one
     * instance move forward in event time, so only a signal replayed (a worker taking a partition
     * over replays the readings after its rule state checkpoint, issue 13) is ever behind them.
     *
     * @param latest the alert of the signal's rule, site and equipment raised last, or {@code null}
     */
    public boolean reflected(RuleSignal signal, AlertFacts latest) {
        if (latest == null || latest.lastSeen() == null) {
            return false;
        }
        return signal.kind() == RuleSignal.Kind.RAISED ? !signal.at().isAfter(latest.lastSeen())
                : signal.at().isBefore(latest.lastSeen());
    }

    /**
     * The earliest resolution time of an alert that a raise at {@code at} may reopen (exclusive):
     * what the store pre-selects by.
     */
    public Instant reopenAfter(Instant at) {
        return at.minus(flapWindow);
    }

    private boolean reopens(AlertFacts recent, Instant at) {
        return recent.state() == AlertFacts.State.RESOLVED && recent.autoResolved() && recent.resolvedAt() != null
                && recent.resolvedAt().isAfter(reopenAfter(at));
    }

    /**
     * A CLEARED signal: {@link Step#IGNORE} with no active alert (its raise was silenced, say);
     * {@link Step#KEEP_OPEN} when the alert is flapping ({@value #FLAPPING_FLAPS} flaps, the last
     * within the flap window before the signal); else {@link Step#AUTO_RESOLVE} at the signal's time.
     *
     * @param active the active alert of the signal's rule, site and equipment, or {@code null}
     */
    public Decision clear(RuleSignal signal, AlertFacts active) {
        if (signal.kind() != RuleSignal.Kind.CLEARED) {
            throw new IllegalArgumentException("a clear needs a CLEARED signal [rule: " + signal.ruleId() + "]");
        }
        if (active == null || !active.active()) {
            return Decision.nothing(Step.IGNORE);
        }
        if (active.flaps() >= FLAPPING_FLAPS && active.lastFlapAt() != null
                && active.lastFlapAt().isAfter(signal.at().minus(flapWindow))) {
            // Resolving now would only be reopened; settle resolves it once quiet.
            return new Decision(Step.KEEP_OPEN, signal.at(), null, false, Map.of());
        }
        return new Decision(Step.AUTO_RESOLVE, signal.at(), ENGINE, false, detail("resolution", "auto"));
    }

    /** The latest clear time of a kept-open alert that {@link #settle} resolves at {@code now} (inclusive). */
    public Instant settledBy(Instant now) {
        return now.minus(flapWindow);
    }

    /**
     * The passing of time for an alert kept open after a clear: {@link Step#AUTO_RESOLVE} once
     * its condition has stayed clear for the flap window up to {@code now}, at the event time it
     * had (its clear time plus the window, not the wall clock: an alert of replayed history would
     * otherwise be resolved in its future, and a raise of the same rule days later in the replay
     * would reopen it); else {@link Step#UNCHANGED}.
     */
    public Decision settle(AlertFacts alert, Instant now) {
        if (!alert.active() || alert.clearedAt() == null || alert.clearedAt().isAfter(settledBy(now))) {
            return Decision.nothing(Step.UNCHANGED);
        }
        Map<String, Object> detail = detail("resolution", "auto");
        detail.put("afterFlapping", true);
        return new Decision(Step.AUTO_RESOLVE, alert.clearedAt().plus(flapWindow), ENGINE, false, detail);
    }

    /**
     * Someone acknowledges the alert: open → {@link Step#ACKNOWLEDGE}; acknowledged →
     * {@link Step#UNCHANGED}; resolved → {@link Step#REFUSE}.
     */
    public Decision acknowledge(AlertFacts alert, String who, Instant now) {
        Objects.requireNonNull(who, "who");
        return switch (alert.state()) {
            case RESOLVED -> Decision.nothing(Step.REFUSE);
            case ACKNOWLEDGED -> Decision.nothing(Step.UNCHANGED);
            case OPEN -> new Decision(Step.ACKNOWLEDGE, now, who, false, Map.of());
        };
    }

    /**
     * Someone resolves the alert by hand: open or acknowledged → {@link Step#MANUAL_RESOLVE}
     * (with the note, when there is one); resolved → {@link Step#UNCHANGED}.
     *
     * @param note why, as it is stored, or {@code null}
     */
    public Decision resolve(AlertFacts alert, String who, String note, Instant now) {
        Objects.requireNonNull(who, "who");
        if (!alert.active()) {
            return Decision.nothing(Step.UNCHANGED);
        }
        Map<String, Object> detail = detail("resolution", "manual");
        if (note != null) {
            detail.put("note", note);
        }
        return new Decision(Step.MANUAL_RESOLVE, now, who, false, detail);
    }

    private static Map<String, Object> detail(String key, Object value) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put(key, value);
        return detail;
    }
}
