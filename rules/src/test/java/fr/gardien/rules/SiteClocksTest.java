package fr.gardien.rules;

import static fr.gardien.rules.Fixture.MINUTE;
import static fr.gardien.rules.Fixture.OUTDOOR;
import static fr.gardien.rules.Fixture.SUPPLY;
import static fr.gardien.rules.Fixture.engine;
import static fr.gardien.rules.Fixture.local;
import static fr.gardien.rules.Fixture.micros;
import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.rules.RuleSignal.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SiteClocksTest {

    private static final long SECOND_NANOS = 1_000_000_000L;
    private static final Duration LATENESS = Duration.ofMinutes(2);

    // A fresh engine and clocks for each test (JUnit makes an instance per test).
    private final RuleEngine engine = engine(RuleEngineTest.OFFLINE, LATENESS);
    private final SiteClocks clocks = new SiteClocks(Duration.ofSeconds(5), Duration.ofMinutes(1), 0);
    private final List<RuleSignal> out = new ArrayList<>();
    private final long t0 = local("2026-01-12T06:00:00");

    /** A fast replay of old history is judged in event time: a supply sensor that stops while the outdoor sensor goes on raises 15 min after its last reading, never at the wall clock. */
    @Test
    void aFastReplayRaisesMissingDataInEventTimeNotAtTheWallClock() {
        long wall = t0 + 56L * 24 * 60 * MINUTE; // eight weeks later
        long nanos = 0;
        // Before anything arrives, the wall clock leaves the site alone.
        for (int i = 0; i < 20; i++) {
            nanos += 5 * SECOND_NANOS;
            clocks.onWallTime(engine, wall + i * 5_000_000L, nanos, out::add);
        }
        for (int m = 0; m < 120; m++) {
            long t = t0 + m * MINUTE;
            nanos += SECOND_NANOS / 100; // the replay runs at 6,000 times real time
            feed(OUTDOOR, t, 5, nanos);
            if (m < 60) {
                feed(SUPPLY, t, 60, nanos);
            }
            clocks.onWallTime(engine, wall, nanos, out::add);
        }
        // Last supply reading at 59 min; silent for more than 15 min once the watermark less the
        // lateness passes 74 min, which the site's first tick past it (watermark 77 min) finds.
        assertThat(out).singleElement().satisfies(s -> {
            assertThat(s.kind()).isEqualTo(Kind.RAISED);
            assertThat(micros(s.at())).isEqualTo(t0 + 75 * MINUTE);
        });
        assertThat(clocks.watermark("tilleuls")).isEqualTo(t0 + 119 * MINUTE);
    }

    /** A healthy replay with every point reporting raises nothing, however far behind the wall clock it runs. */
    @Test
    void aHealthyReplayFarBehindTheWallClockRaisesNothing() {
        long wall = t0 + 365L * 24 * 60 * MINUTE;
        long nanos = 0;
        for (int m = 0; m < 24 * 60; m++) {
            nanos += SECOND_NANOS / 50;
            feed(SUPPLY, t0 + m * MINUTE, 60, nanos);
            if (m % 50 == 0) {
                clocks.onWallTime(engine, wall + nanos / 1000, nanos, out::add);
            }
        }
        assertThat(out).isEmpty();
    }

    /** A site whose whole feed stops follows the wall clock once it has been silent for the silence, so its sensors are found offline live. */
    @Test
    void aSilentFeedFollowsTheWallClock() {
        long nanos = 0;
        for (int m = 0; m <= 10; m++) {
            nanos = m * 60 * SECOND_NANOS;
            feed(SUPPLY, t0 + m * MINUTE, 60, nanos);
        }
        // Live from here on: the wall clock is the readings' time, and nothing arrives any more.
        long firstTick = 0;
        for (long s = 605; s <= 40 * 60; s += 5) {
            long wall = t0 + s * 1_000_000L;
            clocks.onWallTime(engine, wall, s * SECOND_NANOS, out::add);
            if (firstTick == 0 && wall - 2 * MINUTE - (t0 + 10 * MINUTE) > 15 * MINUTE) {
                firstTick = wall;
            }
        }
        long expected = firstTick - 2 * MINUTE;
        assertThat(out).singleElement().satisfies(s -> {
            assertThat(s.kind()).isEqualTo(Kind.RAISED);
            assertThat(micros(s.at())).isEqualTo(expected);
        });
    }

    /** A site restored from a snapshot that never reports again is still found silent by the wall clock. */
    @Test
    void aRestoredSiteThatNeverReportsAgainFollowsTheWallClock() {
        engine.onReading(SUPPLY, t0, 60, out::add);
        RuleEngine after = engine(RuleEngineTest.OFFLINE, LATENESS);
        after.restore(engine.snapshot());
        clocks.onWallTime(after, t0 + 30 * MINUTE, 30 * SECOND_NANOS, out::add);
        assertThat(out).isEmpty();
        clocks.onWallTime(after, t0 + 30 * MINUTE, 61 * SECOND_NANOS, out::add);
        assertThat(out).extracting(RuleSignal::kind).containsExactly(Kind.RAISED);
    }

    /**
     * After a takeover (issue 13): a site whose state was restored counts as silent from the
     * restart, not from its last reading's arrival; a site whose state was dropped is left alone.
     */
    @Test
    void aRestartedSiteIsSilentFromTheRestartAndADroppedOneIsLeftAlone() {
        for (int m = 0; m < 10; m++) {
            feed(SUPPLY, t0 + m * MINUTE, 60, m * SECOND_NANOS);
        }
        long restart = 600 * SECOND_NANOS;
        long wall = t0 + 24 * 60 * MINUTE; // a day later: the sensor is silent by then
        clocks.restart(engine, site -> true, restart);
        clocks.onWallTime(engine, wall, restart + 30 * SECOND_NANOS, out::add);
        assertThat(out).as("silent for 30 s of real time since the restart only").isEmpty();
        clocks.onWallTime(engine, wall, restart + 61 * SECOND_NANOS, out::add);
        assertThat(out).singleElement().extracting(RuleSignal::kind).isEqualTo(Kind.RAISED);

        out.clear();
        engine.reset(site -> true);
        clocks.restart(engine, site -> true, 2 * restart);
        clocks.onWallTime(engine, wall + 60 * MINUTE, 3 * restart, out::add);
        assertThat(out).as("no state: nothing can be silent").isEmpty();
    }

    private void feed(int point, long t, double v, long nanos) {
        engine.onReading(point, t, v, out::add);
        clocks.onReading(engine, point, t, nanos, out::add);
    }
}
