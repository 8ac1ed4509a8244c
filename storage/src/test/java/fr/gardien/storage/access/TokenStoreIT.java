package fr.gardien.storage.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.gardien.model.ApiToken;
import fr.gardien.model.Equipment;
import fr.gardien.model.PointSpec;
import fr.gardien.model.Portfolio;
import fr.gardien.model.Site;
import fr.gardien.storage.db.StorageException;
import fr.gardien.storage.testing.FreshDatabase;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Tokens created through the API next to the portfolio's: creation, listing, revocation, reloads. */
@Timeout(60)
class TokenStoreIT {

    private static final Instant NOW = Instant.parse("2026-11-22T01:00:00Z");
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    private RegistryStore registry;
    private TokenStore tokens;

    @BeforeEach
    void open() {
        registry = new RegistryStore(db.dataSource());
        tokens = new TokenStore(db.dataSource());
    }

    private static Portfolio portfolio(List<ApiToken> apiTokens) {
        return new Portfolio(List.of(new Site("tilleuls", "Les Tilleuls", ZoneId.of("Europe/Paris"), List.of(
                new Equipment("boiler-1", "boiler", List.of(new PointSpec("supply_temp", "Cel", "heat")))))),
                List.of(), apiTokens);
    }

    /** A created token is listed without its hash, loaded with it for authentication, and its name is unique. */
    @Test
    void aCreatedTokenIsListedAndLoadedAndItsNameIsUnique() {
        registry.apply(portfolio(List.of(new ApiToken("admin", "phash", "admin", List.of("*")))));
        ApiToken created = new ApiToken("dashboard-tilleuls", "sha256$abcd", "building-manager", List.of("tilleuls"),
                NOW.plusSeconds(3600));

        assertThat(tokens.create(created, "admin", NOW)).isTrue();
        assertThat(tokens.create(new ApiToken("dashboard-tilleuls", "sha256$ffff", "admin", List.of("*")), "admin", NOW))
                .as("same name").isFalse();
        assertThat(tokens.create(new ApiToken("admin", "sha256$eeee", "admin", List.of("*")), "admin", NOW))
                .as("a portfolio token's name").isFalse();

        assertThat(tokens.list()).containsExactly(
                tokens.list().get(0),
                new IssuedToken("dashboard-tilleuls", "building-manager", List.of("tilleuls"), "api", NOW, "admin",
                        NOW.plusSeconds(3600)));
        assertThat(tokens.list().get(0).source()).isEqualTo("portfolio");
        assertThat(tokens.tokens()).containsExactly(new ApiToken("admin", "phash", "admin", List.of("*")), created);
        assertThat(registry.load().apiTokens()).contains(created);
    }

    /** A portfolio reload keeps API-created tokens, and refuses to declare one of their names. */
    @Test
    void aPortfolioReloadKeepsApiTokensAndRefusesTheirNames() {
        registry.apply(portfolio(List.of(new ApiToken("admin", "phash", "admin", List.of("*")))));
        ApiToken created = new ApiToken("script", "sha256$1234", "energy-analyst", List.of("*"));
        tokens.create(created, "admin", NOW);

        StoredRegistry reloaded = registry.apply(portfolio(List.of(new ApiToken("other", "phash2", "admin", List.of("*")))));
        assertThat(reloaded.apiTokens()).extracting(ApiToken::name).containsExactly("other", "script");

        assertThatThrownBy(() -> registry.apply(portfolio(List.of(new ApiToken("script", "phash3", "admin", List.of("*"))))))
                .isInstanceOf(StorageException.class).hasMessageContaining("[script]");
        assertThat(registry.load().apiTokens()).contains(created);
    }

    /** Revocation deletes an API token, reports an unknown name, and leaves a portfolio token to its file. */
    @Test
    void revocationDeletesApiTokensOnly() {
        registry.apply(portfolio(List.of(new ApiToken("admin", "phash", "admin", List.of("*")))));
        tokens.create(new ApiToken("script", "sha256$1234", "energy-analyst", List.of("*")), "admin", NOW);

        assertThat(tokens.revoke("script")).isEqualTo(TokenStore.Revocation.REVOKED);
        assertThat(tokens.revoke("script")).isEqualTo(TokenStore.Revocation.NOT_FOUND);
        assertThat(tokens.revoke("admin")).isEqualTo(TokenStore.Revocation.PORTFOLIO);
        assertThat(tokens.tokens()).extracting(ApiToken::name).containsExactly("admin");
    }
}
