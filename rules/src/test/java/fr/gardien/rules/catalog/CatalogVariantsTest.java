package fr.gardien.rules.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.rules.RuleSignal;
import fr.gardien.rules.catalog.VariantSite.Heating;
import fr.gardien.rules.catalog.VariantSite.HeatingFault;
import fr.gardien.rules.catalog.VariantSite.HeatingScenario;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The built-in catalog on buildings it was not tuned on (issue 16): heating curves of 65 and 80 °C
 * at -7 °C, night setbacks of 0, 5 and 15 K at different hours, boilers and district-heat
 * substations, the outdoor probe on the installation or on the site's weather equipment, by day
 * and by night; hot-water tanks small and large; lifts in quiet and busy buildings; the common
 * areas of small and large buildings. Each scenario runs five days of readings every 3 minutes
 * through the catalog, so that the rules that learn a building's own level have four days of it.
 */
class CatalogVariantsTest {

    private static final Set<String> HEATING_RULES = Set.of("heating-no-heat", "heating-production-stopped",
            "heating-delta-t-collapse", "heating-curve-drift", "heating-short-cycling", "heating-pressure-low",
            "heating-pressure-falling");
    /** Monday 2 March 2026, 00:00 in Paris: four days of history before the Friday of the faults. */
    private static final Instant FROM = local("2026-03-02T00:00");

    static Instant local(String iso) {
        return LocalDateTime.parse(iso).atZone(VariantSite.PARIS).toInstant();
    }

    /** Every heating variant: type × probe location × curve × setback. */
    static List<Heating> heatingVariants() {
        List<Heating> out = new ArrayList<>();
        for (String type : List.of("boiler", "substation")) {
            for (boolean weatherOnSite : List.of(false, true)) {
                for (double[] curve : List.of(new double[] {65, 20}, new double[] {80, 22})) {
                    out.add(new Heating(type, weatherOnSite, curve[0], curve[1], 30, 0, 22, 5));
                    out.add(new Heating(type, weatherOnSite, curve[0], curve[1], 30, 5, 22, 5));
                    out.add(new Heating(type, weatherOnSite, curve[0], curve[1], 30, 15, 20, 7));
                }
            }
        }
        return out;
    }

    static Stream<Arguments> heatingByDayAndNight() {
        return heatingVariants().stream().flatMap(h -> Stream.of(
                Arguments.of(h, "02:00"), Arguments.of(h, "14:00")));
    }

    static List<String> describe(List<RuleSignal> signals) {
        return signals.stream().map(s -> s.kind() + " " + s.ruleId() + " " + s.equipment() + " at "
                + s.at().atZone(VariantSite.PARIS).toLocalDateTime() + " | " + s.explanation().summaryEn()).toList();
    }

    private static List<RuleSignal> raised(List<RuleSignal> signals, Set<String> rules) {
        return signals.stream().filter(s -> s.kind() == RuleSignal.Kind.RAISED && rules.contains(s.ruleId())).toList();
    }

    /**
     * The case: at about 0 °C outside the supply falls to 33 °C and stays there. Whatever the
     * curve (the lowest asks 53 °C, 38 °C with a 15 K setback), the setback and its hours, the
     * equipment and where its outdoor probe is, heating-no-heat raises within the hour, day and
     * night; nothing raises before the fault. The catalog's former fixed 30 °C was blind to it.
     */
    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("heatingByDayAndNight")
    void supplyHeldAt33WhenItIsAboutZeroOutsideRaisesNoHeatWithinTheHour(Heating h, String hour) {
        Instant start = local("2026-03-06T" + hour);
        VariantSite site = new VariantSite(11).heating(h, 2,
                new HeatingScenario(HeatingFault.SUPPLY_AT, 33, start, start.plus(Duration.ofMinutes(90))));
        List<RuleSignal> signals = site.run(FROM, start.plus(Duration.ofHours(2)));
        String trace = h.label() + " at " + hour + ":\n  " + String.join("\n  ", describe(signals));
        assertThat(raised(signals, HEATING_RULES)).as("nothing before the fault in %s", trace)
                .noneMatch(s -> s.at().isBefore(start));
        assertThat(raised(signals, Set.of("heating-no-heat"))).as(trace).singleElement()
                .satisfies(s -> assertThat(s.at()).isBetween(start, start.plus(Duration.ofHours(1))));
    }

