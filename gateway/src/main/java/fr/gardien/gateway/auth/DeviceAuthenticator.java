package fr.gardien.gateway.auth;

import fr.gardien.gateway.registry.RegistryView;
import fr.gardien.gateway.registry.Registry;
import fr.gardien.gateway.registry.SecretHasher;
import fr.gardien.model.Device;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authenticates devices by id and secret against the registry's salted hashes, for every
 * protocol. The slow hash runs on a small worker pool, never on an event loop; a secret verified
 * once is recognised again by its keyed fingerprint, so reconnections and HTTP requests cost one
 * HMAC. A changed secret hash in the registry invalidates the remembered proof.
 */
public final class DeviceAuthenticator {

    private final RegistryView registry;
    private final SecretHasher hasher;
    private final SlowChecks slowChecks;
    private final String unknownDeviceHash;
    private final SecretFingerprints fingerprints = new SecretFingerprints();
    private final Map<String, Proof> verified = new ConcurrentHashMap<>();
    private final AuthBrake brake;

    /**
     * @param executor the worker pool for hash verifications
     * @param maxPending verifications that may wait for the pool before new ones are refused
     *     as {@link AuthException.Reason#BUSY} (a flood of bad credentials must not queue
     *     without bound)
     */
    public DeviceAuthenticator(RegistryView registry, SecretHasher hasher, WorkerExecutor executor, int maxPending,
            AuthBrake brake) {
        this.brake = brake;
        this.registry = registry;
        this.hasher = hasher;
        this.slowChecks = new SlowChecks(executor, maxPending);
        this.unknownDeviceHash = hasher.hash("no device has this secret " + System.nanoTime());
    }

    /**
     * As {@link #authenticate(String, String)}, behind the brake on guessing: failures are
     * counted for the device and the address, and past their thresholds the attempt is refused
     * unchecked ({@link AuthException.Reason#THROTTLED}).
     *
     * @param address the peer's IP address, {@code null} when unknown
     */
    public Future<Device> authenticate(String protocol, String deviceId, String secret, String address) {
        return brake.guard(protocol, deviceId, address, () -> authenticate(deviceId, secret));
    }

    /**
     * @return a future completed with the device, or failed with an {@link AuthException}
     */
    public Future<Device> authenticate(String deviceId, String secret) {
        if (deviceId == null || deviceId.isEmpty() || secret == null || secret.isEmpty()) {
            return Future.failedFuture(new AuthException(AuthException.Reason.MISSING_CREDENTIALS, "credentials missing"));
        }
        Device device = registry.current().device(deviceId);
        if (device == null) {
            // Same work as for a known device, so that the answer's delay does not tell which ids exist.
            return slowChecks.run(() -> hasher.verify(secret, unknownDeviceHash)).compose(ok -> Future.failedFuture(badCredentials()));
        }
        byte[] fingerprint = fingerprints.of(secret);
        Proof proof = verified.get(deviceId);
        if (proof != null && proof.secretHash.equals(device.secretHash())
                && MessageDigest.isEqual(proof.fingerprint, fingerprint)) {
            return Future.succeededFuture(device);
        }
        return slowChecks.run(() -> hasher.verify(secret, device.secretHash())).compose(ok -> {
            if (!ok) {
                return Future.failedFuture(badCredentials());
            }
            verified.put(deviceId, new Proof(device.secretHash(), fingerprint));
            return Future.succeededFuture(device);
        });
    }

    /**
     * A device authenticated by its client certificate (issue 14, {@code mqtt.tls.client-ca}): the
     * TLS handshake proved that a certificate signed by the configured authority names
     * {@code deviceId}; the device must still be in the registry. Behind the brake like a secret.
     *
     * @return a future completed with the device, or failed with an {@link AuthException}
     *     ({@code BAD_CREDENTIALS} for an id the registry does not know)
     */
    public Future<Device> authenticateByCertificate(String protocol, String deviceId, String address) {
        return brake.guard(protocol, deviceId, address, () -> {
            Device device = deviceId == null || deviceId.isEmpty() ? null : registry.current().device(deviceId);
            return device == null ? Future.failedFuture(badCredentials()) : Future.succeededFuture(device);
        });
    }

    private static AuthException badCredentials() {
        return new AuthException(AuthException.Reason.BAD_CREDENTIALS, "unknown device or wrong secret");
    }

    private record Proof(String secretHash, byte[] fingerprint) {
    }
}
