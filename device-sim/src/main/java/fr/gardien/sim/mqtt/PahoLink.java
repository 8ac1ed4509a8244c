package fr.gardien.sim.mqtt;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the two Paho clients (MQTT 3.1.1 and 5) do alike: the connect wait, the publish future,
 * the client-side failure reasons, the reconnection count and the close sequence. The subclasses
 * keep only what their client's types make different; Paho's two clients share no interface, so
 * the steps below are the subclasses' small hooks.
 */
abstract class PahoLink implements MqttLink {

  /** Paho's client-side reason codes, the same numbers in both clients. */
  private static final int CLIENT_DISCONNECTING = 32102;
  private static final int CLIENT_NOT_CONNECTED = 32104;
  private static final int CONNECTION_LOST = 32109;
  private static final int CLIENT_CLOSED = 32111;
  private static final int MAX_INFLIGHT = 32202;

  /** The subclass's own category, as before the two shared this class. */
  protected final Logger log = LoggerFactory.getLogger(getClass());
  protected final Settings settings;
  private final boolean serverReasonCodes;
  private final AtomicLong reconnections = new AtomicLong();

  /** @param serverReasonCodes whether codes from 0x80 are the server's MQTT 5 reason codes (MQTT 5 §2.4) */
  PahoLink(Settings settings, boolean serverReasonCodes) {
    this.settings = settings;
    this.serverReasonCodes = serverReasonCodes;
  }

  /** Connects and waits up to {@code waitMillis}. */
  protected abstract void connectAndWait(long waitMillis) throws Exception;

  /** The reason of a refused or failed connection. */
  protected abstract String connectReason(Exception e);

  /** Hands one publish to the client; {@code done} completes from its listener. */
  protected abstract void send(String topic, byte[] payload, int qos, CompletableFuture<Void> done) throws Exception;

  /** The reason code of a client exception, or -1 for another throwable. */
  protected abstract int reasonCode(Throwable e);

  protected abstract void disconnectAndWait(long quiesceMillis, long waitMillis) throws Exception;

  protected abstract void disconnectForcibly() throws Exception;

  protected abstract void closeClient() throws Exception;

  /** The failure of a client that could not be created for the settings' URI. */
  static PublishException invalidUri(Settings settings, Exception e) {
    return new PublishException("invalid MQTT server URI " + settings.serverUri() + ": " + e.getMessage(), e);
  }

  /** A message with its cause's, for failures the codes do not name. */
  static String withCause(Exception e) {
    return e.getMessage() + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : "");
  }

  /** For the client's connect-complete callback. */
  protected final void connected(boolean reconnect) {
    if (reconnect) {
      reconnections.incrementAndGet();
      log.info("reconnected [client: {}]", settings.clientId());
    }
  }

  /** For the client's connection-lost callback. */
  protected final void lost(String reason) {
    log.warn("connection lost [client: {}, reason: {}]", settings.clientId(), reason);
  }

  @Override
  public final void connect() throws PublishException {
    try {
      connectAndWait(settings.connectTimeout().toMillis() + 1000);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new PublishException(connectReason(e), e);
    }
  }

  @Override
  public final CompletableFuture<Void> publish(String topic, byte[] payload, int qos) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      send(topic, payload, qos, done);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      done.completeExceptionally(failure(e));
    }
    return done;
  }

  /** A failed publish, named by its reason code (an MQTT 5 one from 0x80, or a client one). */
  protected final PublishException failure(Throwable e) {
    int code = reasonCode(e);
    if (code < 0) {
      return new PublishException(e.toString(), e);
    }
    String reason;
    if (serverReasonCodes && code >= 0x80 && code <= 0xFF) {
      reason = PublishException.describe(code);
    } else {
      reason = switch (code) {
        case CLIENT_NOT_CONNECTED -> "not connected";
        case CONNECTION_LOST -> "connection lost";
        case MAX_INFLIGHT -> "too many publishes in progress";
        case CLIENT_DISCONNECTING, CLIENT_CLOSED -> "client closing";
        default -> "MQTT error " + code;
      };
    }
    return new PublishException(reason, e);
  }

  @Override
  public final long reconnections() {
    return reconnections.get();
  }

  @Override
  public final void close(Duration quiesce) {
    try {
      if (isConnected()) {
        disconnectAndWait(quiesce.toMillis(), quiesce.toMillis() + 1000);
      }
    } catch (Exception e) {
      log.debug("disconnect failed [client: {}, reason: {}]", settings.clientId(), e.getMessage());
      try {
        disconnectForcibly();
      } catch (Exception ignored) {
        // Already down: nothing left to release but the client below.
      }
    } finally {
      try {
        closeClient();
      } catch (Exception e) {
        log.debug("close failed [client: {}, reason: {}]", settings.clientId(), e.getMessage());
      }
    }
  }
}
