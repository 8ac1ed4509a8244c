package fr.gardien.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static fr.gardien.sim.testing.SimRun.execute;

import fr.gardien.sim.portfolio.PortfolioCommand;
import fr.gardien.sim.testing.SimRun;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop against a real gateway: its jar (built by the reactor before this module, since
 * the simulator shares no code with it) on an embedded PostgreSQL, a generated one-site portfolio,
 * a backfill of a few hours with one injected fault, and {@code evaluate} reading the alerts back.
 * Skipped when the gateway jar has not been built (a build of this module alone).
 */
@Timeout(300)
class EvaluationAgainstGatewayIT {
  private static final Path GATEWAY_JAR = Path.of("../gateway/target/gardien-gateway.jar");
  private static final Pattern STARTED = Pattern.compile("Gardien gateway started \\[mqtt: [^:]+:(\\d+), http: [^:]+:(\\d+)[],]");
  private static final String TOKEN = "evaluation-it-token";

  @TempDir
  Path dir;
  private Process gateway;

  @AfterEach
  void stopGateway() throws Exception {
    if (gateway != null) {
      gateway.destroy();
      if (!gateway.waitFor(30, TimeUnit.SECONDS)) {
        gateway.destroyForcibly();
      }
    }
  }

  /** A stuck lift injected into a backfilled run is raised by the gateway and reported detected by evaluate, with no false alert. */
  @Test
  void evaluateReportsTheInjectedFaultDetected() throws Exception {
    assumeTrue(Files.isRegularFile(GATEWAY_JAR), "the gateway jar is not built (" + GATEWAY_JAR.toAbsolutePath()
        + "): run the reactor's verify, which packages the gateway first");
    Path portfolio = dir.resolve("portfolio.yaml");
    Files.writeString(portfolio, PortfolioCommand.generate(1, 3, TOKEN));
    Path config = dir.resolve("gardien.yaml");
    Files.writeString(config, "data.dir: " + dir.resolve("data") + "\nhttp.port: 0\nmqtt.port: 0\ncoap.dtls-port: 0\ncoap.host: 127.0.0.1\nportfolio: " + portfolio + "\n");
    String java = ProcessHandle.current().info().command().orElse("java");
    gateway = new ProcessBuilder(java, "-Xmx512m", "-jar", GATEWAY_JAR.toString(), "--config", config.toString())
        .redirectErrorStream(true).start();
    int[] ports = awaitStart(gateway);
    String http = "http://localhost:" + ports[1];

    Instant from = Instant.now().minus(Duration.ofHours(6)).truncatedTo(ChronoUnit.HOURS);
    Instant stuck = from.plus(Duration.ofHours(2));
    Path faults = dir.resolve("faults.yaml");
    Files.writeString(faults, "faults:\n  - {type: lift-stuck, site: site-001, equipment: lift-a, start: " + stuck + ", duration: 1h}\n");
    Path truth = dir.resolve("truth.jsonl");
    SimRun run = execute("run", "--portfolio", portfolio.toString(), "--mqtt", "tcp://localhost:" + ports[0],
        "--from", from.toString(), "--duration", "5h", "--speed", "100000", "--interval", "1m", "--max-inflight", "2",
        "--seed", "5", "--faults", faults.toString(), "--truth", truth.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    awaitRulesIdle(http);

    SimRun eval = execute("evaluate", "--truth", truth.toString(), "--gateway", http, "--token", TOKEN);
    assertThat(eval.exitCode()).as(eval.out() + eval.err()).isZero();
    assertThat(eval.out())
        .containsPattern("lift-stuck +1 +1 +100\\.0% +1[5-7] min")
        .contains("False alerts on healthy equipment: 0 = 0.000 per site-week")
        .doesNotContain("missed faults");

    SimRun wrongToken = execute("evaluate", "--truth", truth.toString(), "--gateway", http, "--token", "not-a-token");
    assertThat(wrongToken.exitCode()).isEqualTo(1);
    assertThat(wrongToken.err()).contains("answered 401");
  }

  /** Reads the gateway's output until it logs its bound ports; returns {mqtt, http}. */
  private static int[] awaitStart(Process p) throws Exception {
    CompletableFuture<int[]> ports = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        StringBuilder seen = new StringBuilder();
        for (String line; (line = in.readLine()) != null; ) {
          Matcher m = STARTED.matcher(line);
          if (m.find()) {
            ports.complete(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
          } else if (!ports.isDone() && seen.length() < 20_000) {
            seen.append(line).append('\n');
          }
        }
        ports.completeExceptionally(new IllegalStateException("the gateway exited before starting:\n" + seen));
      } catch (Exception e) {
        ports.completeExceptionally(e);
      }
    }, "gateway-output");
    reader.setDaemon(true);
    reader.start();
    return ports.get(180, TimeUnit.SECONDS);
  }

  /** Waits until every committed reading has been evaluated by the rules. */
  private static void awaitRulesIdle(String http) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Pattern queue = Pattern.compile("(?m)^gardien_rules_queue_readings(\\{[^}]*})? 0(\\.0)?$");
    while (System.nanoTime() < deadline) {
      String metrics = client.send(HttpRequest.newBuilder(URI.create(http + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      if (queue.matcher(metrics).find()) {
        Thread.sleep(1000);
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the rules did not catch up within 60 s");
  }
}
