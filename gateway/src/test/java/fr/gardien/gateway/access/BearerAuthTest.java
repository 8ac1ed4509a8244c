package fr.gardien.gateway.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Reading the token from an Authorization header: Bearer everywhere, Basic only where allowed. */
class BearerAuthTest {

    static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    /** A bearer token is read on every route; Basic only on the routes that accept it, the password being the token. */
    @Test
    void readsBearerAlwaysAndBasicOnlyWhereAllowed() {
        assertThat(BearerAuth.presented("Bearer abc", false)).isEqualTo("abc");
        assertThat(BearerAuth.presented("bearer  abc ", false)).isEqualTo("abc");
        assertThat(BearerAuth.presented(basic("reader:tok:en"), false)).isNull();
        assertThat(BearerAuth.presented(basic("reader:tok:en"), true)).isEqualTo("tok:en");
        assertThat(BearerAuth.presented(basic(":tok"), true)).isEqualTo("tok");
    }

    /** Missing, empty or malformed credentials give no token. */
    @Test
    void malformedCredentialsGiveNoToken() {
        assertThat(BearerAuth.presented(null, true)).isNull();
        assertThat(BearerAuth.presented("Bearer ", true)).isNull();
        assertThat(BearerAuth.presented(basic("reader:"), true)).isNull();
        assertThat(BearerAuth.presented(basic("no-colon"), true)).isNull();
        assertThat(BearerAuth.presented("Basic !!!not-base64", true)).isNull();
        assertThat(BearerAuth.presented("Digest x", true)).isNull();
    }
}
