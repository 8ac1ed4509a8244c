package fr.gardien.sim.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.MqttConnectionException;
import io.vertx.mqtt.MqttException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MqttLink} over the Vert.x MQTT client (MQTT 3.1.1), bound to one event-loop context:
 * every callback (CONNACK, PUBACK, close) runs on {@link #context()}, and a publish issued there
 * is written without a thread hand-off. Publishes from another thread are moved onto the context.
 *
 * <p>A QoS 1 publish completes on its PUBACK. Instead of a timer per message, one periodic timer
 * per connection fails the publishes unacknowledged for longer than the ack timeout (so a
 * publish fails between one and 1.25 ack timeouts after it was sent). After a drop every
 * publish in flight fails with "connection lost" and, when the settings ask for it, the link
 * reconnects with a fresh client (the client keeps its in-flight count across a reconnection),
 * waiting 1 s, then twice as long each time up to 10 s, as Paho does.
 */
public final class VertxLink implements MqttLink {
  private static final Logger log = LoggerFactory.getLogger(VertxLink.class);
  private static final long MAX_RECONNECT_DELAY_MILLIS = 10_000;

  /** A QoS 1 publish waiting for its PUBACK. */
  private record Pending(long sentNanos, CompletableFuture<Void> done) {}

  private final Vertx vertx;
  private final Context context;
  private final Settings settings;
  private final long ackTimeoutNanos;
  private final String host;
  private final int port;
  private final MqttClientOptions options;
  private final AtomicLong reconnections = new AtomicLong();
  /** By packet id, oldest first; touched on the context only. */
  private final LinkedHashMap<Integer, Pending> pending = new LinkedHashMap<>();
  private volatile MqttClient client;
  private volatile boolean connected;
  private volatile boolean closing;
  private Runnable onConnected = () -> { };
  private long timeoutTimer = -1;
  private long reconnectDelayMillis = 1000;
  /**
   * The context's event-loop thread, once its first task ran. A publish on this thread is written
   * at once; checking the context instead would not do: handlers may run on a duplicate of it
   * (another object, the same thread), and a publish from there, moved onto the context as a task,
   * would go out after the publishes made meanwhile, out of order.
   */
  private volatile Thread loop;

  VertxLink(Vertx vertx, Context context, Settings settings, Duration ackTimeout) throws PublishException {
    this.vertx = vertx;
    this.context = context;
    this.settings = settings;
    this.ackTimeoutNanos = ackTimeout.toNanos();
    // Queued before any other task of this link: every task after it sees the thread.
    context.runOnContext(v -> loop = Thread.currentThread());
    try {
      URI uri = new URI(settings.serverUri());
      if (!"tcp".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalArgumentException("expected tcp://HOST:PORT");
      }
      host = uri.getHost();
      port = uri.getPort() > 0 ? uri.getPort() : MqttClientOptions.DEFAULT_PORT;
    } catch (Exception e) {
      throw PahoLink.invalidUri(settings, e);
    }
    options = new MqttClientOptions()
        .setClientId(settings.clientId())
        .setUsername(settings.username())
        .setPassword(settings.password())
        .setCleanSession(true)
        .setKeepAliveInterval(30)
        // The caller's window bounds what is in flight; headroom for late PUBACKs after a timeout.
        .setMaxInflightQueue(settings.maxInflight() * 2 + 8);
    options.setConnectTimeout((int) Math.max(1, settings.connectTimeout().toMillis()));
    // The client's own ack timeout is a timer per message: ours is one per connection.
    options.setAckTimeout(-1);
  }

  /** The event-loop context every callback of this link runs on. */
  public Context context() {
    return context;
  }

  /** Runs {@code handler} on the context after each successful connection, the first included. */
  public void onConnected(Runnable handler) {
    context.runOnContext(v -> onConnected = handler);
  }

  @Override
  public void connect() throws PublishException {
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(v -> open(done));
    try {
      done.get(settings.connectTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      PublishException failure = PublishException.of(e);
      throw failure != null ? failure : new PublishException(PublishException.reasonOf(e), e);
    } catch (TimeoutException e) {
      context.runOnContext(v -> {
        MqttClient c = client;
        if (c != null && !connected) {
          c.disconnect();
        }
      });
      throw new PublishException("no CONNACK in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishException("interrupted while connecting", e);
    }
  }

  /** Opens a connection with a fresh client; on the context. */
  private void open(CompletableFuture<Void> done) {
    MqttClient c = MqttClient.create(vertx, options);
    client = c;
    c.publishCompletionHandler(this::acknowledged);
    c.closeHandler(v -> lost());
    c.connect(port, host).onComplete(ar -> {
      if (ar.succeeded()) {
        boolean again = timeoutTimer >= 0;
        connected = true;
        reconnectDelayMillis = 1000;
        if (!again) {
          timeoutTimer = vertx.setPeriodic(Math.max(1, ackTimeoutNanos / 4_000_000), id -> expire());
        } else {
          reconnections.incrementAndGet();
          log.info("reconnected [client: {}]", settings.clientId());
        }
        done.complete(null);
        onConnected.run();
      } else {
        done.completeExceptionally(new PublishException(connectReason(ar.cause()), ar.cause()));
      }
    });
  }

  private static String connectReason(Throwable e) {
    if (e instanceof MqttConnectionException refused) {
      MqttConnectReturnCode code = refused.code();
      return switch (code) {
        case CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD -> "connection refused: bad user name or password";
        case CONNECTION_REFUSED_NOT_AUTHORIZED -> "connection refused: not authorized";
        default -> "connection refused: " + code.name().replace("CONNECTION_REFUSED_", "").replace('_', ' ')
            .toLowerCase(Locale.ROOT) + String.format(" (0x%02x)", code.byteValue());
      };
    }
    return "cannot connect: " + e.getMessage();
  }

  /** The connection closed (server, network or our own disconnect); on the context. */
  private void lost() {
    connected = false;
    failAll("connection lost");
    if (closing) {
      return;
    }
    log.warn("connection lost [client: {}]", settings.clientId());
    if (settings.autoReconnect()) {
      reconnectLater();
    }
  }

  private void reconnectLater() {
    long delay = reconnectDelayMillis;
    reconnectDelayMillis = Math.min(MAX_RECONNECT_DELAY_MILLIS, delay * 2);
    vertx.setTimer(delay, id -> {
      if (closing) {
        return;
      }
      CompletableFuture<Void> attempt = new CompletableFuture<>();
      attempt.whenComplete((ok, e) -> {
        if (e != null && !closing) {
          log.debug("reconnection failed [client: {}, reason: {}]", settings.clientId(), PublishException.reasonOf(e));
          reconnectLater();
        }
      });
      open(attempt);
    });
  }

  @Override
  public CompletableFuture<Void> publish(String topic, byte[] payload, int qos) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (Thread.currentThread() == loop) {
      send(topic, payload, qos, done);
    } else {
      context.runOnContext(v -> send(topic, payload, qos, done));
    }
    return done;
  }

  /** On the context. */
  private void send(String topic, byte[] payload, int qos, CompletableFuture<Void> done) {
    MqttClient c = client;
    if (!connected || c == null) {
      done.completeExceptionally(new PublishException("not connected", null));
      return;
    }
    long sentNanos = System.nanoTime();
    c.publish(topic, Buffer.buffer(payload), MqttQoS.valueOf(qos), false, false).onComplete(ar -> {
      if (ar.failed()) {
        done.completeExceptionally(new PublishException(writeFailure(ar.cause()), ar.cause()));
      } else if (qos == 0) {
        done.complete(null);
      } else if (!connected) {
        // Written just as the connection closed: its PUBACK cannot come on this connection.
        done.completeExceptionally(new PublishException("connection lost", null));
      } else {
        // Registered once written: the PUBACK is read after the write completed, on this same loop.
        pending.put(ar.result(), new Pending(sentNanos, done));
      }
    });
  }

  private String writeFailure(Throwable e) {
    if (e instanceof MqttException m && m.code() == MqttException.MQTT_INFLIGHT_QUEUE_FULL) {
      return "too many publishes in progress";
    }
    return connected ? "write failed: " + e.getMessage() : "connection lost";
  }

  /** A PUBACK; on the context. A late one, after its publish timed out, finds nothing. */
  private void acknowledged(int packetId) {
    Pending p = pending.remove(packetId);
    if (p != null) {
      p.done().complete(null);
    }
  }

  /** Fails the publishes older than the ack timeout; the oldest come first. On the context. */
  private void expire() {
    long now = System.nanoTime();
    Iterator<Pending> it = pending.values().iterator();
    List<Pending> expired = new ArrayList<>();
    while (it.hasNext()) {
      Pending p = it.next();
      if (now - p.sentNanos() < ackTimeoutNanos) {
        break;
      }
      it.remove();
      expired.add(p);
    }
    // Completed after the walk: a completion may publish again, adding to the map.
    expired.forEach(p -> p.done().completeExceptionally(new PublishException("no acknowledgement in time", null)));
  }

  private void failAll(String reason) {
    List<Pending> all = new ArrayList<>(pending.values());
    pending.clear();
    all.forEach(p -> p.done().completeExceptionally(new PublishException(reason, null)));
  }

  @Override
  public boolean isConnected() {
    return connected;
  }

  @Override
  public long reconnections() {
    return reconnections.get();
  }

  @Override
  public void close(Duration quiesce) {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    context.runOnContext(v -> {
      closing = true;
      if (timeoutTimer >= 0) {
        vertx.cancelTimer(timeoutTimer);
      }
      MqttClient c = client;
      if (c == null) {
        closed.complete(null);
        return;
      }
      // DISCONNECT then close; publishes still in flight fail with "connection lost".
      c.disconnect().onComplete(ar -> closed.complete(null));
    });
    try {
      closed.get(quiesce.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.debug("disconnect failed [client: {}, reason: {}]", settings.clientId(), PublishException.reasonOf(e));
    }
  }
}
