package fr.gardien.rules;

import java.util.List;

/**
 * A rule file that cannot be loaded, with every error found, each as
 * {@code source:LINE: rules[3].for: expected a duration such as 30m, got "x"}.
 */
public final class RuleSetException extends Exception {

    private final List<String> errors;

    public RuleSetException(List<String> errors) {
        super(errors.size() + (errors.size() == 1 ? " error" : " errors") + " in rules:\n  "
                + String.join("\n  ", errors));
        this.errors = List.copyOf(errors);
    }

    /** The errors in file order. */
    public List<String> errors() {
        return errors;
    }
}
