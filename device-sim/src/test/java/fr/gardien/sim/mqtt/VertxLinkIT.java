package fr.gardien.sim.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.gardien.sim.testing.FakeMqttServer;
import io.vertx.core.internal.ContextInternal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Vert.x MQTT 3.1.1 link of the load generator against a real MQTT server on a loopback port. */
@Timeout(60)
class VertxLinkIT {
  private static final byte[] PAYLOAD = "[{\"n\":\"a/b/c\",\"v\":1}]".getBytes(StandardCharsets.UTF_8);
  private FakeMqttServer server;
  private VertxLinks links;

  @BeforeEach
  void start() throws Exception {
    server = new FakeMqttServer(Map.of("dev-1", "secret-1")).start();
    links = new VertxLinks(1);
  }

  @AfterEach
  void stop() throws Exception {
    links.close();
    server.close();
  }

  private VertxLink link(String password, Duration ackTimeout, boolean autoReconnect) throws PublishException {
    return links.link(new MqttLink.Settings(server.uri(), 3, "dev-1-test", "dev-1", password, 16, autoReconnect,
        Duration.ofSeconds(5)), ackTimeout);
  }

  private static String failure(CompletableFuture<Void> publish) throws Exception {
    try {
      publish.get(10, TimeUnit.SECONDS);
      return null;
    } catch (ExecutionException e) {
      return PublishException.reasonOf(e);
    }
  }

  /**
   * On Linux x86-64 the links run on epoll, whose native library the generator ships (on Java NIO
   * it took more than twice the CPU at the benchmark's rate), and the transport is named.
   */
  @Test
  void linksRunOnEpollOnLinux() {
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.name").equals("Linux")
        && List.of("amd64", "x86_64").contains(System.getProperty("os.arch")), "epoll is shipped for Linux x86-64 only");
    assertThat(links.transport("en")).isEqualTo("native transport (epoll)");
    assertThat(links.transport("fr")).isEqualTo("transport natif (epoll)");
  }

  /** QoS 1 publishes complete once the server's PUBACKs came back, and every one reached the server. */
  @Test
  void qos1PublishesCompleteOnTheirPubAcks() throws Exception {
    VertxLink link = link("secret-1", Duration.ofSeconds(30), false);
    link.connect();

    // Three windows of 16 in turn, as the load generator keeps them.
    for (int round = 0; round < 3; round++) {
      List<CompletableFuture<Void>> publishes = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        publishes.add(link.publish("telemetry/dev-1", PAYLOAD, 1));
      }
      CompletableFuture.allOf(publishes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    }

    assertThat(server.received()).hasSize(48).allSatisfy(r -> {
      assertThat(r.qos()).isEqualTo(1);
      assertThat(r.username()).isEqualTo("dev-1");
      assertThat(r.topic()).isEqualTo("telemetry/dev-1");
    });
    link.close(Duration.ofSeconds(1));
  }

  /**
   * Publishes go out in the order they were made on the link's event loop, whichever context object
   * runs the caller. Vert.x runs a connection's own callbacks (a PUBACK's, which publish the next
   * pack in the load generator) on a duplicate of the context: the same thread, another object. A
   * publish from there was moved onto the context as a task and went out after a publish made just
   * after it from the context itself (a pacing timer's): packs of one device out of their order,
   * which the gateway then stored out of order (its rollups refolded the hours from the readings).
   */
  @Test
  void publishesFromTheLoopGoOutInTheirOrderWhateverTheContextObject() throws Exception {
    VertxLink link = link("secret-1", Duration.ofSeconds(30), false);
    link.connect();
    ContextInternal base = (ContextInternal) link.context();
    ContextInternal duplicate = base.duplicate();
    List<CompletableFuture<Void>> publishes = new ArrayList<>();
    CompletableFuture<Void> issued = new CompletableFuture<>();
    duplicate.runOnContext(v -> {
      for (int i = 0; i < 10; i++) {
        byte[] first = ("[{\"n\":\"a/b/c\",\"v\":" + (2 * i) + "}]").getBytes(StandardCharsets.UTF_8);
        byte[] second = ("[{\"n\":\"a/b/c\",\"v\":" + (2 * i + 1) + "}]").getBytes(StandardCharsets.UTF_8);
        publishes.add(link.publish("telemetry/dev-1", first, 1));
        base.dispatch(x -> publishes.add(link.publish("telemetry/dev-1", second, 1)));
      }
      issued.complete(null);
    });
    issued.get(10, TimeUnit.SECONDS);
    CompletableFuture.allOf(publishes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

    List<String> order = server.received().stream().map(r -> new String(r.payload(), StandardCharsets.UTF_8)).toList();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      expected.add("[{\"n\":\"a/b/c\",\"v\":" + i + "}]");
    }
    assertThat(order).containsExactlyElementsOf(expected);
    link.close(Duration.ofSeconds(1));
  }

  /** A publish the server never acknowledges stays pending until its ack timeout, then fails by that reason. */
  @Test
  void anUnacknowledgedPublishFailsAtItsTimeout() throws Exception {
    VertxLink link = link("secret-1", Duration.ofMillis(2000), false);
    link.connect();
    server.withholdPubAcks(true);

    long start = System.nanoTime();
    CompletableFuture<Void> publish = link.publish("telemetry/dev-1", PAYLOAD, 1);
    Thread.sleep(500);
    assertThat(publish).isNotDone();

    assertThat(failure(publish)).isEqualTo("no acknowledgement in time");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(2000));
    assertThat(server.received()).hasSize(1);
    link.close(Duration.ofSeconds(1));
  }

  /** A CONNACK refusing the credentials fails the connection with the server's reason. */
  @Test
  void aRefusedConnectionIsReportedWithTheConnAckReason() throws Exception {
    VertxLink link = link("wrong-secret", Duration.ofSeconds(30), false);

    assertThatThrownBy(link::connect).isInstanceOf(PublishException.class)
        .extracting(e -> ((PublishException) e).reason()).isEqualTo("connection refused: bad user name or password");
    assertThat(link.isConnected()).isFalse();
    assertThat(server.rejectedConnections()).isEqualTo(1);
    assertThat(failure(link.publish("telemetry/dev-1", PAYLOAD, 1))).isEqualTo("not connected");
  }

  /** A connection the server drops fails its publishes in flight as "connection lost", then the link reconnects. */
  @Test
  void aDroppedConnectionFailsThePublishesInFlightAndReconnects() throws Exception {
    VertxLink link = link("secret-1", Duration.ofSeconds(30), true);
    link.connect();
    server.withholdPubAcks(true);
    List<CompletableFuture<Void>> inFlight = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      inFlight.add(link.publish("telemetry/dev-1", PAYLOAD, 1));
    }
    while (server.received().size() < 3) {
      Thread.sleep(10);
    }

    server.dropConnections();

    for (CompletableFuture<Void> publish : inFlight) {
      assertThat(failure(publish)).isEqualTo("connection lost");
    }
    server.withholdPubAcks(false);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (link.reconnections() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(link.reconnections()).isEqualTo(1);
    assertThat(link.isConnected()).isTrue();
    link.publish("telemetry/dev-1", PAYLOAD, 1).get(10, TimeUnit.SECONDS);
    link.close(Duration.ofSeconds(1));
  }
}