    /**
     * A healthy installation of every variant for five days around 0 °C, and five mild ones around
     * 9 °C (where the lowest curve, under a 15 K setback, sits on the controller's 30 °C minimum):
     * no heating rule raises.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("heatingVariants")
    void healthyInstallationsOfEveryVariantRaiseNothing(Heating h) {
        for (double base : new double[] {2, 9}) {
            List<RuleSignal> signals = new VariantSite(12).heating(h, base, HeatingScenario.healthy())
                    .run(FROM, FROM.plus(Duration.ofDays(5)));
            assertThat(describe(raised(signals, HEATING_RULES))).as("%s around %s °C", h.label(), base).isEmpty();
        }
    }

    /**
     * An installation on a steep curve (80 °C at -7 °C) whose supply falls 15 K below what it
     * delivers every night, at 02:00: still above anything the lowest curve and the 15 K setback
     * allowance would flag, but its own history of four nights says it; raised within the hour.
     */
    @Test
    void aDeficitOfFifteenKelvinOnASteepCurveAtNightIsSeenAgainstTheBuildingsOwnNights() {
        Heating h = new Heating("substation", true, 80, 22, 30, 5, 22, 5);
        Instant start = local("2026-03-06T02:00");
        List<RuleSignal> signals = new VariantSite(13).heating(h, 2,
                new HeatingScenario(HeatingFault.DEFICIT, 15, start, start.plus(Duration.ofMinutes(90))))
                .run(FROM, start.plus(Duration.ofHours(2)));
        assertThat(raised(signals, Set.of("heating-no-heat"))).as("%s", describe(signals)).singleElement()
                .satisfies(s -> {
                    assertThat(s.at()).isBetween(start, start.plus(Duration.ofHours(1)));
                    assertThat(s.explanation().figures().get("usual")).isGreaterThan(45);
                });
    }

    /** Production stopped, by day and night, on every equipment and probe location: said within the hour. */
    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("heatingByDayAndNight")
    void aStoppedProductionIsSaidWithinTheHour(Heating h, String hour) {
        Instant start = local("2026-03-06T" + hour);
        List<RuleSignal> signals = new VariantSite(14).heating(h, 2,
                new HeatingScenario(HeatingFault.STOPPED, 0, start, start.plus(Duration.ofHours(2))))
                .run(FROM, start.plus(Duration.ofHours(2)));
        assertThat(raised(signals, Set.of("heating-production-stopped", "heating-no-heat")))
                .as("%s at %s: %s", h.label(), hour, describe(signals)).isNotEmpty()
                .allSatisfy(s -> assertThat(s.at()).isAfterOrEqualTo(start))
                .first().satisfies(s -> assertThat(s.at()).isBefore(start.plus(Duration.ofHours(1))));
    }

    /** The supply-return difference collapsing (a stopped pump), by day and night, on every variant: raised after its 2 h. */
    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("heatingByDayAndNight")
    void aCollapsedDeltaTIsRaisedOnEveryVariant(Heating h, String hour) {
        Instant start = local("2026-03-06T" + hour);
        List<RuleSignal> signals = new VariantSite(15).heating(h, 2,
                new HeatingScenario(HeatingFault.DELTA_T_COLLAPSE, 0, start, start.plus(Duration.ofHours(3))))
                .run(FROM, start.plus(Duration.ofHours(3)));
        assertThat(raised(signals, Set.of("heating-delta-t-collapse"))).as("%s: %s", h.label(), describe(signals))
                .singleElement().satisfies(s -> assertThat(s.at()).isBetween(start.plus(Duration.ofHours(2)),
                        start.plus(Duration.ofHours(2).plusMinutes(10))));
    }

