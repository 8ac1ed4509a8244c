package fr.gardien.gateway.rules;

import fr.gardien.gateway.registry.Registry;
import fr.gardien.model.Equipment;
import fr.gardien.model.PointSpec;
import fr.gardien.model.Site;
import fr.gardien.rules.Explanation;
import fr.gardien.rules.OccupancyFigures;
import fr.gardien.rules.RuleSet;
import fr.gardien.rules.RuleSignal;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Removes the figures that carry occupancy from a rule's signal before anything records or prints
 * it (issue 14): the alert store, the API, the SSE stream, the Atom feed, tickets, logs and the
 * backtest's output then never hold a people count, for any role. The energy team reads occupancy
 * through the series API, under its own rule.
 */
public final class OccupancyRedaction {

    private OccupancyRedaction() {
    }

    /**
     * The point names that count people: those of category {@code occupancy} in the portfolio, and
     * the vocabulary's ({@link OccupancyFigures#VOCABULARY}) whatever the portfolio says.
     */
    public static Set<String> occupancyPoints(Registry registry) {
        Set<String> names = new TreeSet<>(OccupancyFigures.VOCABULARY);
        for (Site site : registry.sites()) {
            for (Equipment equipment : site.equipment()) {
                for (PointSpec point : equipment.points()) {
                    if ("occupancy".equals(point.category())) {
                        names.add(point.name());
                    }
                }
            }
        }
        return names;
    }

    /** {@code signal} without the figures of its rule that carry occupancy; itself when there are none. */
    public static RuleSignal redact(RuleSignal signal, RuleSet rules, Set<String> occupancyPoints) {
        Set<String> people = rules.rule(signal.ruleId()).map(r -> OccupancyFigures.of(r, occupancyPoints)).orElse(Set.of());
        Explanation e = signal.explanation();
        if (people.isEmpty() || e.figures().keySet().stream().noneMatch(people::contains)) {
            return signal;
        }
        Map<String, Double> figures = new HashMap<>(e.figures());
        figures.keySet().removeAll(people);
        return new RuleSignal(signal.kind(), signal.ruleId(), signal.site(), signal.equipment(), signal.severity(),
                signal.category(), signal.urgency(), signal.at(),
                new Explanation(e.from(), e.to(), figures, e.summaryFr(), e.summaryEn()));
    }
}
