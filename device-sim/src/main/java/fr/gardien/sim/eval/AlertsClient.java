package fr.gardien.sim.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a gateway's rules and alerts through its HTTP API with a bearer token. Alerts are fetched
 * per site and per state, up to {@value #PAGE} each (the API's largest page, most recently changed
 * first; it has no cursor to older pages): a full page is reported as a warning, never guessed.
 */
final class AlertsClient {
  static final int PAGE = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URI base;
  private final String token;
  private final List<String> warnings = new ArrayList<>();

  AlertsClient(URI base, String token) {
    this.base = base;
    this.token = token;
  }

  /** The active rules, by id. */
  Map<String, RuleInfo> rules() throws IOException, InterruptedException {
    Map<String, RuleInfo> rules = new LinkedHashMap<>();
    for (JsonNode r : get("/api/v1/rules").path("rules")) {
      rules.put(r.path("id").asText(), info(r));
    }
    return rules;
  }

  /** One rule of {@code GET /api/v1/rules}; a gateway that does not serve {@code detectorSpan} has none (zero). */
  static RuleInfo info(JsonNode r) {
    return new RuleInfo(r.path("id").asText(), r.path("detector").asText(),
        Duration.parse(r.path("for").asText("PT0S")), Duration.parse(r.path("detectorSpan").asText("PT0S")),
        r.path("window").isNull() ? null : r.path("window").asText(null));
  }

  /** Every alert of the given sites, in every state. */
  List<Alert> alerts(List<String> sites) throws IOException, InterruptedException {
    List<Alert> all = new ArrayList<>();
    for (String site : sites) {
      for (String state : List.of("open", "acknowledged", "resolved")) {
        JsonNode page = get("/api/v1/alerts?site=" + URLEncoder.encode(site, StandardCharsets.UTF_8) + "&state=" + state
            + "&limit=" + PAGE);
        JsonNode list = page.path("alerts");
        if (list.size() >= PAGE) {
          warnings.add("site " + site + ", state " + state + ": " + PAGE + " alerts or more, only the " + PAGE
              + " most recently changed are counted");
        }
        for (JsonNode a : list) {
          all.add(new Alert(a.path("id").asLong(), a.path("site").asText(), a.path("equipment").asText(),
              a.path("rule").asText(), a.path("state").asText(), Instant.parse(a.path("firstSeen").asText()),
              Instant.parse(a.path("lastSeen").asText())));
        }
      }
    }
    return all;
  }

  List<String> warnings() {
    return warnings;
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token).header("Accept", "application/json").GET().build();
    HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() != 200) {
      throw new IOException("GET " + path + " answered " + resp.statusCode() + ": "
          + resp.body().substring(0, Math.min(300, resp.body().length())));
    }
    return JSON.readTree(resp.body());
  }
}
