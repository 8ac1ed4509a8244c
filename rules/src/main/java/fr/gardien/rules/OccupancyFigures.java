package fr.gardien.rules;

import fr.gardien.rules.detect.DetectorFactory;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which figures of a rule's explanation carry occupancy (issue 14): the figures of a detector or
 * {@code when:} guard that reads an input whose point counts people. Such figures never go into a
 * summary (a summary leaves in tickets and e-mails), and the gateway removes them from every
 * explanation it records or prints.
 *
 * <p>A guard's figures that its rule's detector also declares are the detector's (see
 * {@code RuleInstance}): a guard on people never lends its {@code value} to a detector on power.
 */
public final class OccupancyFigures {

    /**
     * The point names that count people in the contract's vocabulary ({@code people-counter}:
     * {@code count}), checked when no portfolio is known (the built-in catalog, a backtest).
     */
    public static final Set<String> VOCABULARY = Set.of("count");

    private OccupancyFigures() {
    }

    /** The figure names of {@code rule} that carry occupancy, given the point names that count people. */
    public static Set<String> of(RuleDefinition rule, Set<String> occupancyPoints) {
        Map<String, String> roles = new java.util.HashMap<>(rule.inputs());
        roles.putAll(rule.optionalInputs());
        return of(roles, rule.detectorFactory(), rule.guard(), occupancyPoints);
    }

    /**
     * @param roles every input role of the rule → its point name
     * @param detector the rule's detector, {@code null} when it did not load
     * @param guard its {@code when:} condition, if any
     */
    static Set<String> of(Map<String, String> roles, DetectorFactory detector, Optional<DetectorFactory> guard,
                          Set<String> occupancyPoints) {
        Set<String> people = new HashSet<>();
        roles.forEach((role, point) -> {
            if (occupancyPoints.contains(point)) {
                people.add(role);
            }
        });
        Set<String> out = new TreeSet<>();
        if (people.isEmpty()) {
            return out;
        }
        boolean detectorCounts = detector != null && detector.inputs().stream().anyMatch(people::contains);
        if (detectorCounts) {
            out.addAll(detector.figureNames());
        }
        guard.ifPresent(g -> {
            if (g.inputs().stream().anyMatch(people::contains)) {
                for (String name : g.figureNames()) {
                    if (detector == null || detectorCounts || !detector.figureNames().contains(name)) {
                        out.add(name);
                    }
                }
            }
        });
        return out;
    }
}
