package fr.gardien.gateway.rules;

import fr.gardien.rules.RuleSetException;
import java.util.List;

/** The configured rules do not load: start-up stops with every error of every file. */
public final class RulesInvalidException extends RuntimeException {

    private final List<String> errors;

    public RulesInvalidException(RuleSetException cause) {
        super(String.join("\n", cause.errors()), cause);
        this.errors = List.copyOf(cause.errors());
    }

    public List<String> errors() {
        return errors;
    }
}