    /**
     * A heater that stops, at night and by day: a small tank (20 min time constant) is said within
     * the hour; a large one (70 min) cools too slowly to fall 5 °C in half an hour, and is said
     * within 20 minutes of passing 55 °C, where the catalog formerly waited an hour below it.
     */
    @ParameterizedTest(name = "{0}, time constant {1} min")
    @MethodSource("tanks")
    void aStoppedHeaterIsSaidSoonAfterTheTankPasses55(String hour, double tau) {
        Instant stop = local("2026-03-06T" + hour);
        VariantSite site = new VariantSite(16).hotWater(stop, 180, tau);
        List<RuleSignal> signals = site.run(FROM, stop.plus(Duration.ofHours(3)));
        Instant passes55 = site.tankPassed55();
        List<RuleSignal> raised = raised(signals, Set.of("hot-water-storage-falling", "hot-water-storage-cold",
                "hot-water-storage-not-recovering", "hot-water-loop-cold"));
        assertThat(raised).as("%s", describe(signals)).isNotEmpty().allSatisfy(s -> assertThat(s.at()).isAfter(stop));
        Instant limit = tau <= 20 ? stop.plus(Duration.ofHours(1)) : passes55.plus(Duration.ofMinutes(20));
        assertThat(raised.get(0).at()).as("%s", describe(signals)).isBefore(limit);
    }

    static Stream<Arguments> tanks() {
        return Stream.of(Arguments.of("02:00", 20.0), Arguments.of("14:00", 20.0),
                Arguments.of("02:00", 70.0), Arguments.of("14:00", 70.0));
    }

    /**
     * A lift in a quiet building (a quarter of the usual trips: fewer than 100 in any 6 hours) whose
     * doors start reopening twice more per trip on Wednesday morning: judged over its last 100
     * trips, it is raised within a day. With the former fixed 6-hour window it was never judged.
     */
    @Test
    void aQuietLiftsReopeningDoorsAreRaisedWithinADay() {
        Instant wear = local("2026-03-04T06:00");
        List<RuleSignal> signals = new VariantSite(17).lift(0.25, wear, 2.0).run(FROM, FROM.plus(Duration.ofDays(5)));
        assertThat(raised(signals, Set.of("lift-doors-reopening"))).as("%s", describe(signals)).isNotEmpty()
                .allSatisfy(s -> assertThat(s.at()).isBetween(wear, wear.plus(Duration.ofDays(1))));
    }

    /** Healthy lifts in quiet and busy buildings: the door ratio raises nothing. */
    @Test
    void healthyLiftsQuietOrBusyRaiseNothing() {
        for (double use : new double[] {0.25, 1, 3}) {
            List<RuleSignal> signals = new VariantSite(18).lift(use, null, 0).run(FROM, FROM.plus(Duration.ofDays(5)));
            assertThat(describe(raised(signals, Set.of("lift-doors-reopening")))).as("use %s", use).isEmpty();
        }
    }

    /**
     * A small building (half the usual loads: 450 W at night) whose lights stay on, 700 W more,
     * from Saturday 20:00: seen in the night window, though the night never reaches the catalog's
     * former fixed 1,200 W.
     */
    @Test
    void lightsLeftOnInASmallBuildingAreSeenAtNight() {
        Instant on = local("2026-03-07T20:00");
        List<RuleSignal> signals = new VariantSite(19).electricity(0.5, on, on.plus(Duration.ofHours(10)), 700)
                .run(FROM, on.plus(Duration.ofHours(12)));
        assertThat(raised(signals, Set.of("lighting-on-empty"))).as("%s", describe(signals)).singleElement()
                .satisfies(s -> assertThat(s.at()).isBetween(local("2026-03-08T01:00"), local("2026-03-08T02:00")));
    }

