package fr.gardien.rules.catalog;

import static fr.gardien.rules.catalog.CatalogVariantsTest.describe;
import static fr.gardien.rules.catalog.CatalogVariantsTest.local;
import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.rules.RuleSignal;
import fr.gardien.rules.catalog.VariantSite.Heating;
import fr.gardien.rules.catalog.VariantSite.HeatingFault;
import fr.gardien.rules.catalog.VariantSite.HeatingScenario;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * "No heat" on circuits that cool slowly (issue 16, after the held-out run of seed 2): a boiler or
 * substation whose heat stops, or whose supply falls 20 K short, on circuits cooling with time
 * constants of 15 to 40 minutes, by day and at night (at a setback's start and in its depth), in
 * cold and mild weather. The supply of a slow circuit takes longer to cross heating-no-heat's
 * bound; its fall, judged by Newton's law of cooling, says it within the hour. And the converse:
 * healthy installations whose setback lowers the supply as a real one does, at the circuit's own
 * cooling rather than as a step, raise nothing, even on circuits slower than any in the faults.
 */
class CatalogCoolingTest {

    private static final Set<String> HEATING_RULES = Set.of("heating-no-heat", "heating-production-stopped",
            "heating-delta-t-collapse", "heating-curve-drift", "heating-short-cycling", "heating-pressure-low",
            "heating-pressure-falling");
    private static final Instant FROM = local("2026-03-02T00:00");

    static Stream<Arguments> faults() {
        List<Arguments> out = new ArrayList<>();
        for (String type : List.of("boiler", "substation")) {
            Heating h = new Heating(type, type.equals("substation"), 65, 20, 30, 10, 22, 6);
            for (double tau : new double[] {15, 25, 40}) {
                for (String hour : List.of("14:00", "22:30", "04:00")) {
                    for (double outdoor : new double[] {2, 9}) {
                        out.add(Arguments.of(h, tau, hour, outdoor, HeatingFault.STOPPED));
                        out.add(Arguments.of(h, tau, hour, outdoor, HeatingFault.DEFICIT));
                    }
                }
            }
        }
        return out.stream();
    }

    /** A stop, or a supply 20 K short, on fast and slow circuits, day and night: heating-no-heat within the hour. */
    @ParameterizedTest(name = "{0}, tau {1} min, {4} at {2}, about {3} °C outside")
    @MethodSource("faults")
    void noHeatIsSaidWithinTheHourWhateverTheCircuitsCooling(Heating h, double tau, String hour, double outdoor,
            HeatingFault fault) {
        Instant start = local("2026-03-06T" + hour);
        List<RuleSignal> signals = new VariantSite(31).circuit(tau, true)
                .heating(h, outdoor, new HeatingScenario(fault, 20, start, start.plus(Duration.ofHours(2))))
                .run(FROM, start.plus(Duration.ofHours(2)));
        String trace = String.join("\n  ", describe(signals));
        assertThat(raised(signals, HEATING_RULES)).as("nothing before the fault:\n  %s", trace)
                .noneMatch(s -> s.at().isBefore(start));
        assertThat(raised(signals, Set.of("heating-no-heat"))).as(trace).isNotEmpty().first()
                .satisfies(s -> assertThat(s.at()).isBefore(start.plus(Duration.ofHours(1))));
    }

    static Stream<Arguments> healthy() {
        List<Arguments> out = new ArrayList<>();
        for (String type : List.of("boiler", "substation")) {
            for (double[] curve : List.of(new double[] {65, 20}, new double[] {80, 22})) {
                for (double setback : new double[] {5, 15}) {
                    for (double tau : new double[] {25, 40, 60}) {
                        out.add(Arguments.of(new Heating(type, false, curve[0], curve[1], 30, setback, 21, 6), tau));
                    }
                }
            }
        }
        return out.stream();
    }

    /**
     * Healthy installations whose setback lowers the supply at the circuit's own cooling (25 to 60
     * min time constants, 5 and 15 K setbacks, both curves), five days around 2 °C and five around
     * 9 °C: no heating rule raises.
     */
    @ParameterizedTest(name = "{0}, tau {1} min")
    @MethodSource("healthy")
    void aSetbackThatCoolsAtTheCircuitsRateIsNotNoHeat(Heating h, double tau) {
        for (double base : new double[] {2, 9}) {
            List<RuleSignal> signals = new VariantSite(32).circuit(tau, true).heating(h, base, HeatingScenario.healthy())
                    .run(FROM, FROM.plus(Duration.ofDays(5)));
            assertThat(describe(raised(signals, HEATING_RULES))).as("%s, tau %s, around %s °C", h.label(), tau, base)
                    .isEmpty();
        }
    }

    private static List<RuleSignal> raised(List<RuleSignal> signals, Set<String> rules) {
        return signals.stream().filter(s -> s.kind() == RuleSignal.Kind.RAISED && rules.contains(s.ruleId())).toList();
    }
}
