package fr.gardien.rules.detect;

import fr.gardien.rules.yaml.MappingReader;
import fr.gardien.rules.yaml.YamlNode;
import fr.gardien.rules.yaml.Problems;
import java.util.Set;

/**
 * The {@code params:} of one rule as a detector kind reads them: typed getters that report
 * errors with line and path (see {@link MappingReader}), plus the rule's input roles and
 * signals built from them.
 */
public final class DetectorParams extends MappingReader {

    private final Set<String> roles;

    public DetectorParams(YamlNode node, String path, Problems problems, Set<String> roles) {
        super(node, path, problems);
        this.roles = Set.copyOf(roles);
    }

    /** The input roles the rule declares (required and optional). */
    public Set<String> roles() {
        return roles;
    }

    /** A required field naming one of the rule's inputs; {@code null} on error. */
    public String input(String key) {
        String role = string(key);
        if (role != null && !roles.contains(role)) {
            error(key, "\"" + role + "\" is not one of the rule's inputs " + roles);
            return null;
        }
        return role;
    }

    /**
     * A required signal: an input's role ({@code signal: supply}) or a derived value
     * ({@code signal: {difference: [supply, return]}}); {@code null} on error.
     */
    public SignalSpec signal(String key) {
        YamlNode value = node(key, true);
        if (value == null) {
            return null;
        }
        if (value.kind() == YamlNode.Kind.SCALAR) {
            return role(value, key) == null ? null : SignalSpec.input(value.text());
        }
        if (value.kind() == YamlNode.Kind.MAPPING && value.fields().size() == 1
                && value.fields().containsKey("difference")) {
            YamlNode operands = value.fields().get("difference");
            if (operands.kind() != YamlNode.Kind.SEQUENCE || operands.items().size() != 2) {
                error(operands, key + ".difference", "expected two inputs such as [supply, return], got "
                        + operands.describe());
                return null;
            }
            String a = role(operands.items().get(0), key + ".difference[0]");
            String b = role(operands.items().get(1), key + ".difference[1]");
            return a == null || b == null ? null : SignalSpec.difference(a, b);
        }
        error(value, key, "expected an input such as supply or {difference: [supply, return]}, got "
                + value.describe());
        return null;
    }

    private String role(YamlNode value, String key) {
        if (value.kind() != YamlNode.Kind.SCALAR || !roles.contains(value.text())) {
            error(value, key, "expected one of the rule's inputs " + roles + ", got " + value.describe());
            return null;
        }
        return value.text();
    }
}