    /** A large building (twice the usual loads: 1,500 W at night) with nothing left on: silent every night. */
    @Test
    void aLargeBuildingsHealthyNightsRaiseNothing() {
        List<RuleSignal> signals = new VariantSite(20).electricity(2, null, null, 0).run(FROM, FROM.plus(Duration.ofDays(7)));
        assertThat(describe(raised(signals, Set.of("lighting-on-empty", "lighting-left-on")))).isEmpty();
    }

    /**
     * A large building (2.5 times the usual water use: night flushes of 0.3 m3/h) whose night's
     * first readings, on Saturday evening, both catch a flush where on the previous evenings they
     * caught none, and a building of the usual size with the same nights: a healthy week raises no
     * water-flow-floor-raised. With the former fixed 0.15 m3/h margin, below the large building's
     * flush, the Saturday 2-hour floor of 0.3 m3/h against the previous days' 0 raised it.
     */
    @ParameterizedTest(name = "water use x{0}, pulses of {1} L")
    @MethodSource("waterScales")
    void aHealthyNightFlushIsNotALeakWhateverTheBuildingsSize(double scale, double pulseLitres) {
        List<RuleSignal> signals = new VariantSite(21).water(scale, local("2026-03-07T22:45"), null, null, 0, pulseLitres)
                .run(FROM, FROM.plus(Duration.ofDays(7)));
        assertThat(describe(raised(signals, Set.of("water-flow-floor-raised")))).as("water use x%s", scale).isEmpty();
    }

    /** The usual and a large building, each with a meter that sends its own flow and with a 10-litre pulse meter. */
    static Stream<Arguments> waterScales() {
        return Stream.of(Arguments.of(1.0, 0.0), Arguments.of(2.5, 0.0), Arguments.of(1.0, 10.0),
                Arguments.of(2.5, 10.0));
    }

    /**
     * A leak on a 10-litre pulse meter, whose field gateway sends as flow the pulses of the last 15
     * minutes (issue 16's held-out meters), against the same leak in the same building on a meter
     * that sends its own flow. Each pulse meter's flow reading is a mean over the quarter of an
     * hour before it, so the readings of the leak's first quarter of an hour carry only part of it,
     * and a 2-hour floor of those readings rose by the whole leak only 2 h 15 after its start: the
     * same night leak was raised 6 to 12 minutes later on the pulse meter (2 h 03 to 2 h 09 against
     * 1 h 57), the meter's averaging added to the rule's own time. Judged on the meter's index, on
     * the mean flows of 15-minute spans lying within the window, the kind of meter delays nothing
     * (at most one reading) and both are raised within the rule's 2 hours and 10 minutes.
     */
    @ParameterizedTest(name = "water use x{0}, leak of {1} m3/h at {2}")
    @MethodSource("nightLeaks")
    void aPulseMeterDelaysNoLeak(double scale, double leak, String hour) {
        Instant start = local("2026-03-07T" + hour);
        Duration flowMeter = leakRaisedAfter(scale, leak, start, 0);
        Duration pulseMeter = leakRaisedAfter(scale, leak, start, 10);
        assertThat(pulseMeter).as("pulse meter %s, flow meter %s", pulseMeter, flowMeter)
                .isLessThanOrEqualTo(flowMeter.plus(VariantSite.STEP))
                .isLessThanOrEqualTo(Duration.ofHours(2).plusMinutes(10));
        assertThat(flowMeter).isLessThanOrEqualTo(Duration.ofHours(2).plusMinutes(10));
    }

    static Stream<Arguments> nightLeaks() {
        return Stream.of(Arguments.of(1.0, 0.3, "02:00"), Arguments.of(2.5, 0.45, "02:00"),
                Arguments.of(2.5, 0.5, "03:10"), Arguments.of(2.5, 0.6, "02:00"));
    }

