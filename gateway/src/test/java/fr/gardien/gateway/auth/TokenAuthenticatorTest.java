package fr.gardien.gateway.auth;

import fr.gardien.gateway.registry.IssuedTokens;
import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.gateway.registry.Registry;
import fr.gardien.gateway.registry.SecretHasher;
import fr.gardien.model.ApiToken;
import fr.gardien.storage.access.StoredRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bearer tokens: API-created ones by their SHA-256, portfolio ones by PBKDF2, expiry, revocation. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TokenAuthenticatorTest {

    static final Instant NOW = Instant.parse("2026-11-22T01:00:00Z");
    static final SecretHasher HASHER = new SecretHasher(1_000);

    Vertx vertx;
    WorkerExecutor executor;
    final AtomicReference<Registry> registry = new AtomicReference<>();
    TokenAuthenticator authenticator;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        executor = vertx.createSharedWorkerExecutor("token-test", 1);
        authenticator = new TokenAuthenticator(registry::get, HASHER, executor, 8, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    void tokens(ApiToken... tokens) {
        registry.set(Registry.of(new StoredRegistry(List.of(), List.of(), List.of(), List.of(tokens))));
    }

    String authenticate(String token) throws Exception {
        try {
            return authenticator.authenticate(token).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).name();
        } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(AuthException.class);
            return null;
        }
    }

    /** A new token has the prefix, 256 random bits, never repeats, and its stored form is its SHA-256 only. */
    @Test
    void newTokensAreRandomAndStoredAsTheirDigest() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String token = IssuedTokens.newToken();
            assertThat(token).matches("gdn_[A-Za-z0-9_-]{43}");
            assertThat(seen.add(token)).isTrue();
        }
        String token = IssuedTokens.newToken();
        String hash = IssuedTokens.hash(token);
        assertThat(hash).matches("sha256\\$[0-9a-f]{64}").doesNotContain(token.substring(4));
        assertThat(IssuedTokens.hash(token)).isEqualTo(hash);
        assertThat(IssuedTokens.isIssuedHash(hash)).isTrue();
        assertThat(IssuedTokens.isIssuedHash(HASHER.hash("a-portfolio-token"))).isFalse();
    }

    /** API-created and portfolio tokens are both found; a wrong one is refused. */
    @Test
    void findsApiAndPortfolioTokens() throws Exception {
        String issued = IssuedTokens.newToken();
        tokens(new ApiToken("file", HASHER.hash("portfolio-token-1"), "admin", List.of("*")),
                new ApiToken("api", IssuedTokens.hash(issued), "energy-analyst", List.of("*")));
        assertThat(authenticate(issued)).isEqualTo("api");
        assertThat(authenticate("portfolio-token-1")).isEqualTo("file");
        assertThat(authenticate("portfolio-token-1")).as("remembered").isEqualTo("file");
        assertThat(authenticate(issued + "x")).isNull();
        assertThat(authenticate("")).isNull();
    }

    /** An expired token is refused, and one revoked is refused at the next request and no longer valid for open streams. */
    @Test
    void expiredAndRevokedTokensAreRefused() throws Exception {
        String live = IssuedTokens.newToken();
        String expired = IssuedTokens.newToken();
        ApiToken liveToken = new ApiToken("live", IssuedTokens.hash(live), "admin", List.of("*"), NOW.plusSeconds(1));
        tokens(liveToken, new ApiToken("expired", IssuedTokens.hash(expired), "admin", List.of("*"), NOW));
        assertThat(authenticate(live)).isEqualTo("live");
        assertThat(authenticate(expired)).isNull();
        assertThat(authenticator.stillValid(liveToken)).isTrue();

        tokens();
        assertThat(authenticate(live)).isNull();
        assertThat(authenticator.stillValid(liveToken)).isFalse();
    }
}
