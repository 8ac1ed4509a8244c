package fr.gardien.gateway.ticketing;

/**
 * A delivery that did not go through. {@link #retryable()} tells the dispatcher whether to try
 * again later (network errors, timeouts, 5xx, 429) or to give up at once (4xx: the request
 * itself is wrong and will stay wrong). The message is safe to store in the audit: no secret,
 * no payload.
 */
public final class DeliveryException extends RuntimeException {

    private final boolean retryable;
    private final int statusCode;

    public DeliveryException(String message, boolean retryable, int statusCode) {
        super(message, null, false, false);
        this.retryable = retryable;
        this.statusCode = statusCode;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The protocol status when there was one, else 0. */
    public int statusCode() {
        return statusCode;
    }
}