    /**
     * A day leak in a busy building (1.6 and 2.5 times the usual water use, on a meter that sends
     * its flow and on a 10-litre pulse meter): raised by water-flow-floor-raised within its 2 hours
     * and 10 minutes. The margin over the previous days' highest floor was 30 %, chosen when the
     * floor was that of the flow readings; since the floor is the lowest mean flow of 15-minute
     * spans, whose day-to-day spread is smaller, the usual buildings allow 25 %, and the flush
     * allowance, a third of a span at most, 15 % of the mean flow where it was a fifth. With 30 %
     * and a fifth, these leaks (a quarter to a third of the busy building's midday floor) waited
     * for a quieter hour: two were raised after 2 h 10 min, three not within the 4 hours run.
     */
    @ParameterizedTest(name = "water use x{0}, leak of {1} m3/h at {2}, pulses of {3} L")
    @MethodSource("busyDayLeaks")
    void aDayLeakInABusyBuildingIsRaisedWithinTheWindow(double scale, double leak, String hour, double pulseLitres) {
        assertThat(leakRaisedAfter(scale, leak, local("2026-03-07T" + hour), pulseLitres))
                .isLessThanOrEqualTo(Duration.ofHours(2).plusMinutes(10));
    }

    static Stream<Arguments> busyDayLeaks() {
        return Stream.of(Arguments.of(1.6, 0.35, "10:45", 0.0), Arguments.of(1.6, 0.35, "10:45", 10.0),
                Arguments.of(1.6, 0.3, "13:00", 0.0), Arguments.of(2.5, 0.5, "11:30", 0.0),
                Arguments.of(2.5, 0.5, "14:00", 10.0));
    }

    /**
     * A healthy fortnight, day and night, in buildings using 0.4, 1.6 and 2.5 times the usual water
     * (on a meter that sends its flow and on a 10-litre pulse meter): no water-flow-floor-raised with
     * the narrower margins.
     */
    @ParameterizedTest(name = "water use x{0}, pulses of {1} L")
    @MethodSource("buildingSizes")
    void aHealthyFortnightIsNotALeakWhateverTheBuildingsSize(double scale, double pulseLitres) {
        List<RuleSignal> signals = new VariantSite(23).water(scale, null, null, null, 0, pulseLitres)
                .run(FROM, FROM.plus(Duration.ofDays(14)));
        assertThat(describe(raised(signals, Set.of("water-flow-floor-raised")))).as("water use x%s", scale).isEmpty();
    }

    static Stream<Arguments> buildingSizes() {
        return Stream.of(Arguments.of(1.6, 0.0), Arguments.of(2.5, 0.0), Arguments.of(2.5, 10.0), Arguments.of(0.4, 10.0));
    }

    /** How long after its start a leak of {@code leak} m3/h was raised by water-flow-floor-raised (fails when it was not). */
    private static Duration leakRaisedAfter(double scale, double leak, Instant start, double pulseLitres) {
        List<RuleSignal> signals = new VariantSite(26).water(scale, null, start, start.plus(Duration.ofHours(6)), leak,
                pulseLitres).run(FROM, start.plus(Duration.ofHours(4)));
        List<RuleSignal> raised = raised(signals, Set.of("water-flow-floor-raised"));
        assertThat(raised).as("pulses of %s L: %s", pulseLitres, describe(signals)).singleElement()
                .satisfies(s -> assertThat(s.at()).isAfterOrEqualTo(start));
        return Duration.between(start, raised.get(0).at());
    }

    /**
     * The same large building with a leak of 1 m3/h from Saturday 10:00: its margin grows with its
     * flow (a fifth of its mean, 0.4 m3/h), yet the leak's floor is raised by water-flow-floor-raised
     * within the 2-hour window and 10 minutes (sooner when the morning's flow is still falling, the
     * window's lowest readings being its last).
     */
    @Test
    void aLeakInALargeBuildingIsStillRaisedByTheFloor() {
        Instant leak = local("2026-03-07T10:00");
        List<RuleSignal> signals = new VariantSite(22).water(2.5, null, leak, leak.plus(Duration.ofHours(6)), 1.0)
                .run(FROM, leak.plus(Duration.ofHours(6)));
        assertThat(raised(signals, Set.of("water-flow-floor-raised"))).as("%s", describe(signals)).singleElement()
                .satisfies(s -> assertThat(s.at()).isBetween(leak, leak.plus(Duration.ofHours(2).plusMinutes(10))));
    }

