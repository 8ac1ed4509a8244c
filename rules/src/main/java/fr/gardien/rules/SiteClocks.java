package fr.gardien.rules;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The live engine's clock, one per site, in event time (contract: "rules run in event time").
 *
 * <p>A site's clock is its <em>watermark</em>: the newest reading time of any of its points. When
 * it has advanced by {@code tick} since the site was last ticked, the site's instances are ticked
 * at it ({@link RuleEngine#onSiteTime}), so a sensor that stops while the rest of its site keeps
 * reporting is found silent in event time, whether the feed is live or a fast replay of last
 * month: a replayed site is never judged by the wall clock while its data keep coming.
 *
 * <p>A site from which nothing has arrived for {@code silence} of real time follows the wall
 * clock instead: a whole feed gone quiet (a field gateway off its network) still raises its
 * missing-data rules. A site that has never reported (since this clock was made, and with no
 * restored state) is left alone: nothing can be silent there yet, and ticking it would push its
 * rule instances ahead of the history a simulator or a field gateway is about to send.
 *
 * <p>Not thread-safe: driven by the engine's thread. Real time is given as {@link System#nanoTime()}
 * values, so tests drive it without sleeping.
 */
public final class SiteClocks {

    private static final long NEVER = Long.MIN_VALUE;

    private static final class State {
        long watermark = NEVER;
        long ticked = NEVER;
        long arrivalNanos;

        State(long arrivalNanos) {
            this.arrivalNanos = arrivalNanos;
        }
    }

    private final long tickMicros;
    private final long silenceNanos;
    private final long startNanos;
    private final Map<String, State> sites = new HashMap<>();

    /**
     * @param tick event time between two ticks of a site driven by its readings
     * @param silence real time without any reading of a site after which it follows the wall clock
     * @param startNanos {@link System#nanoTime()} now: sites restored from a snapshot count as silent since then
     */
    public SiteClocks(Duration tick, Duration silence, long startNanos) {
        if (tick.isNegative() || tick.isZero() || silence.isNegative()) {
            throw new IllegalArgumentException("tick must be positive and silence not negative: " + tick + ", " + silence);
        }
        this.tickMicros = tick.toNanos() / 1000;
        this.silenceNanos = silence.toNanos();
        this.startNanos = startNanos;
    }

    /**
     * After {@code engine.onReading} of the same reading: advances the reading's site watermark
     * and ticks the site when it has moved by a tick. Points the engine does not know are ignored.
     */
    public void onReading(RuleEngine engine, int pointId, long epochMicros, long nowNanos, Consumer<RuleSignal> sink) {
        String site = engine.siteOf(pointId);
        if (site == null) {
            return;
        }
        State s = sites.computeIfAbsent(site, k -> new State(nowNanos));
        s.arrivalNanos = nowNanos;
        if (epochMicros <= s.watermark) {
            return;
        }
        s.watermark = epochMicros;
        // Yes, ticked may be NEVER: the first reading of a site ticks it.
        if (s.ticked == NEVER || epochMicros - s.ticked >= tickMicros) {
            s.ticked = epochMicros;
            engine.onSiteTime(site, epochMicros, sink);
        }
    }

    /**
     * The wall clock, every few seconds: each site silent for {@code silence} that has reported
     * before (or has restored state) is ticked at {@code wallMicros}.
     */
    public void onWallTime(RuleEngine engine, long wallMicros, long nowNanos, Consumer<RuleSignal> sink) {
        onWallTime(engine, wallMicros, nowNanos, site -> true, sink);
    }

    /**
     * As {@link #onWallTime(RuleEngine, long, long, Consumer)}, for the sites {@code owned} says
     * this engine is responsible for: in cluster mode a worker ticks only the sites of the
     * partitions it holds, so a site it no longer receives does not look silent (issue 13).
     */
    public void onWallTime(RuleEngine engine, long wallMicros, long nowNanos, java.util.function.Predicate<String> owned,
            Consumer<RuleSignal> sink) {
        for (String site : engine.sites()) {
            if (!owned.test(site)) {
                continue;
            }
            State s = sites.get(site);
            if (s == null) {
                if (!engine.hasReadings(site)) {
                    continue;
                }
                s = new State(startNanos);
                sites.put(site, s);
            }
            if (nowNanos - s.arrivalNanos < silenceNanos || wallMicros <= s.ticked) {
                continue;
            }
            s.ticked = wallMicros;
            engine.onSiteTime(site, wallMicros, sink);
        }
    }

    /**
     * Starts the clocks of the sites {@code of} accepts again, as at {@code nowNanos}: after their
     * state was dropped or restored from a checkpoint (a worker that lost or took a partition;
     * issue 13). A site with state counts as silent from now on, one without is left alone until
     * it reports.
     */
    public void restart(RuleEngine engine, java.util.function.Predicate<String> of, long nowNanos) {
        for (String site : engine.sites()) {
            if (of.test(site)) {
                sites.remove(site);
                if (engine.hasReadings(site)) {
                    sites.put(site, new State(nowNanos));
                }
            }
        }
    }

    /** The newest reading time seen for {@code site}, in epoch microseconds, or {@link Long#MIN_VALUE}. */
    public long watermark(String site) {
        State s = sites.get(site);
        return s == null ? NEVER : s.watermark;
    }
}
