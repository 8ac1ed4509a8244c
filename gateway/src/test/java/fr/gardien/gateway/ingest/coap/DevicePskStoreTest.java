package fr.gardien.gateway.ingest.coap;

import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.gateway.auth.AuthBrake;
import fr.gardien.gateway.ingest.IngestMetrics;
import fr.gardien.gateway.registry.CoapAccess;
import fr.gardien.gateway.registry.Registry;
import fr.gardien.model.Device;
import fr.gardien.storage.access.StoredRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.PskPublicInformation;
import org.eclipse.californium.scandium.dtls.PskSecretResult;
import org.junit.jupiter.api.Test;

class DevicePskStoreTest {

    private final List<String> counted = new ArrayList<>();
    private final IngestMetrics metrics = new IngestMetrics() {
        @Override
        public void readings(String protocol, String outcome, int count) {
        }

        @Override
        public void rejected(String protocol, String reason) {
        }

        @Override
        public void messages(String protocol, String outcome) {
            counted.add(protocol + ":" + outcome);
        }

        @Override
        public void connectionOpened(String protocol) {
        }

        @Override
        public void connectionClosed(String protocol) {
        }
    };

    private final Registry registry = Registry.of(new StoredRegistry(List.of(), List.of(),
            List.of(new Device("gw-1", "tilleuls", "hash-1"), new Device("gw-hashed", "tilleuls", "hash-2")),
            List.of()), Map.of("gw-1", new CoapAccess("secret-one", false), "gw-hashed", new CoapAccess(null, false)));
    private final List<String> braked = new ArrayList<>();
    private final AuthBrake authBrake = new AuthBrake(100, 2, Duration.ofMinutes(1), (p, o) -> braked.add(p + ":" + o));
    private final DevicePskStore store = new DevicePskStore(() -> registry, metrics, new DtlsBrake(authBrake));

    private PskSecretResult request(String identity) {
        return store.requestPskSecretResult(ConnectionId.EMPTY, null, new PskPublicInformation(identity), "HmacSHA256",
                null, new byte[0], false);
    }

    /** A known device's key is its secret in UTF-8, and its session remembers the secret hash it was opened with. */
    @Test
    void knownDeviceGetsItsSecretAsKeyAndTheHashAsSessionInfo() {
        PskSecretResult result = request("gw-1");

        assertThat(result.getSecret().getEncoded()).isEqualTo("secret-one".getBytes(StandardCharsets.UTF_8));
        assertThat(result.getCustomArgument()).isEqualTo("hash-1");
        PreSharedKeyIdentity principal = new PreSharedKeyIdentity("gw-1")
                .amend(store.getInfo(new PreSharedKeyIdentity("gw-1"), result.getCustomArgument()));
        assertThat(DevicePskStore.secretHashOf(principal)).isEqualTo("hash-1");
        assertThat(counted).isEmpty();
    }

    /** An unknown identity, or a device known only by its hash, gets no key: the handshake fails and is counted. */
    @Test
    void unknownOrHashOnlyDevicesGetNoKey() {
        assertThat(request("gw-nobody").getSecret()).isNull();
        assertThat(request("gw-hashed").getSecret()).isNull();
        assertThat(counted).containsExactly("coap:unauthorized", "coap:unauthorized");
        assertThat(braked).as("failures for the brake").containsExactly("coap:wrong-secret", "coap:wrong-secret");
    }

    /** A device the brake refuses gets no key, even a known one, and the refusal is counted. */
    @Test
    void aDeviceTheBrakeRefusesGetsNoKey() {
        authBrake.failed("coap", "gw-1", null);
        authBrake.failed("coap", "gw-1", null);

        assertThat(request("gw-1").getSecret()).isNull();
        assertThat(braked).endsWith("coap:refused");
        assertThat(counted).as("not looked up").isEmpty();
    }
}