    /**
     * A burst of missing data from 18:25 to 19:00 on the common-area meter, just before the evening
     * lighting comes on: the hour that follows holds only lit readings, but it has a hole, and a
     * window with a hole is not judged; lighting-left-on raises nothing. Before, the hour's floor at
     * the lit level raised it. The same burst before lights really left on from 20:00 (700 W)
     * delays nothing: they are raised within the hour and its 10 minutes.
     */
    @Test
    void aBurstOfMissingDataBeforeTheEveningLightingIsNotLightsLeftOn() {
        Instant burst = local("2026-03-07T18:25");
        List<RuleSignal> healthy = new VariantSite(23).electricity(1, null, null, 0)
                .silent("elec-sg", burst, local("2026-03-07T19:00")).run(FROM, local("2026-03-08T00:00"));
        assertThat(describe(raised(healthy, Set.of("lighting-left-on", "lighting-on-empty")))).isEmpty();

        Instant on = local("2026-03-07T20:00");
        List<RuleSignal> lightsOn = new VariantSite(23).electricity(1, on, on.plus(Duration.ofHours(3)), 700)
                .silent("elec-sg", burst, local("2026-03-07T19:00")).run(FROM, on.plus(Duration.ofHours(3)));
        assertThat(raised(lightsOn, Set.of("lighting-left-on"))).as("%s", describe(lightsOn)).singleElement()
                .satisfies(s -> assertThat(s.at()).isBetween(on, on.plus(Duration.ofMinutes(70))));
    }

    /**
     * A substation whose 8.7 K night setback ends at 07:00, and a burst of missing data from 07:00
     * to 07:30 (the outdoor probe on the substation, or on the site's weather equipment, which
     * goes on reporting): the readings of the last 15 minutes run out at 07:12, and the supply is
     * then not judged at all until it reports again, at its day level. No heating-no-heat: before,
     * the mean of the last setback readings was judged, while the clock moved on past the end of
     * the allowance, and raised it at 07:20.
     */
    @ParameterizedTest(name = "outdoor on the site's weather: {0}")
    @MethodSource("probes")
    void aBurstOfMissingDataAsTheSetbackEndsIsNotNoHeat(boolean weatherOnSite) {
        Heating h = new Heating("substation", weatherOnSite, 65, 20, 30, 8.7, 22, 7);
        List<RuleSignal> signals = new VariantSite(24).heating(h, 2, HeatingScenario.healthy())
                .silent("heat-1", local("2026-03-06T07:00"), local("2026-03-06T07:30"))
                .run(FROM, local("2026-03-06T10:00"));
        assertThat(describe(raised(signals, HEATING_RULES))).as(h.label()).isEmpty();
    }

    static Stream<Arguments> probes() {
        return Stream.of(Arguments.of(false), Arguments.of(true));
    }

    /**
     * The converse: the supply that stops reporting while it is short of heat keeps its alert, and
     * a no-heat that begins during a burst is raised once the readings come back, within the
     * rule's 20 minutes of their return.
     */
    @Test
    void noHeatIsStillRaisedAroundABurstOfMissingData() {
        Heating h = new Heating("boiler", true, 65, 20, 30, 5, 22, 5);
        Instant start = local("2026-03-06T14:00");
        List<RuleSignal> signals = new VariantSite(25).heating(h, 2,
                new HeatingScenario(HeatingFault.SUPPLY_AT, 33, start, start.plus(Duration.ofHours(3))))
                .silent("heat-1", start.plus(Duration.ofMinutes(10)), start.plus(Duration.ofMinutes(40)))
                .run(FROM, start.plus(Duration.ofHours(3)));
        assertThat(raised(signals, Set.of("heating-no-heat"))).as("%s", describe(signals)).singleElement()
                .satisfies(s -> assertThat(s.at()).isBetween(start.plus(Duration.ofMinutes(40)),
                        start.plus(Duration.ofMinutes(70))));
    }
}
