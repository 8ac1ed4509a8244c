package fr.gardien.sim.mqtt;

/** A connection or publish failure; {@link #reason()} is short and countable ("0x97 quota exceeded"). */
public class PublishException extends Exception {
  private final String reason;

  public PublishException(String reason, Throwable cause) {
    super(reason, cause);
    this.reason = reason;
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
