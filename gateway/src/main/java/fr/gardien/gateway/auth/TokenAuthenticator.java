package fr.gardien.gateway.auth;

import fr.gardien.gateway.registry.RegistryView;
import fr.gardien.gateway.registry.IssuedTokens;
import fr.gardien.gateway.registry.Registry;
import fr.gardien.gateway.registry.SecretHasher;
import fr.gardien.model.ApiToken;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authenticates bearer tokens of the HTTP API against the registry. A token created through the
 * API is found by its SHA-256 ({@link IssuedTokens}) with one digest and one map read. A
 * portfolio token has a salted PBKDF2 hash and is not an id, so a new one is tried against every
 * such hash on a worker thread; once verified, its keyed fingerprint finds the token again with
 * one HMAC. Revoking or changing a token takes effect at the next request: the remembered proof
 * must still match the registry's hash. An expired token is refused.
 */
public final class TokenAuthenticator {

    private static final int MAX_REMEMBERED = 10_000;

    private final RegistryView registry;
    private final SecretHasher hasher;
    private final SlowChecks slowChecks;
    private final Clock clock;
    private final SecretFingerprints fingerprints = new SecretFingerprints();
    private final Map<ByteBuffer, Proof> verified = new ConcurrentHashMap<>();

    public TokenAuthenticator(RegistryView registry, SecretHasher hasher, WorkerExecutor executor, int maxPending,
            Clock clock) {
        this.registry = registry;
        this.hasher = hasher;
        this.slowChecks = new SlowChecks(executor, maxPending);
        this.clock = clock;
    }

    /**
     * @return a future completed with the token's registry entry, or failed with an
     *     {@link AuthException} ({@code BAD_CREDENTIALS} unknown, revoked or expired; {@code BUSY}
     *     too many slow checks waiting)
     */
    public Future<ApiToken> authenticate(String token) {
        if (token == null || token.isEmpty()) {
            return Future.failedFuture(new AuthException(AuthException.Reason.MISSING_CREDENTIALS, "bearer token missing"));
        }
        Registry current = registry.current();
        ApiToken issued = current.issuedToken(IssuedTokens.hash(token));
        if (issued != null) {
            return valid(issued);
        }
        ByteBuffer fingerprint = ByteBuffer.wrap(fingerprints.of(token));
        Proof proof = verified.get(fingerprint);
        if (proof != null) {
            ApiToken candidate = current.apiToken(proof.name);
            if (candidate != null && candidate.tokenHash().equals(proof.tokenHash)) {
                return valid(candidate);
            }
            verified.remove(fingerprint);
        }
        return slowChecks.run(() -> find(current, token)).compose(found -> {
            if (found != null) {
                if (verified.size() >= MAX_REMEMBERED) {
                    verified.clear();
                }
                verified.put(fingerprint, new Proof(found.name(), found.tokenHash()));
            }
            return valid(found);
        });
    }

    /** True while the token is still in the registry with the same hash and not expired (for open streams). */
    public boolean stillValid(ApiToken token) {
        ApiToken now = registry.current().apiToken(token.name());
        return now != null && now.tokenHash().equals(token.tokenHash()) && !now.expired(clock.instant());
    }

    private Future<ApiToken> valid(ApiToken token) {
        if (token == null || token.expired(clock.instant())) {
            return Future.failedFuture(new AuthException(AuthException.Reason.BAD_CREDENTIALS, "unknown, revoked or expired token"));
        }
        return Future.succeededFuture(token);
    }

    private ApiToken find(Registry current, String token) {
        for (ApiToken candidate : current.apiTokens()) {
            if (!IssuedTokens.isIssuedHash(candidate.tokenHash()) && hasher.verify(token, candidate.tokenHash())) {
                return candidate;
            }
        }
        return null;
    }

    private record Proof(String name, String tokenHash) {
    }
}
