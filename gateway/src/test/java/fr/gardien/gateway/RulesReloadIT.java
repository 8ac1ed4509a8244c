package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gardien.gateway.rules.RulesInvalidException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A rules file replaces the catalog, is reloaded without restart, and a broken one is refused with its lines. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RulesReloadIT {

    private static final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path dir;

    private static String rule(String id, double below) {
        return """
                rules:
                  - id: %s
                    description: A test rule on the hot-water storage temperature, tuned by the landlord.
                    applies-to: [hot-water]
                    inputs: {storage: storage_temp}
                    detector: threshold
                    params: {signal: storage, below: %s}
                    for: 30m
                    severity: major
                    category: hot-water
                    urgency: immediate
                    summary:
                      fr: "Ballon à {value} °C"
                      en: "Storage at {value} °C"
                """.formatted(id, below);
    }

    /** Editing the configured rules file changes the active rules within seconds, without a restart. */
    @Test
    void aChangedRulesFileIsAppliedWithoutRestart() throws Exception {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, rule("storage-below-52", 52));
        try (GatewayHarness harness = GatewayHarness.start(dir, null, Map.of("rules", rules.toString()))) {
            assertThat(ids(harness)).isEqualTo("[\"storage-below-52\"]");
            Files.writeString(rules, rule("storage-below-50", 50) + "# edited\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!ids(harness).contains("storage-below-50") && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            assertThat(ids(harness)).isEqualTo("[\"storage-below-50\"]");

            // A broken edit leaves the rules in force.
            Files.writeString(rules, "rules:\n  - id: Broken_Id\n");
            Thread.sleep(7000);
            assertThat(ids(harness)).isEqualTo("[\"storage-below-50\"]");
        }
    }

    /** A rules file that does not load stops start-up with each error and its line. */
    @Test
    void anInvalidRulesFileStopsStartUpWithItsErrors() throws Exception {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, rule("ok-rule", 52).replace("for: 30m", "for: soon"));
        assertThatThrownBy(() -> GatewayHarness.start(dir, null, Map.of("rules", rules.toString())))
                .isInstanceOf(RulesInvalidException.class)
                .hasMessageContaining(rules + ":8: rules[0].for: expected a duration such as 30m, got \"soon\"");
    }

    private static String ids(GatewayHarness harness) throws Exception {
        JsonNode body = mapper.readTree(harness.get("/api/v1/rules", ADMIN_TOKEN).body());
        StringBuilder ids = new StringBuilder("[");
        for (JsonNode rule : body.get("rules")) {
            ids.append(ids.length() > 1 ? "," : "").append('"').append(rule.get("id").asText()).append('"');
        }
        return ids.append(']').toString();
    }
}
