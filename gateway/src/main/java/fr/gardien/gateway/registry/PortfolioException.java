package fr.gardien.gateway.registry;

import java.util.List;

/**
 * The portfolio file cannot be used. Carries every error found, each as
 * {@code file:LINE: what} ({@code portfolio.yaml:14: unit: is required …}); the message is the
 * errors, one per line. Never contains a plain secret or token.
 */
public final class PortfolioException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> errors;

    public PortfolioException(List<String> errors) {
        super(String.join("\n", errors));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a PortfolioException needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    /** Every error, in file order. */
    public List<String> errors() {
        return errors;
    }
}
