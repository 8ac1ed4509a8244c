package fr.gardien.gateway.ticketing.connector;

import fr.gardien.gateway.config.ConfigException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code webhook} connector's settings, immutable and valid once built.
 *
 * <pre>
 * - name: heating-contractor
 *   type: webhook
 *   url: https://tickets.example/hook   # http or https; the only address it posts to
 *   secret: "…"                         # HMAC-SHA256 key, at least 16 characters
 *   timeout: 10s                        # connect + whole request; default 10s
 *   trust-pem: /etc/gardien/ca.pem      # optional: a private CA for https
 * </pre>
 *
 * @param secret never logged: {@link #toString()} masks it
 * @param trustPem {@code null} for the JVM's default trust
 */
public record WebhookSettings(String name, URI url, String secret, Duration timeout, Path trustPem) {

    public static final int SECRET_MIN_LENGTH = 16;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public WebhookSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(timeout, "timeout");
        if (secret == null || secret.length() < SECRET_MIN_LENGTH) {
            throw new IllegalArgumentException("secret: at least " + SECRET_MIN_LENGTH + " characters");
        }
    }

    /**
     * Validates a connector's YAML fields ({@code type} belongs to the caller and is ignored).
     *
     * @throws ConfigException with every error found, each prefixed with the field's name
     */
    public static WebhookSettings fromYaml(Map<String, ?> yaml) {
        List<String> errors = new ArrayList<>();
        Fields f = new Fields(yaml, "", errors);
        f.ignore("type");
        String name = f.text("name", true);
        URI url = f.url("url");
        String secret = f.secret("secret", SECRET_MIN_LENGTH, true);
        Duration timeout = f.duration("timeout", DEFAULT_TIMEOUT, Duration.ofMillis(100), Duration.ofMinutes(5));
        Path trustPem = f.file("trust-pem");
        f.rejectUnknown();
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new WebhookSettings(name, url, secret, timeout, trustPem);
    }

    @Override
    public String toString() {
        return "WebhookSettings[name=" + name + ", url=" + url + ", secret=****, timeout=" + timeout
                + ", trustPem=" + trustPem + "]";
    }
}
