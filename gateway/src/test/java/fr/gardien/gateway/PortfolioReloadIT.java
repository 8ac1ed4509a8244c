package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.ADMIN_TOKEN;
import static fr.gardien.gateway.GatewayHarness.DEVICE;
import static fr.gardien.gateway.GatewayHarness.ENERGY_TOKEN;
import static fr.gardien.gateway.GatewayHarness.PORTFOLIO;
import static fr.gardien.gateway.GatewayHarness.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.storage.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Portfolio changes apply without a restart, and a broken file changes nothing. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PortfolioReloadIT {

    private static final String NEW_POINT = "tilleuls/boiler-1/pressure";
    private static final String WITH_NEW_DEVICE_AND_POINT = PORTFOLIO
            .replace("- {name: burner_on, unit: \"/\", category: equipment}\n",
                    "- {name: burner_on, unit: \"/\", category: equipment}\n          - {name: pressure, unit: bar, category: equipment}\n")
            .replace("devices:\n", "devices:\n  - {id: gw-new, site: tilleuls, secret: \"new-device-secret\"}\n");

    @TempDir
    Path dir;

    /**
     * A device and a point added to the file work after a reload through the admin endpoint;
     * removing them again is picked up by the file watch alone.
     */
    @Test
    void addedDevicesAndPointsWorkWithoutRestart() throws Exception {
        try (GatewayHarness harness = GatewayHarness.start(dir, TestPostgres.shared().newDatabase(), Map.of())) {
            byte[] pressure = pressurePack();
            assertThat(harness.post("/api/v1/telemetry", "application/senml+json", pressure, "gw-new", "new-device-secret")
                    .statusCode()).isEqualTo(401);

            Files.writeString(dir.resolve("portfolio.yaml"), WITH_NEW_DEVICE_AND_POINT);
            assertThat(reload(harness, ENERGY_TOKEN).statusCode()).isEqualTo(403);
            HttpResponse<String> reloaded = reload(harness, ADMIN_TOKEN);
            assertThat(reloaded.statusCode()).isEqualTo(200);
            assertThat(reloaded.body()).contains("\"devices\":3");

            HttpResponse<String> accepted = harness.post("/api/v1/telemetry", "application/senml+json", pressure, "gw-new",
                    "new-device-secret");
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(204);
            assertThat(harness.countReadings(NEW_POINT)).isEqualTo(1);

            Files.writeString(dir.resolve("portfolio.yaml"), PORTFOLIO + "# touched\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int status;
            do {
                Thread.sleep(500);
                status = harness.post("/api/v1/telemetry", "application/senml+json", pressure, "gw-new", "new-device-secret")
                        .statusCode();
            } while (status != 401 && System.nanoTime() < deadline);
            assertThat(status).as("the removed device is refused once the watch reloaded the file").isEqualTo(401);
        }
    }

    /** A file that does not validate is refused with its errors and the registry in force stays. */
    @Test
    void anInvalidFileChangesNothing() throws Exception {
        try (GatewayHarness harness = GatewayHarness.start(dir, TestPostgres.shared().newDatabase(), Map.of())) {
            Files.writeString(dir.resolve("portfolio.yaml"), PORTFOLIO.replace("timezone: Europe/Paris", "timezone: Mars/Olympus"));
            HttpResponse<String> refused = reload(harness, ADMIN_TOKEN);
            assertThat(refused.statusCode()).isEqualTo(422);
            assertThat(refused.body()).contains("Mars/Olympus");
            assertThat(harness.post("/api/v1/telemetry", "application/senml+json",
                    GatewayHarness.boilerPack(Instant.now().getEpochSecond(), 70, 50), DEVICE, SECRET).statusCode()).isEqualTo(204);
        }
    }

    /** Rotating a device's secret in the portfolio closes the connections it opened with the old one. */
    @Test
    void aRotatedSecretClosesLiveConnections() throws Exception {
        try (GatewayHarness harness = GatewayHarness.start(dir, TestPostgres.shared().newDatabase(), Map.of())) {
            var client = new org.eclipse.paho.client.mqttv3.MqttAsyncClient(harness.mqttUri(), "rotation",
                    new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
            var options = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
            options.setUserName(DEVICE);
            options.setPassword(SECRET.toCharArray());
            client.connect(options).waitForCompletion(10_000);
            client.publish("telemetry/" + DEVICE, GatewayHarness.boilerPack(Instant.now().getEpochSecond(), 70, 50), 1, false)
                    .waitForCompletion(10_000);

            Files.writeString(dir.resolve("portfolio.yaml"), PORTFOLIO.replace("tilleuls-secret-1", "tilleuls-secret-2"));
            assertThat(reload(harness, ADMIN_TOKEN).statusCode()).isEqualTo(200);
            var token = client.publish("telemetry/" + DEVICE, GatewayHarness.boilerPack(Instant.now().getEpochSecond(), 71, 50), 1, false);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (client.isConnected() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(client.isConnected()).isFalse();
            assertThat(token.getException() != null || !token.isComplete()).isTrue();
            client.close(true);
        }
    }

    private static byte[] pressurePack() {
        return ("[{\"n\":\"" + NEW_POINT + "\",\"u\":\"bar\",\"v\":1.4}]").getBytes(StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> reload(GatewayHarness harness, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(harness.httpBase() + "/api/v1/admin/portfolio/reload"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
