package fr.gardien.gateway.ticketing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import fr.gardien.gateway.config.ConfigException;
import fr.gardien.gateway.config.ConfigLoader;
import fr.gardien.gateway.config.GardienConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ticketing.callback} read from the configuration file. */
class CallbackConfigTest {

    @TempDir
    Path dir;

    GardienConfig load(String yaml) throws Exception {
        Path file = dir.resolve("gardien.yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.load(file, Map.of());
    }

    /** No ticketing section, or none for the callback: the endpoint is off. */
    @Test
    void absentMeansDisabled() throws Exception {
        assertThat(CallbackConfig.from(load("http.port: 0\n")).enabled()).isFalse();
        assertThat(CallbackConfig.from(load("ticketing:\n  default: x\n")).enabled()).isFalse();
    }

    /** A secret of 32 characters or more enables it; it never shows in the text. */
    @Test
    void secretIsReadAndMasked() throws Exception {
        CallbackConfig config = CallbackConfig.from(load("ticketing:\n  callback:\n    secret: \"0123456789abcdef0123456789abcdef\"\n"));
        assertThat(config.secret()).hasValue("0123456789abcdef0123456789abcdef");
        assertThat(config.toString()).doesNotContain("0123456789abcdef");
    }

    /** A short secret and an unknown key are both reported, with their lines, and the secret is not echoed. */
    @Test
    void errorsNameTheLineAndHideTheSecret() throws Exception {
        ConfigException e = catchThrowableOfType(() -> CallbackConfig.from(
                load("ticketing:\n  callback:\n    secret: short-secret\n    algo: md5\n")), ConfigException.class);
        assertThat(e.errors()).hasSize(2);
        assertThat(e.errors().get(0)).endsWith(":4: ticketing.callback.algo: unknown key (known: secret)");
        assertThat(e.errors().get(1)).endsWith(":3: ticketing.callback.secret: expected at least 32 characters, got 12");
        assertThat(e.getMessage()).doesNotContain("short-secret");
    }
}
