package fr.gardien.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests of {@code ./gardien demo} share: the launcher started as a user starts it (its
 * ports and folder given by the GARDIEN_* variables), stopped by SIGTERM after each test, its
 * output followed, and the demo's API read with the admin token of the demo.
 */
abstract class DemoLauncherSupport {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final String TOKEN = "demo-admin-token";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;
  Process demo;
  final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stopDemo() throws Exception {
    if (demo != null) {
      demo.destroy(); // SIGTERM: the launcher stops the gateway, simulator and inbox it started
      if (!demo.waitFor(60, TimeUnit.SECONDS)) {
        demo.descendants().forEach(ProcessHandle::destroyForcibly);
        demo.destroyForcibly();
      }
    }
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * {@code ./gardien ARGS…} on the given ports (CoAP on a free one), over {@code days} of history,
   * its folder in the test's own.
   */
  ProcessBuilder launcher(int httpPort, int mqttPort, int inboxPort, int days, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("gardien").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("GARDIEN_HTTP_PORT", Integer.toString(httpPort));
    pb.environment().put("GARDIEN_MQTT_PORT", Integer.toString(mqttPort));
    pb.environment().put("GARDIEN_COAP_DTLS_PORT", Integer.toString(freePort()));
    pb.environment().put("GARDIEN_INBOX_PORT", Integer.toString(inboxPort));
    pb.environment().put("GARDIEN_DATA_DIR", dir.resolve("demo").toString());
    pb.environment().put("GARDIEN_DEMO_DAYS", Integer.toString(days));
    return pb;
  }

  /** The time of the newest reading of any point of {@code site}, read through {@code api}. */
  Instant newestReading(String api, String site) throws Exception {
    Instant newest = Instant.EPOCH;
    for (JsonNode p : get(api + "/api/v1/sites/" + site + "/latest").get("points")) {
      Instant t = Instant.parse(p.get("t").asText());
      newest = t.isAfter(newest) ? t : newest;
    }
    return newest;
  }

  JsonNode get(String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  List<JsonNode> alerts(String api, String state) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    get(api + "/api/v1/alerts?limit=1000&state=" + state).get("alerts").forEach(out::add);
    return out;
  }

  JsonNode await(String api, String state, Predicate<JsonNode> which, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode a : alerts(api, state)) {
        if (which.test(a)) {
          return a;
        }
      }
      Thread.sleep(2000);
    }
    throw new AssertionError("no " + state + " alert as expected within " + within + "; open: " + alerts(api, "open"));
  }

  static CompletableFuture<String> follow(Process process, StringBuilder output, String readyLine) {
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          synchronized (output) {
            output.append(line).append('\n');
          }
          if (line.contains(readyLine)) {
            ready.complete(line);
          }
        }
        synchronized (output) {
          ready.completeExceptionally(new AssertionError("the launcher ended before the demo was ready:\n" + output));
        }
      } catch (Exception e) {
        ready.completeExceptionally(e);
      }
    }, "demo-output");
    reader.setDaemon(true);
    reader.start();
    return ready;
  }

  static String printed(StringBuilder output) {
    synchronized (output) {
      return output.toString();
    }
  }

  static int port(String printed, String regex) {
    Matcher m = Pattern.compile(regex).matcher(printed);
    assertThat(m.find()).as("printed: " + regex + " in\n" + printed).isTrue();
    return Integer.parseInt(m.group(1));
  }

}
