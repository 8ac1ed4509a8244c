package fr.gardien.gateway.auth;

/**
 * Credentials refused. The message is safe to log and to show a caller: it never contains the
 * secret.
 */
public final class AuthException extends RuntimeException {

    /** Why: unknown principal and wrong secret are one reason, so that callers cannot tell them apart. */
    public enum Reason { BAD_CREDENTIALS, MISSING_CREDENTIALS, BUSY, THROTTLED }

    private final Reason reason;
    private final java.time.Duration retryAfter;

    public AuthException(Reason reason, String message) {
        this(reason, message, java.time.Duration.ZERO);
    }

    private AuthException(Reason reason, String message, java.time.Duration retryAfter) {
        super(message, null, false, false);
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    /** Too many failed attempts from this source or for this device: refused unchecked for {@code retryAfter}. */
    public static AuthException throttled(java.time.Duration retryAfter) {
        return new AuthException(Reason.THROTTLED, "too many failed authentications; retry later", retryAfter);
    }

    /** How long a {@link Reason#THROTTLED} refusal lasts; zero for the other reasons. */
    public java.time.Duration retryAfter() {
        return retryAfter;
    }

    public Reason reason() {
        return reason;
    }
}
