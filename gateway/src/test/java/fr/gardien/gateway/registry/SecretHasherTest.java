package fr.gardien.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretHasherTest {

    private final SecretHasher hasher = new SecretHasher(1_000);

    /** A hash verifies its own secret and no other. */
    @Test
    void verifiesTheRightSecretOnly() {
        String hash = hasher.hash("change-me-please");

        assertThat(hash).startsWith("pbkdf2-sha256$1000$").doesNotContain("change-me-please");
        assertThat(SecretHasher.isEncodedHash(hash)).isTrue();
        assertThat(hasher.verify("change-me-please", hash)).isTrue();
        assertThat(hasher.verify("change-me-pleasE", hash)).isFalse();
        assertThat(hasher.verify("", hash)).isFalse();
        assertThat(hasher.verify(null, hash)).isFalse();
    }

    /** The format is the documented one: 16-byte salt, 32-byte hash. */
    @Test
    void hashHasTheDocumentedShape() {
        String[] parts = hasher.hash("change-me-please").split("\\$");

        assertThat(parts).hasSize(4);
        assertThat(Base64.getDecoder().decode(parts[2])).hasSize(16);
        assertThat(Base64.getDecoder().decode(parts[3])).hasSize(32);
    }

    /** The same secret hashed twice gets different salts, hence different hashes. */
    @Test
    void saltsDiffer() {
        String a = hasher.hash("same-secret");
        String b = hasher.hash("same-secret");

        assertThat(a.split("\\$")[2]).isNotEqualTo(b.split("\\$")[2]);
        assertThat(a).isNotEqualTo(b);
        assertThat(hasher.verify("same-secret", a)).isTrue();
        assertThat(hasher.verify("same-secret", b)).isTrue();
    }

    /** Verification uses the iteration count stored in the hash, not the hasher's own. */
    @Test
    void verifiesHashesMadeWithAnotherIterationCount() {
        String hash = new SecretHasher(10).hash("change-me-please");
        assertThat(hasher.verify("change-me-please", hash)).isTrue();
    }

    /** Known answer, so that other tools can produce compatible hashes. */
    @Test
    void matchesAnIndependentPbkdf2Computation() {
        // python3 -c "import hashlib,base64; print(base64.b64encode(
        //     hashlib.pbkdf2_hmac('sha256', b'passwd', b'saltsalt', 1, 32)).decode())"
        String encoded = "pbkdf2-sha256$1$c2FsdHNhbHQ=$lDmP6RuFMH8YWoefiEoq4eTqKXQV5Oep0voixqMnpBw=";

        assertThat(hasher.verify("passwd", encoded)).isTrue();
        assertThat(hasher.verify("passwe", encoded)).isFalse();
    }

    /** Malformed hashes give false, never an exception. */
    @Test
    void malformedHashesAreFalse() {
        String good = hasher.hash("change-me-please");
        String[] parts = good.split("\\$");
        String[] malformed = {
            null, "", "change-me-please", "pbkdf2-sha256$", "pbkdf2-sha256$1000$$",
            "pbkdf2-sha1$1000$" + parts[2] + "$" + parts[3],
            "pbkdf2-sha256$0$" + parts[2] + "$" + parts[3],
            "pbkdf2-sha256$-5$" + parts[2] + "$" + parts[3],
            "pbkdf2-sha256$99999999999$" + parts[2] + "$" + parts[3],
            "pbkdf2-sha256$abc$" + parts[2] + "$" + parts[3],
            "pbkdf2-sha256$1000$" + parts[2] + "$" + parts[3].substring(4),
            "pbkdf2-sha256$1000$!!!!$" + parts[3],
            "pbkdf2-sha256$1000$" + parts[2] + "$" + parts[3] + "$extra",
        };
        for (String hash : malformed) {
            assertThat(hasher.verify("change-me-please", hash)).as("%s", hash).isFalse();
            assertThat(SecretHasher.isEncodedHash(hash)).as("%s", hash).isFalse();
        }
    }

    /** An empty secret cannot be hashed, and iterations must be positive. */
    @Test
    void refusesEmptySecretsAndBadIterations() {
        assertThatThrownBy(() -> hasher.hash("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SecretHasher(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
