package fr.gardien.sim.load;

import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.sim.mqtt.MqttLink;
import fr.gardien.sim.mqtt.PublishWindow;
import fr.gardien.sim.mqtt.VertxLink;
import fr.gardien.sim.mqtt.VertxLinks;
import fr.gardien.sim.senml.Reading;
import fr.gardien.sim.testing.FakeMqttServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A load connection driven from its Vert.x link's event loop, against a real MQTT server on a loopback port. */
@Timeout(60)
class LoadConnectionOnEventLoopIT {
  private FakeMqttServer server;
  private VertxLinks links;
  private VertxLink link;

  @BeforeEach
  void start() throws Exception {
    server = new FakeMqttServer(Map.of("dev-1", "secret-1")).start();
    links = new VertxLinks(1);
    link = links.link(new MqttLink.Settings(server.uri(), 3, "dev-1-load-0", "dev-1", "secret-1", 4, false,
        Duration.ofSeconds(5)), Duration.ofSeconds(30));
    link.connect();
  }

  @AfterEach
  void stop() throws Exception {
    links.close();
    server.close();
  }

  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("within 20 s: " + what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private LoadConnection connection(PublishWindow window, LoadStats stats, AtomicBoolean stop, long periodNanos) {
    List<Reading> points = List.of(new Reading("site-1/boiler/supply_temp", "Cel", 60.0, false, Instant.now()));
    return new LoadConnection(link, "dev-1", points, 1, 1, window, stats, stop::get, periodNanos, System.nanoTime(),
        Duration.ofSeconds(30));
  }

  /** While PUBACKs are withheld no more than the window is sent; once they flow, acknowledgements drive the sends. */
  @Test
  void theWindowBoundsWhatIsUnacknowledged() throws Exception {
    server.withholdPubAcks(true);
    PublishWindow window = new PublishWindow(4);
    LoadStats stats = new LoadStats(System.nanoTime(), System.nanoTime() + Duration.ofMinutes(1).toNanos());
    AtomicBoolean stop = new AtomicBoolean();

    connection(window, stats, stop, 0).start(link);
    awaitTrue(() -> server.received().size() >= 4, "the window's four publishes");
    Thread.sleep(500); // time for a fifth, were the window not bounding them

    assertThat(server.received()).hasSize(4);
    assertThat(window.inFlight()).isEqualTo(4);
    assertThat(window.fullWaits()).isEqualTo(1);
    assertThat(stats.ackedTotal.sum()).isZero();
    stop.set(true);
  }

  /** Unpaced, each PUBACK sends the next pack at once: many round trips in little time, none failed. */
  @Test
  void acknowledgementsDriveTheNextPublishes() throws Exception {
    PublishWindow window = new PublishWindow(4);
    LoadStats stats = new LoadStats(System.nanoTime(), System.nanoTime() + Duration.ofMinutes(1).toNanos());
    AtomicBoolean stop = new AtomicBoolean();

    connection(window, stats, stop, 0).start(link);
    awaitTrue(() -> stats.ackedTotal.sum() > 100, "a hundred round trips");
    stop.set(true);

    assertThat(window.awaitDrained(5000)).isTrue();
    assertThat(stats.ackedTotal.sum()).isGreaterThan(100).isEqualTo(stats.published.sum());
    assertThat(server.received()).hasSize((int) stats.published.sum());
    assertThat(stats.failures.sum()).isZero();
  }

  /** Paced at 50 ms, about 20 sends a second go out, not as many as PUBACKs would allow. */
  @Test
  void aPacedConnectionSendsAtItsPeriod() throws Exception {
    PublishWindow window = new PublishWindow(4);
    LoadStats stats = new LoadStats(System.nanoTime(), System.nanoTime() + Duration.ofMinutes(1).toNanos());
    AtomicBoolean stop = new AtomicBoolean();

    long started = System.nanoTime();
    connection(window, stats, stop, Duration.ofMillis(50).toNanos()).start(link);
    Thread.sleep(2000);
    stop.set(true);
    long periods = Duration.ofNanos(System.nanoTime() - started).toMillis() / 50;

    assertThat(window.awaitDrained(5000)).isTrue();
    // Never faster than the period; a loaded machine may make it slower, not by half.
    assertThat(stats.published.sum()).isBetween(periods / 2, periods + 2);
    assertThat(stats.ackedTotal.sum()).isEqualTo(stats.published.sum());
  }
}
