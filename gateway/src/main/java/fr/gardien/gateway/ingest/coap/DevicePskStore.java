package fr.gardien.gateway.ingest.coap;

import fr.gardien.gateway.registry.RegistryView;
import fr.gardien.gateway.ingest.IngestMetrics;
import fr.gardien.gateway.registry.CoapAccess;
import fr.gardien.gateway.registry.Registry;
import fr.gardien.model.Device;
import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.Arrays;
import java.util.Map;
import javax.crypto.SecretKey;
import org.eclipse.californium.elements.auth.AdditionalInfo;
import org.eclipse.californium.elements.auth.ExtensiblePrincipal;
import org.eclipse.californium.scandium.auth.ApplicationLevelInfoSupplier;
import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.HandshakeResultHandler;
import org.eclipse.californium.scandium.dtls.PskPublicInformation;
import org.eclipse.californium.scandium.dtls.PskSecretResult;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedPskStore;
import org.eclipse.californium.scandium.util.SecretUtil;
import org.eclipse.californium.scandium.util.ServerNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DTLS-PSK keys of the registry's devices: identity = device id, key = the device's secret
 * (contract: "Device protocols"). A look-up is one read of the in-memory registry snapshot, so it
 * answers synchronously on Scandium's handshake thread without blocking it. The brake on
 * guessing ({@link DtlsBrake}) is asked first: a refused device or address gets no key.
 *
 * <p>The session remembers the salted hash the device had at handshake time (as additional
 * information of its principal): a request whose session predates a change of secret is refused
 * (see {@link CoapTelemetryHandler}), since a DTLS session outlives the key that opened it.
 */
final class DevicePskStore implements AdvancedPskStore, ApplicationLevelInfoSupplier {

    /** The key of the secret hash in the principal's additional information. */
    static final String SECRET_HASH = "gardien.secret-hash";

    private static final Logger log = LoggerFactory.getLogger(DevicePskStore.class);

    private final RegistryView registry;
    private final IngestMetrics metrics;
    private final DtlsBrake brake;

    DevicePskStore(RegistryView registry, IngestMetrics metrics, DtlsBrake brake) {
        this.registry = registry;
        this.metrics = metrics;
        this.brake = brake;
    }

    @Override
    public boolean hasEcdhePskSupported() {
        return true;
    }

    @Override
    public PskSecretResult requestPskSecretResult(ConnectionId cid, ServerNames serverName, PskPublicInformation identity,
            String hmacAlgorithm, SecretKey otherSecret, byte[] seed, boolean useExtendedMasterSecret) {
        String deviceId = identity.getPublicInfoAsString();
        if (brake.refused(deviceId)) {
            // The brake on guessing: no key, so the handshake goes no further (Scandium then drops it
            // silently, as it does an unknown identity).
            return new PskSecretResult(cid, identity, null);
        }
        Registry current = registry.current();
        Device device = current.device(deviceId);
        CoapAccess access = current.coapAccess(deviceId);
        byte[] key = device == null || access == null ? null : access.pskBytes();
        if (key == null) {
            // Unknown device, or one whose portfolio entry gives only secret-hash: the handshake fails.
            log.debug("DTLS-PSK identity without a key [identity length: {}]", deviceId.length());
            metrics.messages(CoapTelemetryHandler.PROTOCOL, "unauthorized");
            brake.unknownIdentity(deviceId);
            return new PskSecretResult(cid, identity, null);
        }
        SecretKey secret = SecretUtil.create(key, PskSecretResult.ALGORITHM_PSK);
        Arrays.fill(key, (byte) 0);
        return new PskSecretResult(cid, identity, secret, device.secretHash());
    }

    @Override
    public PskPublicInformation getIdentity(InetSocketAddress peerAddress, ServerNames virtualHost) {
        return null; // a server never starts a handshake
    }

    @Override
    public void setResultHandler(HandshakeResultHandler resultHandler) {
        // answers are synchronous: no handler needed
    }

    @Override
    public AdditionalInfo getInfo(Principal peerIdentity, Object customArgument) {
        return customArgument instanceof String hash ? AdditionalInfo.from(Map.of(SECRET_HASH, hash)) : null;
    }

    /** The secret hash a session was opened with, or {@code null}. */
    static String secretHashOf(Principal principal) {
        if (principal instanceof ExtensiblePrincipal<?> extensible && extensible.getExtendedInfo() != null) {
            return extensible.getExtendedInfo().get(SECRET_HASH, String.class);
        }
        return null;
    }
}
