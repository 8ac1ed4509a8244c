package fr.gardien.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./gardien demo --cluster} itself (README "Cluster"). Its own class, so that the build
 * runs it beside {@link DemoLauncherIT}, in the other test JVM, while that one waits for its live
 * alert (device-sim's pom: two JVMs, classes in alphabetical order). Skipped when the jars have
 * not been built (a build of this module alone).
 */
@Timeout(600)
class TheClusterDemoIT extends DemoLauncherSupport {

  /**
   * {@code ./gardien demo --cluster} over one day of history: the launcher prints what runs where
   * (the second edge and the workers on the next free ports), announces the demo once the history
   * is stored and evaluated, the simulator's devices reached both edges, the two workers share the
   * log's partitions on the one embedded PostgreSQL that both edges read, an alert of the history
   * is open; then SIGTERM (what Ctrl-C does) stops every process the launcher started.
   */
  @Test
  void theClusterDemoRunsOnTwoEdgesAndTwoWorkersAndStopsCleanly() throws Exception {
    assumeTrue(Files.isRegularFile(ROOT.resolve("gateway/target/gardien-gateway.jar"))
        && Files.isRegularFile(ROOT.resolve("device-sim/target/gardien-sim.jar"))
        && Files.isRegularFile(ROOT.resolve("cluster/target/gardien-kafka.jar")), "the jars are not built");
    int httpPort = freePort();
    int mqttPort = freePort();
    ProcessBuilder pb = launcher(httpPort, mqttPort, freePort(), 1, "demo", "--cluster");
    pb.environment().put("GARDIEN_KAFKA_PORT", Integer.toString(freePort()));
    Instant launched = Instant.now();
    demo = pb.start();
    StringBuilder output = new StringBuilder();
    CompletableFuture<String> ready = follow(demo, output, "Press Ctrl-C to stop");
    ready.get(420, TimeUnit.SECONDS);
    String printed = printed(output);
    assertThat(printed).contains("Gardien demo is ready").contains("What runs where");
    int edge2 = port(printed, "Edge 2\\s+http://localhost:(\\d+)");
    int edge2Mqtt = port(printed, "Edge 2\\s+http://localhost:\\d+\\s+mqtt (\\d+)");
    int worker1 = port(printed, "Worker 1\\s+http://localhost:(\\d+)");
    int worker2 = port(printed, "Worker 2\\s+http://localhost:(\\d+)");
    assertThat(port(printed, "Edge 1\\s+http://localhost:(\\d+)")).isEqualTo(httpPort);
    assertThat(edge2).as("the second edge on the next free port").isGreaterThan(httpPort);
    assertThat(edge2Mqtt).isGreaterThan(mqttPort);
    assertThat(Set.of(httpPort, edge2, worker1, worker2)).hasSize(4);

    // The devices are spread over both edges, and each edge acknowledged readings (Kafka's ack).
    for (int edge : new int[] {httpPort, edge2}) {
      assertThat(committed("http://localhost:" + edge + "/metrics")).as("readings acknowledged by the edge on " + edge)
          .isPositive();
      JsonNode health = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + edge + "/health/ready"))
          .build(), HttpResponse.BodyHandlers.ofString()).body());
      assertThat(health.get("checks").get("kafka").get("status").asText()).isEqualTo("UP");
    }
    // The two workers share the log's six partitions.
    Set<Integer> held = new java.util.TreeSet<>();
    for (int worker : new int[] {worker1, worker2}) {
      JsonNode partitions = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + worker
          + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString()).body()).get("checks").get("partitions").get("held");
      assertThat(partitions).as("partitions of the worker on " + worker).isNotEmpty();
      partitions.forEach(p -> held.add(p.asInt()));
    }
    assertThat(held).containsExactly(0, 1, 2, 3, 4, 5);
    // One database: what the workers stored is read through either edge.
    for (int edge : new int[] {httpPort, edge2}) {
      String api = "http://localhost:" + edge;
      for (JsonNode site : get(api + "/api/v1/sites").get("sites")) {
        assertThat(newestReading(api, site.get("id").asText())).as(site.get("id").asText() + " through " + api)
            .isAfter(launched);
      }
    }
    await("http://localhost:" + edge2, "open", a -> a.get("rule").asText().equals("water-night-flow"), Duration.ofSeconds(30));

    // Ctrl-C (SIGTERM here): the launcher stops what it started, in order, and says so.
    List<ProcessHandle> started = demo.descendants().toList();
    assertThat(started).as("broker, two workers, two edges, simulator, inbox").hasSizeGreaterThanOrEqualTo(7);
    // SIGTERM through the handle: Process.destroy() would also close our end of its output.
    demo.toHandle().destroy();
    assertThat(demo.waitFor(120, TimeUnit.SECONDS)).as("the launcher ends").isTrue();
    for (ProcessHandle p : started) {
      assertThat(p.onExit().get(5, TimeUnit.SECONDS).isAlive()).as("process " + p.pid() + " stopped").isFalse();
    }
    demo = null;
    // The launcher's last line may still be on its way through the pipe to the reader thread.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!printed(output).contains("demo stopped") && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(printed(output)).contains("demo stopped");
  }

  private long committed(String metricsUrl) throws Exception {
    String body = http.send(HttpRequest.newBuilder(URI.create(metricsUrl)).build(), HttpResponse.BodyHandlers.ofString()).body();
    double sum = 0;
    for (String line : body.split("\n")) {
      if (line.startsWith("gardien_ingest_readings_total{") && line.contains("outcome=\"committed\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return (long) sum;
  }
}
