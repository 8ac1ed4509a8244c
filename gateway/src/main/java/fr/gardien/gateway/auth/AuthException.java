package fr.gardien.gateway.auth;

/**
 * Credentials refused. The message is safe to log and to show a caller: it never contains the
 * secret.
 */
public final class AuthException extends RuntimeException {

    /** Why: unknown principal and wrong secret are one reason, so that callers cannot tell them apart. */
    public enum Reason { BAD_CREDENTIALS, MISSING_CREDENTIALS, BUSY }

    private final Reason reason;

    public AuthException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
