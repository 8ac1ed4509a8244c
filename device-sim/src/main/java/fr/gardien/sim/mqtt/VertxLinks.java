package fr.gardien.sim.mqtt;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Vert.x instance with a few event loops serving every {@link VertxLink} it creates: the
 * links are spread over the loops, each link bound to one event-loop context for its whole life.
 * Hundreds of connections then cost a thread or two instead of Paho's four threads per
 * connection, and a link publishes from its own context without a thread hand-off.
 */
public final class VertxLinks implements AutoCloseable {

  /** Holds one event-loop context; deploying it is Vert.x's public way to get a context of its own. */
  private static final class Loop extends VerticleBase {
    Context context() {
      return context;
    }
  }

  private final Vertx vertx;
  private final List<Context> contexts = new ArrayList<>();
  private int created;

  /** The network transport in use, in {@code language} ("en" or "fr"): native epoll, or Java NIO and why. */
  public String transport(String language) {
    if (vertx.isNativeTransportEnabled()) {
      return language.equals("fr") ? "transport natif (epoll)" : "native transport (epoll)";
    }
    String why = String.valueOf(vertx.unavailableNativeTransportCause());
    return (language.equals("fr") ? "transport Java NIO (natif indisponible : " : "Java NIO transport (native unavailable: ") + why + ")";
  }

  /** Starts Vert.x with {@code eventLoops} event loops (at least 1). */
  public VertxLinks(int eventLoops) throws PublishException {
    if (eventLoops < 1) {
      throw new IllegalArgumentException("event loops must be at least 1, got " + eventLoops);
    }
    // Linux's epoll where its native library loads: at 4,600 packs/s, Java NIO's wake-ups and system calls
    // cost the generator more than half a core (24 % with epoll), taken from the gateway it measures.
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops).setWorkerPoolSize(1).setPreferNativeTransport(true));
    try {
      for (int i = 0; i < eventLoops; i++) {
        Loop loop = new Loop();
        // Deployments are given event loops in turn, so the contexts cover every loop.
        await(vertx.deployVerticle(loop, new DeploymentOptions()), Duration.ofSeconds(10));
        contexts.add(loop.context());
      }
    } catch (Exception e) {
      vertx.close();
      throw new PublishException("could not start Vert.x: " + e.getMessage(), e);
    }
  }

  /**
   * A link over the Vert.x MQTT client (MQTT 3.1.1 only), on the next event loop in turn.
   *
   * @param ackTimeout after this an unacknowledged QoS 1 publish fails with "no acknowledgement in time"
   */
  public synchronized VertxLink link(MqttLink.Settings settings, Duration ackTimeout) throws PublishException {
    if (settings.mqttVersion() != 3) {
      throw new IllegalArgumentException("the Vert.x MQTT client speaks MQTT 3.1.1 only");
    }
    return new VertxLink(vertx, contexts.get(created++ % contexts.size()), settings, ackTimeout);
  }

  /** Waits for a Vert.x future from a thread that is not an event loop. */
  static <T> T await(Future<T> future, Duration timeout) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Closes Vert.x, and with it every connection still open. */
  @Override
  public void close() {
    try {
      await(vertx.close(), Duration.ofSeconds(10));
    } catch (Exception e) {
      // Nothing left to do: the process is ending its run either way.
    }
  }
}
