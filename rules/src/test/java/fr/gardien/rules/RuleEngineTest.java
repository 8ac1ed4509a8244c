package fr.gardien.rules;

import static fr.gardien.rules.Fixture.BOILER;
import static fr.gardien.rules.Fixture.FLOW;
import static fr.gardien.rules.Fixture.METER;
import static fr.gardien.rules.Fixture.MINUTE;
import static fr.gardien.rules.Fixture.OUTDOOR;
import static fr.gardien.rules.Fixture.RETURN;
import static fr.gardien.rules.Fixture.SUPPLY;
import static fr.gardien.rules.Fixture.WEATHER;
import static fr.gardien.rules.Fixture.engine;
import static fr.gardien.rules.Fixture.essentials;
import static fr.gardien.rules.Fixture.feed;
import static fr.gardien.rules.Fixture.local;
import static fr.gardien.rules.Fixture.micros;
import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.rules.Fixture.In;
import fr.gardien.rules.RuleSignal.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleEngineTest {

    static final String NO_HEAT = """
            rules:
              - id: boiler-no-heat
                description: Supply too cold while it is cold outside; tenants are without heating.
                applies-to: [boiler, substation]
                inputs: {supply: supply_temp, outdoor: outdoor_temp}
                detector: threshold
                params: {signal: supply, below: 40, hysteresis: 5}
                when: {signal: outdoor, below: 15}
                for: 30m
                clear-after: 20m
                severity: critical
                category: heating
                urgency: immediate
                summary:
                  fr: "Départ à {value} °C (seuil {threshold} °C) depuis {duration}, extérieur {outdoor} °C, depuis {since}"
                  en: "Supply at {value} °C (threshold {threshold} °C) for {duration}, outdoor {outdoor} °C"
              - id: boiler-delta-t-collapse
                description: Supply minus return below 3 K for hours means a pump or a valve has failed.
                applies-to: [boiler]
                inputs: {supply: supply_temp, return: return_temp}
                detector: threshold
                params: {signal: {difference: [supply, return]}, below: 3, hysteresis: 1}
                for: 20m
                clear-after: 10m
                severity: major
                category: heating
                urgency: within-days
                summary: {fr: "ΔT de {value} K", en: "ΔT of {value} K"}
            """;

    static final String NIGHT_FLOW = """
            rules:
              - id: water-night-flow
                description: Water flowing all night in a building asleep is a leak.
                applies-to: [water-meter]
                inputs: {flow: flow}
                detector: threshold
                params: {signal: flow, above: 0.05}
                for: 3h30m
                clear-after: 1h
                severity: major
                category: water
                urgency: within-days
                window: {from: "01:00", to: "05:00"}
                summary: {fr: "Débit nocturne {value} m3/h", en: "Night flow {value} m3/h"}
            """;

    static final String OFFLINE = """
            rules:
              - id: sensor-offline
                description: A sensor silent for three intervals watches nothing.
                applies-to: [boiler]
                inputs: {supply: supply_temp}
                detector: missing-data
                params: {input: supply, interval: 5m, factor: 3}
                severity: warning
                category: sensor
                urgency: within-days
                summary: {fr: "Muet depuis {silent_minutes} min", en: "Silent for {silent_minutes} min"}
            """;

    /** A boiler's cold-supply series in cold weather: supply readings every 5 min, outdoor 5 °C. */
    static List<In> coldSpell() {
        List<In> readings = new ArrayList<>();
        long t0 = local("2026-01-12T06:00:00");
        for (int m = 0; m <= 180; m += 5) {
            long t = t0 + m * MINUTE;
            readings.add(new In(OUTDOOR, t, 5));
            double supply = m >= 10 && m < 65 ? 35 : m >= 120 && m < 130 ? 36 : 60;
            readings.add(new In(SUPPLY, t, supply));
            readings.add(new In(RETURN, t, m >= 140 ? supply - 1 : supply - 15));
        }
        return readings;
    }

    /** The condition held for the rule's duration raises once, with its onset, figures and texts; it clears after clear-after. */
    @Test
    void raisedOncePerOnsetAndClearedAfterClearAfter() {
        RuleEngine engine = engine(NO_HEAT, Duration.ZERO);
        List<RuleSignal> noHeat = feed(engine, coldSpell()).stream()
                .filter(s -> s.ruleId().equals("boiler-no-heat")).toList();
        long t0 = local("2026-01-12T06:00:00");
        assertThat(noHeat).extracting(RuleSignal::kind).containsExactly(Kind.RAISED, Kind.CLEARED);
        RuleSignal raised = noHeat.get(0);
        assertThat(micros(raised.at())).isEqualTo(t0 + 40 * MINUTE);
        assertThat(micros(raised.explanation().from())).isEqualTo(t0 + 10 * MINUTE);
        assertThat(raised.explanation().figures()).containsEntry("value", 35.0).containsEntry("outdoor", 5.0)
                .containsEntry("duration_minutes", 30.0);
        assertThat(raised.explanation().summaryFr())
                .isEqualTo("Départ à 35 °C (seuil 40 °C) depuis 30 min, extérieur 5 °C, depuis 06:10");
        assertThat(raised.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(raised.site()).isEqualTo("tilleuls");
        // FALSE from 65 (60 °C > 40 + 5); the 10-minute dip at 120 is below for and never raises again.
        assertThat(micros(noHeat.get(1).at())).isEqualTo(t0 + 85 * MINUTE);
    }

    /** A difference signal (supply − return) raises when ΔT collapses, on the boiler only. */
    @Test
    void deltaTCollapseRaisesOnTheDifferenceSignal() {
        RuleEngine engine = engine(NO_HEAT, Duration.ZERO);
        List<RuleSignal> deltaT = feed(engine, coldSpell()).stream()
                .filter(s -> s.ruleId().equals("boiler-delta-t-collapse")).toList();
        assertThat(deltaT).singleElement().satisfies(s -> {
            assertThat(micros(s.at())).isEqualTo(local("2026-01-12T08:40:00"));
            assertThat(s.explanation().summaryEn()).isEqualTo("ΔT of 1 K");
        });
        assertThat(engine.instances()).containsExactly("boiler-no-heat/tilleuls/boiler-1",
                "boiler-delta-t-collapse/tilleuls/boiler-1");
    }

    /**
     * Supply and return come in one pack with the same timestamp, and the engine takes them one
     * at a time: after the supply, the difference briefly pairs the new supply with the previous
     * return. That pairing lasts no event time and must not reset the hold: the condition at an
     * instant is the one after all the readings of that instant.
     */
    @Test
    void aConditionThatHoldsForNoEventTimeDoesNotResetTheHold() {
        RuleEngine engine = engine(NO_HEAT, Duration.ZERO);
        List<In> readings = new ArrayList<>();
        long t0 = local("2026-01-12T06:00:00");
        for (int i = 0; i <= 30; i++) {
            double supply = i % 2 == 0 ? 50 : 58; // the supply swings ±4 K between readings
            readings.add(new In(OUTDOOR, t0 + i * MINUTE, 2));
            readings.add(new In(SUPPLY, t0 + i * MINUTE, supply));
            readings.add(new In(RETURN, t0 + i * MINUTE, supply - 1)); // ΔT 1 K at every instant
        }
        List<RuleSignal> deltaT = feed(engine, readings).stream()
                .filter(s -> s.ruleId().equals("boiler-delta-t-collapse")).toList();
        assertThat(deltaT).singleElement().satisfies(s -> {
            assertThat(s.kind()).isEqualTo(Kind.RAISED);
            assertThat(micros(s.at())).isEqualTo(t0 + 20 * MINUTE);
            assertThat(micros(s.explanation().from())).isEqualTo(t0);
        });
    }

    /** When the guard is false (mild weather) the condition is FALSE and nothing is raised. */
    @Test
    void aFalseGuardKeepsTheRuleSilent() {
        RuleEngine engine = engine(NO_HEAT, Duration.ZERO);
        List<In> mild = coldSpell().stream().map(r -> r.point() == OUTDOOR ? new In(OUTDOOR, r.t(), 18) : r).toList();
        assertThat(feed(engine, mild)).noneMatch(s -> s.ruleId().equals("boiler-no-heat"));
    }

    /** An UNKNOWN stretch (outside the window) neither resets nor advances the hold: the onset stays, the time outside does not count. */
    @Test
    void unknownNeitherAdvancesNorResetsTheTimer() {
        RuleEngine engine = engine(NIGHT_FLOW, Duration.ZERO);
        List<In> readings = new ArrayList<>();
        for (long t = local("2026-01-12T03:00:00"); t <= local("2026-01-13T03:00:00"); t += 5 * MINUTE) {
            readings.add(new In(FLOW, t, 0.3));
        }
        List<RuleSignal> out = feed(engine, readings);
        // 03:00–05:00 counts 2 h, the day is UNKNOWN, 01:00–02:30 completes the 3 h 30.
        assertThat(out).singleElement().satisfies(s -> {
            assertThat(micros(s.at())).isEqualTo(local("2026-01-13T02:30:00"));
            assertThat(micros(s.explanation().from())).isEqualTo(local("2026-01-12T03:00:00"));
        });
    }

    /** The local-time window follows DST: 01:00–05:00 lasts 5 h on the last Sunday of October and 3 h on the last Sunday of March. */
    @Test
    void theNightWindowFollowsDaylightSavingTime() {
        assertThat(nightFlowRaisedAt("2026-01-17")).isEqualTo(local("2026-01-18T04:30:00"));
        // 01:00 CEST = 23:00Z; 3 h 30 later is 02:30Z = 03:30 CET, inside the 5-hour window.
        assertThat(nightFlowRaisedAt("2026-10-24")).isEqualTo(micros(java.time.Instant.parse("2026-10-25T02:30:00Z")));
        // 01:00 CET to 05:00 CEST is 3 hours: never 3 h 30.
        assertThat(nightFlowRaisedAt("2026-03-28")).isNull();
    }

    private static Long nightFlowRaisedAt(String eveningDate) {
        RuleEngine engine = engine(NIGHT_FLOW, Duration.ZERO);
        long from = local(eveningDate + "T22:00:00");
        List<In> readings = new ArrayList<>();
        for (long t = from; t <= from + 10 * 60 * MINUTE; t += 5 * MINUTE) {
            readings.add(new In(FLOW, t, 0.3));
        }
        List<RuleSignal> out = feed(engine, readings);
        assertThat(out).allMatch(s -> s.kind() == Kind.RAISED).hasSizeLessThanOrEqualTo(1);
        return out.isEmpty() ? null : micros(out.get(0).at());
    }

    /** Missing data raises from onTime alone, with no reading arriving, once event time minus lateness passes 3 × the interval. */
    @Test
    void missingDataFiresFromOnTimeAloneWithoutAnyReading() {
        RuleEngine engine = engine(OFFLINE, Duration.ofMinutes(2));
        List<RuleSignal> out = new ArrayList<>();
        long t0 = local("2026-01-12T06:00:00");
        engine.onReading(SUPPLY, t0, 60, out::add);
        long firstTrueTick = 0;
        for (long now = t0; now <= t0 + 30 * MINUTE; now += 10_000_000L) {
            engine.onTime(now, out::add);
            if (firstTrueTick == 0 && now - 2 * MINUTE - t0 > 15 * MINUTE) {
                firstTrueTick = now;
            }
        }
        long expectedAt = firstTrueTick - 2 * MINUTE;
        assertThat(out).singleElement().satisfies(s -> {
            assertThat(s.kind()).isEqualTo(Kind.RAISED);
            assertThat(micros(s.at())).isEqualTo(expectedAt);
            assertThat(s.explanation().summaryEn()).isEqualTo("Silent for 15.2 min");
        });
        engine.onReading(SUPPLY, t0 + 31 * MINUTE, 60, out::add);
        assertThat(out).extracting(RuleSignal::kind).containsExactly(Kind.RAISED, Kind.CLEARED);
    }

    /** Readings shuffled within the lateness give exactly the signals of the same readings in order. */
    @Test
    void lateReadingsWithinLatenessGiveTheSameSignalsAsInOrder() {
        List<In> ordered = coldSpell();
        List<In> shuffled = new ArrayList<>(ordered);
        java.util.Random random = new java.util.Random(42);
        // Each reading arrives up to 40 minutes after its time, in arrival order.
        java.util.Map<In, Long> arrival = new java.util.IdentityHashMap<>();
        shuffled.forEach(r -> arrival.put(r, r.t() + random.nextInt(40) * MINUTE));
        shuffled.sort(java.util.Comparator.comparing(arrival::get));
        assertThat(shuffled).isNotEqualTo(ordered);
        RuleEngine inOrder = engine(NO_HEAT, Duration.ofMinutes(45));
        RuleEngine late = engine(NO_HEAT, Duration.ofMinutes(45));
        List<RuleSignal> expected = feed(inOrder, ordered);
        assertThat(expected).hasSize(3);
        assertThat(essentials(feed(late, shuffled))).isEqualTo(essentials(expected));
        assertThat(late.droppedLate()).isZero();
    }

    /** Readings later than the lateness are dropped and counted, and change nothing. */
    @Test
    void readingsLaterThanTheLatenessAreDroppedAndCounted() {
        RuleEngine engine = engine(NO_HEAT, Duration.ofMinutes(5));
        long t0 = local("2026-01-12T06:00:00");
        List<RuleSignal> out = new ArrayList<>();
        engine.onReading(OUTDOOR, t0, 5, out::add);
        engine.onReading(SUPPLY, t0 + 60 * MINUTE, 60, out::add);
        engine.onReading(SUPPLY, t0 + 10 * MINUTE, 20, out::add);
        engine.onReading(SUPPLY, t0 + 55 * MINUTE, 20, out::add);
        assertThat(engine.droppedLate()).as("two instances read supply_temp").isEqualTo(2);
        engine.onReading(SUPPLY, t0 + 61 * MINUTE, 60, out::add);
        engine.onReading(SUPPLY, t0 + 200 * MINUTE, 60, out::add);
        assertThat(out).isEmpty();
    }

    /**
     * A point sending a thousand readings a second (a benchmark, a runaway device) keeps what the
     * engine holds for late data bounded; a reading late within what is kept still counts, one
     * older is dropped and counted.
     */
    @Test
    void historyForLateReadingsStaysBoundedWhateverTheRate() {
        RuleEngine engine = engine(NO_HEAT, Duration.ofMinutes(5));
        long t0 = local("2026-01-12T06:00:00");
        List<RuleSignal> out = new ArrayList<>();
        long last = t0;
        for (int i = 0; i < 100_000; i++) {
            last = t0 + i * 1000L;
            engine.onReading(SUPPLY, last, 60, out::add);
            if (i % 10 == 0) {
                engine.onReading(OUTDOOR, last, 5, out::add);
            }
        }
        assertThat(engine.largestHistory()).isBetween(LateHistory.MAX_READINGS / 2, LateHistory.MAX_READINGS);
        engine.onReading(SUPPLY, last - 100_000, 60, out::add);
        assertThat(engine.droppedLate()).isZero();
        engine.onReading(SUPPLY, last - 60_000_000, 60, out::add);
        assertThat(engine.droppedLate()).as("two instances read supply_temp").isEqualTo(2);
        assertThat(out).isEmpty();
    }

    /** A live run (jittered arrival, ticks every 30 s) and a replay of the same history (in order, ticks from the data) give the same signals. */
    @Test
    void replayingHistoryGivesTheSameSignalsAsLive() {
        String both = OFFLINE.replace("rules:\n", "") ;
        String yaml = NO_HEAT + both;
        List<In> history = new ArrayList<>(coldSpell());
        // The sensor stops for 40 minutes: the offline rule fires from ticks, in both runs.
        history.removeIf(r -> r.point() == SUPPLY && r.t() > local("2026-01-12T07:30:00")
                && r.t() < local("2026-01-12T08:10:00"));
        Duration lateness = Duration.ofMinutes(2);

        RuleEngine live = new RuleEngine(Fixture.rules(yaml), List.of(BOILER, WEATHER, METER), lateness);
        List<RuleSignal> liveOut = new ArrayList<>();
        java.util.Random random = new java.util.Random(7);
        List<long[]> arrivals = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            arrivals.add(new long[] {history.get(i).t() + random.nextInt(90) * 1_000_000L, i});
        }
        arrivals.sort((a, b) -> Long.compare(a[0], b[0]));
        long wall = arrivals.get(0)[0];
        for (long[] arrival : arrivals) {
            for (; wall < arrival[0]; wall += 30_000_000L) {
                live.onTime(wall, liveOut::add);
            }
            In r = history.get((int) arrival[1]);
            live.onReading(r.point(), r.t(), r.v(), liveOut::add);
        }

        RuleEngine replay = new RuleEngine(Fixture.rules(yaml), List.of(BOILER, WEATHER, METER), lateness);
        List<RuleSignal> replayOut = new ArrayList<>();
        long tick = arrivals.get(0)[0];
        for (In r : history) {
            for (; tick < r.t() + lateness.toNanos() / 1000; tick += 30_000_000L) {
                replay.onTime(tick, replayOut::add);
            }
            replay.onReading(r.point(), r.t(), r.v(), replayOut::add);
        }
        assertThat(liveOut).extracting(RuleSignal::ruleId).contains("sensor-offline", "boiler-no-heat");
        assertThat(times(liveOut)).isEqualTo(times(replayOut));
        assertThat(live.droppedLate()).isZero();
    }

    private static List<String> times(List<RuleSignal> signals) {
        return signals.stream().map(s -> s.kind() + " " + s.ruleId() + " " + s.at() + " " + s.explanation().from())
                .toList();
    }

    /** An instance needs its required inputs, found on the equipment or on the site's weather equipment. */
    @Test
    void instancesExistOnlyWhereRequiredInputsAreFound() {
        RuleEngine withoutWeather = new RuleEngine(Fixture.rules(NO_HEAT), List.of(BOILER, METER), Duration.ZERO);
        assertThat(withoutWeather.instances()).containsExactly("boiler-delta-t-collapse/tilleuls/boiler-1");
        EquipmentBinding otherSiteWeather = new EquipmentBinding("autre", Fixture.PARIS, "meteo", "weather",
                java.util.Map.of("outdoor_temp", 99));
        RuleEngine elsewhere = new RuleEngine(Fixture.rules(NO_HEAT), List.of(BOILER, otherSiteWeather),
                Duration.ZERO);
        assertThat(elsewhere.instances()).containsExactly("boiler-delta-t-collapse/tilleuls/boiler-1");
    }
}
