package fr.gardien.gateway.ticketing.connector;

import fr.gardien.rules.yaml.Durations;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a connector's YAML fields, collecting every error instead of stopping at the first. An
 * error names the field ({@code prefix + key}) and never echoes a secret's value.
 */
final class Fields {

    /** The field that permits an {@code http://} URL (issue 14). */
    static final String ALLOW_INSECURE = "allow-insecure";
    private static final Logger log = LoggerFactory.getLogger(Fields.class);


    private final Map<String, Object> map;
    private final String prefix;
    private final List<String> errors;
    private final Set<String> read = new LinkedHashSet<>();

    Fields(Map<String, ?> map, String prefix, List<String> errors) {
        this.map = map == null ? Map.of() : new LinkedHashMap<>(map);
        this.prefix = prefix;
        this.errors = errors;
    }

    void error(String key, String message) {
        errors.add(prefix + key + ": " + message);
    }

    boolean has(String key) {
        return map.get(key) != null;
    }

    /** Marks fields that another reader (the config parser) owns, such as {@code type}. */
    void ignore(String... keys) {
        read.addAll(List.of(keys));
    }

    Object raw(String key) {
        read.add(key);
        return map.get(key);
    }

    String text(String key, boolean required) {
        Object v = raw(key);
        if (v == null) {
            if (required) {
                error(key, "required");
            }
            return null;
        }
        if (v instanceof Map || v instanceof List) {
            error(key, "expected text");
            return null;
        }
        String s = v.toString();
        if (s.isBlank()) {
            error(key, "must not be empty");
            return null;
        }
        return s;
    }

    /** A credential: text of at least {@code minLength} characters; the error never shows it. */
    String secret(String key, int minLength, boolean required) {
        Object v = raw(key);
        if (v == null) {
            if (required) {
                error(key, "required");
            }
            return null;
        }
        if (!(v instanceof String s) || s.length() < minLength) {
            error(key, "expected a secret of at least " + minLength + " characters");
            return null;
        }
        return s;
    }

    /** Text for a value that is often written as a number in YAML (an id). */
    String id(String key, boolean required) {
        Object v = raw(key);
        if (v == null) {
            if (required) {
                error(key, "required");
            }
            return null;
        }
        if (!(v instanceof String || v instanceof Integer || v instanceof Long) || v.toString().isBlank()) {
            error(key, "expected an id (text or integer)");
            return null;
        }
        return v.toString();
    }

    /**
     * An absolute https URL (http only with {@code allow-insecure: true}, logged at WARN) without
     * credentials, query or fragment: the only address a connector sends to. Its path keeps no
     * trailing slash.
     */
    URI url(String key) {
        Object insecure = raw(ALLOW_INSECURE);
        String s = text(key, true);
        if (s == null) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            error(key, "not a URL");
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            error(key, "expected an absolute http or https URL");
            return null;
        }
        // Issue 14: an alert and the connector's credentials travel in clear over http://.
        boolean allowed = Boolean.TRUE.equals(insecure) || "true".equals(insecure);
        if (scheme.equals("http") && !allowed) {
            error(key, "http:// would send alerts and credentials in clear: use https://, or set "
                    + ALLOW_INSECURE + ": true on the connector (loopback tests only)");
            return null;
        }
        if (scheme.equals("http")) {
            log.warn("connector sends in clear [url: {}, {}: true]: for loopback tests only", s, ALLOW_INSECURE);
        }
        if (uri.getRawUserInfo() != null) {
            // Credentials go in the connector's secrets, which are masked; a URL is logged.
            error(key, "must not contain credentials");
            return null;
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            error(key, "must not have a query or a fragment");
            return null;
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        try {
            return new URI(scheme, null, uri.getHost(), uri.getPort(), null, null, null)
                    .resolve(path.isEmpty() ? "" : path);
        } catch (URISyntaxException e) {
            error(key, "not a URL");
            return null;
        }
    }

    Duration duration(String key, Duration fallback, Duration min, Duration max) {
        Object v = raw(key);
        if (v == null) {
            return fallback;
        }
        Duration d = Durations.parse(v.toString().trim());
        if (d == null) {
            error(key, "expected a duration such as 500ms, 10s or 1m, got \"" + v + "\"");
            return fallback;
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            error(key, "expected from " + min.toMillis() + "ms to " + max.toSeconds() + "s, got " + v);
            return fallback;
        }
        return d;
    }

    /** An optional readable file (a PEM bundle). */
    Path file(String key) {
        String s = text(key, false);
        if (s == null) {
            return null;
        }
        Path p = Path.of(s);
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            error(key, "not a readable file: " + s);
            return null;
        }
        return p;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> object(String key, boolean required) {
        Object v = raw(key);
        if (v == null) {
            if (required) {
                error(key, "required");
            }
            return null;
        }
        if (!(v instanceof Map<?, ?> m)) {
            error(key, "expected a mapping");
            return null;
        }
        for (Object k : m.keySet()) {
            if (!(k instanceof String)) {
                error(key, "expected text keys");
                return null;
            }
        }
        return (Map<String, Object>) m;
    }

    /** Reports every field that no reader asked for: a typo must not pass silently. */
    void rejectUnknown() {
        for (String key : map.keySet()) {
            if (!read.contains(key)) {
                error(key, "unknown field");
            }
        }
    }
}
