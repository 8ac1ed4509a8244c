package fr.gardien.sim.mqtt;

import java.time.Duration;

/**
 * A connection or publish failure, on any transport; {@link #reason()} is short and countable
 * ("0x97 quota exceeded", "5.03 service unavailable"). A retryable failure means the pack may be
 * sent again later (the gateway was unreachable or overloaded), with the delay the gateway asked
 * for when it gave one.
 */
public class PublishException extends Exception {
  private final String reason;
  private final boolean retryable;
  private final Duration retryAfter;

  public PublishException(String reason, Throwable cause) {
    this(reason, cause, false, null);
  }

  /**
   * @param retryable whether sending the same pack later may succeed
   * @param retryAfter how long the gateway asked to wait (CoAP Max-Age, HTTP Retry-After), or null
   */
  public PublishException(String reason, Throwable cause, boolean retryable, Duration retryAfter) {
    super(reason, cause);
    this.reason = reason;
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  /** Whether the same pack may be sent again later. */
  public boolean retryable() {
    return retryable;
  }

  /** The delay the gateway asked for before a new attempt, or null. */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** The publish exception inside completion wrappers, or null. */
  public static PublishException of(Throwable t) {
    while ((t instanceof java.util.concurrent.CompletionException
        || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t instanceof PublishException p ? p : null;
  }

  /** A short label of the failure, suitable for counting by reason. */
  public String reason() {
    return reason;
  }

  /** The reason of any throwable, unwrapping completion wrappers. */
  public static String reasonOf(Throwable t) {
    while ((t instanceof java.util.concurrent.CompletionException
        || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof PublishException p) {
      return p.reason();
    }
    if (t instanceof java.util.concurrent.TimeoutException) {
      return "no acknowledgement in time";
    }
    return t.getClass().getSimpleName() + (t.getMessage() != null ? ": " + t.getMessage() : "");
  }

  /** A readable label for an MQTT 5 reason code of a PUBACK or CONNACK. */
  static String describe(int code) {
    String name = switch (code) {
      case 0x80 -> "unspecified error";
      case 0x83 -> "implementation specific error";
      case 0x86 -> "bad user name or password";
      case 0x87 -> "not authorized";
      case 0x88 -> "server unavailable";
      case 0x89 -> "server busy";
      case 0x90 -> "topic name invalid";
      case 0x91 -> "packet identifier in use";
      case 0x97 -> "quota exceeded";
      case 0x99 -> "payload format invalid";
      default -> "reason code";
    };
    return String.format("0x%02x %s", code, name);
  }
}
