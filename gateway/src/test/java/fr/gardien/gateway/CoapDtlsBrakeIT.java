package fr.gardien.gateway;

import static fr.gardien.gateway.GatewayHarness.DEVICE;
import static fr.gardien.gateway.GatewayHarness.OTHER_DEVICE;
import static fr.gardien.gateway.GatewayHarness.OTHER_SECRET;
import static fr.gardien.gateway.GatewayHarness.SECRET;
import static fr.gardien.gateway.GatewayHarness.boilerPack;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The brake on credential guessing over CoAP/DTLS-PSK (issue 15), with Californium's DTLS client
 * bound to loopback addresses of its own (127.0.0.x): a guess is a handshake with a wrong key.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CoapDtlsBrakeIT {

    @RegisterExtension
    static final GatewayHarness harness = GatewayHarness.perClass(
            Map.of("auth.max-failures", "5", "auth.device-max-failures", "8", "auth.block-time", "1m"));

    /**
     * Wrong keys from one address are counted; past the threshold even the right key from there
     * gets no session (its handshake is dropped unread), while the right key from another address
     * still does.
     */
    @Test
    void wrongKeysFromOneAddressCloseItButNotAnotherAddress() throws Exception {
        String attacker = "127.0.0.50";
        guessInParallel(attacker, DEVICE, 5);
        assertThat(counter("wrong-secret")).isGreaterThanOrEqualTo(5);

        assertThat(post(attacker, DEVICE, SECRET)).as("the right key, from the guessing address").isNull();
        assertThat(counter("refused")).isGreaterThanOrEqualTo(1);

        CoapResponse other = post("127.0.0.51", DEVICE, SECRET);
        assertThat(other).as("the right key from another address").isNotNull();
        assertThat(other.getCode()).isEqualTo(ResponseCode.CHANGED);
    }

    /**
     * Guessing one device from many addresses closes it to addresses it never used, never to the
     * one its right key came from before.
     */
    @Test
    void aDeviceGuessedFromManyAddressesStaysOpenFromItsUsualAddress() throws Exception {
        String usual = "127.0.0.60";
        // The pack is of another site's points: 4.03, but the handshake, hence the key, was right.
        assertThat(post(usual, OTHER_DEVICE, OTHER_SECRET)).isNotNull();
        for (int source = 61; source < 65; source++) {
            guessInParallel("127.0.0." + source, OTHER_DEVICE, 2);
        }
        assertThat(post("127.0.0.70", OTHER_DEVICE, OTHER_SECRET)).as("a new address").isNull();
        CoapResponse fromUsual = post(usual, OTHER_DEVICE, OTHER_SECRET);
        assertThat(fromUsual).as("its usual address").isNotNull();
        assertThat(fromUsual.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
    }

    /** {@code count} handshakes with a wrong key for {@code device} from {@code from}, at once; none answered. */
    private static void guessInParallel(String from, String device, int count) throws Exception {
        List<CompletableFuture<CoapResponse>> guesses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = "guess-" + i;
            guesses.add(CompletableFuture.supplyAsync(() -> post(from, device, key)));
        }
        for (CompletableFuture<CoapResponse> guess : guesses) {
            assertThat(guess.get(30, TimeUnit.SECONDS)).isNull();
        }
    }

    /** One confirmable POST of a pack in a new DTLS session; {@code null} when nothing came back within 4 s. */
    private static CoapResponse post(String from, String device, String key) {
        try (CoapTestClient client = CoapTestClient.dtlsFrom(from, harness.gateway.coapDtlsPort(), device, key, 4_000)) {
            return client.post(boilerPack(Instant.now().getEpochSecond(), 70, 50), MediaTypeRegistry.APPLICATION_SENML_JSON);
        }
    }

    private static double counter(String outcome) throws Exception {
        String metrics = harness.get("/metrics", null).body();
        Matcher m = Pattern.compile("gardien_auth_failures_total\\{[^}]*outcome=\"" + outcome
                + "\",protocol=\"coap\"[^}]*} ([0-9.E]+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
