package fr.gardien.gateway.config;

import fr.gardien.rules.yaml.Problems;
import java.util.List;

/**
 * The configuration cannot be used. Carries every error found, each naming where it comes
 * from and the key: {@code config.yaml:12: http.port: expected an integer from 0 to 65535, got "abc"}
 * or {@code GARDIEN_HTTP_PORT: expected …}. The message is the errors, one per line.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> errors;

    public ConfigException(List<String> errors) {
        super(String.join("\n", errors));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    /** @throws ConfigException with every problem collected, when there is any */
    public static void throwIfAny(Problems problems) {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.messages());
        }
    }

    /** Every error, in file order, then environment overrides, then cross-key checks. */
    public List<String> errors() {
        return errors;
    }
}
