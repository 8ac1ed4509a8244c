package fr.gardien.rules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The rules of one or more files, in file order, with unique ids. Immutable. */
public final class RuleSet {

    private final List<RuleDefinition> rules;
    private final Map<String, RuleDefinition> byId;

    /** @throws IllegalArgumentException when two rules share an id */
    public RuleSet(List<RuleDefinition> rules) {
        this.rules = List.copyOf(rules);
        Map<String, RuleDefinition> index = new LinkedHashMap<>();
        for (RuleDefinition rule : rules) {
            if (index.putIfAbsent(rule.id(), rule) != null) {
                throw new IllegalArgumentException("duplicate rule id " + rule.id());
            }
        }
        this.byId = index;
    }

    /** The rules in order: the active catalog. */
    public List<RuleDefinition> rules() {
        return rules;
    }

    public Optional<RuleDefinition> rule(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public int size() {
        return rules.size();
    }
}
