package fr.gardien.gateway.ticketing;

import fr.gardien.gateway.config.ConfigException;
import fr.gardien.gateway.config.GardienConfig;
import fr.gardien.rules.yaml.YamlNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ticket callback's configuration: {@code ticketing.callback.secret}, the HMAC key shared
 * with the ticketing system. Without it the callback endpoint is off (it answers 404).
 * {@link #toString} masks the secret.
 *
 * @param secret the shared secret, at least {@value #MIN_SECRET_CHARS} characters; empty when off
 */
public record CallbackConfig(Optional<String> secret) {

    /** 32 characters: a key an attacker cannot guess offline from one signed request. */
    public static final int MIN_SECRET_CHARS = 32;

    public static final CallbackConfig DISABLED = new CallbackConfig(Optional.empty());

    public CallbackConfig {
        secret.ifPresent(s -> {
            if (s.length() < MIN_SECRET_CHARS) {
                throw new IllegalArgumentException("the callback secret needs at least " + MIN_SECRET_CHARS + " characters");
            }
        });
    }

    public boolean enabled() {
        return secret.isPresent();
    }

    /**
     * Reads {@code callback} in the {@code ticketing} section. The rest of the section belongs
     * to the dispatcher's loader and is not looked at here.
     *
     * @throws ConfigException with every error of the {@code callback} subsection, each with
     *     its file and line
     */
    public static CallbackConfig from(GardienConfig config) {
        if (config.ticketing().isEmpty() || !(config.ticketing().get() instanceof YamlNode.Mapping ticketing)) {
            return DISABLED;
        }
        YamlNode.Entry entry = ticketing.get("callback");
        if (entry == null) {
            return DISABLED;
        }
        String file = config.file().map(Path::toString).orElse("<config>");
        List<String> errors = new ArrayList<>();
        String secret = null;
        if (!(entry.value() instanceof YamlNode.Mapping callback)) {
            errors.add(file + ":" + entry.line() + ": ticketing.callback: expected a section with secret, got "
                    + entry.value().describe());
        } else {
            for (YamlNode.Entry e : callback.entries()) {
                if (!e.key().equals("secret")) {
                    errors.add(file + ":" + e.line() + ": ticketing.callback." + e.key() + ": unknown key (known: secret)");
                }
            }
            YamlNode.Entry s = callback.get("secret");
            if (s == null) {
                errors.add(file + ":" + entry.line() + ": ticketing.callback.secret: required when the callback section is present");
            } else if (!(s.value() instanceof YamlNode.Scalar scalar) || scalar.isNull()) {
                errors.add(file + ":" + s.line() + ": ticketing.callback.secret: expected a string");
            } else if (scalar.text().length() < MIN_SECRET_CHARS) {
                // The secret itself is never echoed.
                errors.add(file + ":" + s.line() + ": ticketing.callback.secret: expected at least " + MIN_SECRET_CHARS
                        + " characters, got " + scalar.text().length());
            } else {
                secret = scalar.text();
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new CallbackConfig(Optional.of(secret));
    }

    @Override
    public String toString() {
        return "CallbackConfig[secret=" + (secret.isPresent() ? "****" : "<none>") + "]";
    }
}
