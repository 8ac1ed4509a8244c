package fr.gardien.gateway.auth;

import fr.gardien.gateway.registry.Registry;
import fr.gardien.gateway.registry.SecretHasher;
import fr.gardien.model.ApiToken;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Authenticates bearer tokens of the HTTP API against the registry's salted hashes. A token is
 * not an id, so a new one is tried against every stored hash on a worker thread; once verified,
 * its keyed fingerprint finds the token again with one HMAC. Revoking or changing a token in the
 * portfolio takes effect at the next request: the remembered proof must still match the
 * registry's hash.
 */
public final class TokenAuthenticator {

    private static final int MAX_REMEMBERED = 10_000;

    private final Supplier<Registry> registry;
    private final SecretHasher hasher;
    private final SlowChecks slowChecks;
    private final SecretFingerprints fingerprints = new SecretFingerprints();
    private final Map<ByteBuffer, Proof> verified = new ConcurrentHashMap<>();

    public TokenAuthenticator(Supplier<Registry> registry, SecretHasher hasher, WorkerExecutor executor, int maxPending) {
        this.registry = registry;
        this.hasher = hasher;
        this.slowChecks = new SlowChecks(executor, maxPending);
    }

    /**
     * @return a future completed with the token's registry entry, or failed with an
     *     {@link AuthException}
     */
    public Future<ApiToken> authenticate(String token) {
        if (token == null || token.isEmpty()) {
            return Future.failedFuture(new AuthException(AuthException.Reason.MISSING_CREDENTIALS, "bearer token missing"));
        }
        Registry current = registry.get();
        ByteBuffer fingerprint = ByteBuffer.wrap(fingerprints.of(token));
        Proof proof = verified.get(fingerprint);
        if (proof != null) {
            for (ApiToken candidate : current.apiTokens()) {
                if (candidate.name().equals(proof.name) && candidate.tokenHash().equals(proof.tokenHash)) {
                    return Future.succeededFuture(candidate);
                }
            }
            verified.remove(fingerprint);
        }
        return slowChecks.run(() -> find(current, token)).compose(found -> {
            if (found == null) {
                return Future.failedFuture(new AuthException(AuthException.Reason.BAD_CREDENTIALS, "unknown or revoked token"));
            }
            if (verified.size() >= MAX_REMEMBERED) {
                verified.clear();
            }
            verified.put(fingerprint, new Proof(found.name(), found.tokenHash()));
            return Future.succeededFuture(found);
        });
    }

    private ApiToken find(Registry current, String token) {
        for (ApiToken candidate : current.apiTokens()) {
            if (hasher.verify(token, candidate.tokenHash())) {
                return candidate;
            }
        }
        return null;
    }

    private record Proof(String name, String tokenHash) {
    }
}
