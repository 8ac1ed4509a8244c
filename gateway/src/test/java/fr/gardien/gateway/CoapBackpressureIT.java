package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.DEVICE;
import static fr.gardien.gateway.GatewayHarness.SECRET;
import static fr.gardien.gateway.GatewayHarness.SUPPLY;
import static fr.gardien.gateway.GatewayHarness.boilerPack;
import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.storage.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** CoAP under a saturated writer (the readings table locked), and with the default configuration. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CoapBackpressureIT {

    private static final Pattern DROPPED = Pattern.compile(
            "gardien_ingest_messages_total\\{outcome=\"dropped\",protocol=\"coap\"} ([0-9.]+)");

    @TempDir
    Path dir;

    /**
     * With the writer saturated a confirmable POST is answered 5.03 with Max-Age, a
     * non-confirmable one is dropped and counted; the POSTs accepted before are answered 2.04
     * once the writer commits again, and all their readings are stored.
     */
    @Test
    void aSaturatedWriterAnswers503WithMaxAgeAndLosesNothingAccepted() throws Exception {
        try (GatewayHarness harness = GatewayHarness.start(dir, TestPostgres.shared().newDatabase(),
                GatewayHarness.SMALL_WRITER);
                Connection lock = harness.connect();
                CoapTestClient client = CoapTestClient.dtls(harness.gateway.coapDtlsPort(), DEVICE, SECRET)) {
            assertThat(client.post(boilerPack(Instant.now().getEpochSecond(), 60, 40), MediaTypeRegistry.APPLICATION_SENML_JSON)
                    .getCode()).as("a first exchange opens the DTLS session").isEqualTo(ResponseCode.CHANGED);
            long stored = harness.countReadings(SUPPLY);
            GatewayHarness.lockReadings(lock);

            long t0 = Instant.now().getEpochSecond() - 3600;
            List<CompletableFuture<CoapResponse>> accepted = new ArrayList<>();
            CoapResponse refused = null;
            for (int i = 0; i < 30 && refused == null; i++) {
                CompletableFuture<CoapResponse> response = client.postAsync(pack(t0 + i * 100L, 20),
                        MediaTypeRegistry.APPLICATION_SENML_JSON);
                try {
                    CoapResponse done = response.get(1, TimeUnit.SECONDS);
                    assertThat(done.getCode()).as("only a refusal can answer while the table is locked")
                            .isEqualTo(ResponseCode.SERVICE_UNAVAILABLE);
                    refused = done;
                } catch (TimeoutException stillWaiting) {
                    accepted.add(response);
                }
            }
            assertThat(refused).as("a 5.03 once the writer's queue is full").isNotNull();
            assertThat(refused.getOptions().getMaxAge()).isEqualTo(1);
            assertThat(refused.getResponseText()).contains("saturated");
            assertThat(accepted).hasSizeGreaterThanOrEqualTo(2);

            double droppedBefore = dropped(harness);
            try (CoapTestClient non = CoapTestClient.dtls(harness.gateway.coapDtlsPort(), DEVICE, SECRET).nonConfirmable()) {
                CoapResponse response = non.post(pack(t0 + 5000, 1), MediaTypeRegistry.APPLICATION_SENML_JSON);
                assertThat(response.getCode()).isEqualTo(ResponseCode.SERVICE_UNAVAILABLE);
            }
            assertThat(dropped(harness)).isGreaterThan(droppedBefore);

            lock.rollback();
            for (CompletableFuture<CoapResponse> response : accepted) {
                assertThat(response.get(60, TimeUnit.SECONDS).getCode()).isEqualTo(ResponseCode.CHANGED);
            }
            assertThat(harness.countReadings(SUPPLY)).isEqualTo(stored + accepted.size() * 20L);
        }
    }

    /** Without coap.plain-enabled no plain CoAP port is opened; DTLS is served. */
    @Test
    void plainCoapIsOffByDefault() throws Exception {
        try (GatewayHarness harness = GatewayHarness.start(dir, TestPostgres.shared().newDatabase(), Map.of())) {
            assertThat(harness.gateway.coapPort()).isEqualTo(-1);
            assertThat(harness.gateway.coapDtlsPort()).isPositive();
        }
    }

    private static double dropped(GatewayHarness harness) throws Exception {
        Matcher m = DROPPED.matcher(harness.get("/metrics", null, "text/plain").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** {@code records} supply temperatures one second apart from {@code epochSeconds}. */
    private static byte[] pack(long epochSeconds, int records) {
        StringBuilder json = new StringBuilder("[{\"bn\":\"tilleuls/boiler-1/\",\"bt\":").append(epochSeconds)
                .append(",\"n\":\"supply_temp\",\"u\":\"Cel\",\"v\":60,\"t\":0}");
        for (int i = 1; i < records; i++) {
            json.append(",{\"n\":\"supply_temp\",\"u\":\"Cel\",\"v\":").append(60 + i % 10).append(",\"t\":").append(i).append('}');
        }
        return json.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }
}
