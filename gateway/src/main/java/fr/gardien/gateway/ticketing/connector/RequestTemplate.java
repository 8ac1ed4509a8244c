package fr.gardien.gateway.ticketing.connector;

import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One request of a templated REST connector (create, update or close a ticket).
 *
 * <ul>
 *   <li>{@code path}: relative to the connector's base URL, starting with '/'; the only placeholder
 *   allowed is {@code ${ref}}, the ticket's reference, percent-encoded. An absolute URL, a
 *   {@code //host} or a {@code ..} segment is refused: the destination is fixed by the base URL.</li>
 *   <li>{@code headers}: literal text with {@code ${secret:NAME}} (a credential of the connector's
 *   {@code secrets}), {@code ${idempotencyKey}} and {@code ${alertId}}.</li>
 *   <li>{@code body}: a JSON tree (maps, lists, text, numbers, booleans) whose texts may hold
 *   {@code ${field}} placeholders of {@link AlertFields#NAMES}, {@code ${ref}} and the template's
 *   lookups. A text that is exactly one placeholder takes the value's JSON type; otherwise the
 *   values are inserted as text. The JSON encoder escapes them: a summary cannot break out of its
 *   string. {@code null} for no body.</li>
 *   <li>{@code refPointer}: a JSON pointer (RFC 6901) to the ticket's reference in the response,
 *   e.g. {@code /id}; {@code null} to keep the reference the request was made with.</li>
 * </ul>
 */
public record RequestTemplate(HttpMethod method, String path, Map<String, String> headers, Object body,
        String refPointer) {

    static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final List<String> HEADER_FIELDS = List.of("idempotencyKey", "alertId");

    public RequestTemplate {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        body = JsonTrees.immutableCopy(body);
    }

    /**
     * Checks the template against the connector's secrets and lookups.
     *
     * @param where the prefix of each error ({@code create.})
     */
    void validate(String where, Map<String, String> secrets, Map<String, Lookup> lookups, List<String> errors) {
        String pathError = pathError(path);
        if (pathError != null) {
            errors.add(where + "path: " + pathError);
        }
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (!h.getKey().matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
                errors.add(where + "headers: not a header name: " + h.getKey());
            }
            for (String name : placeholders(h.getValue())) {
                if (name.startsWith("secret:")) {
                    if (!secrets.containsKey(name.substring(7))) {
                        errors.add(where + "headers." + h.getKey() + ": no secret named " + name.substring(7));
                    }
                } else if (!HEADER_FIELDS.contains(name)) {
                    errors.add(where + "headers." + h.getKey() + ": placeholder ${" + name
                            + "} not allowed in a header (only ${secret:NAME}, ${idempotencyKey}, ${alertId})");
                }
            }
        }
        List<String> bodyNames = new ArrayList<>();
        JsonTrees.texts(body, t -> bodyNames.addAll(placeholders(t)));
        for (String name : bodyNames) {
            if (!AlertFields.NAMES.contains(name) && !"ref".equals(name) && !lookups.containsKey(name)) {
                errors.add(where + "body: unknown placeholder ${" + name + "} (secrets are allowed in headers only)");
            }
        }
        if (refPointer != null && !refPointer.isEmpty() && !refPointer.startsWith("/")) {
            errors.add(where + "ref: expected a JSON pointer such as /id");
        }
    }

    /** Why a template path is refused, or {@code null}. */
    static String pathError(String path) {
        if (!path.startsWith("/") || path.startsWith("//")) {
            return "expected a path relative to the base URL, starting with a single '/'";
        }
        if (path.contains("://") || path.contains("\\") || path.contains("@") || path.contains("#")) {
            return "expected a path relative to the base URL, not an address";
        }
        String bare = path.indexOf('?') >= 0 ? path.substring(0, path.indexOf('?')) : path;
        for (String segment : bare.split("/")) {
            if (segment.equals("..") || segment.equals(".") || segment.equalsIgnoreCase("%2e%2e")) {
                return "no '.' or '..' segments";
            }
        }
        for (String name : placeholders(path)) {
            if (!"ref".equals(name)) {
                return "only ${ref} may appear in a path";
            }
        }
        return null;
    }

    static List<String> placeholders(String text) {
        return PLACEHOLDER.matcher(text).results().map(m -> m.group(1)).toList();
    }

    @Override
    public String toString() {
        // Header values may name secrets but never hold them: they are placeholders until sent.
        return "RequestTemplate[" + method + " " + path + ", headers=" + headers.keySet() + ", ref=" + refPointer + "]";
    }
}
