package fr.gardien.gateway.ticketing.connector;

import fr.gardien.gateway.config.ConfigException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code rest} connector's settings, immutable and validated in the constructor: the base URL
 * (the only host it sends to), the credentials its headers refer to, and the template.
 *
 * <p>In YAML, {@code template: glpi | redmine | jira} picks a ready template with its own fields
 * (see {@link ReadyTemplates}); {@code template: custom} (the default) spells the template out:
 *
 * <pre>
 * - name: tickets
 *   type: rest
 *   url: https://tickets.example/api      # base URL: scheme, host, port and path prefix
 *   timeout: 10s                          # optional, default 10s
 *   trust-pem: /etc/gardien/ca.pem        # optional private CA for https
 *   secrets: {token: "…"}                 # referred to as ${secret:token} in headers only
 *   lookups:                              # optional: alert field -> the system's codes
 *     priority: {field: severity, values: {info: 1, warning: 2, major: 3, critical: 4}, default: 2}
 *   create:                               # when the alert has no ticket yet
 *     method: POST
 *     path: /tickets                      # relative; ${ref} is the only placeholder
 *     headers: {Authorization: "Bearer ${secret:token}"}
 *     body: {title: "${summary}", priority: "${priority}", link: "${dashboardUrl}"}
 *     ref: /id                            # JSON pointer to the new ticket's reference
 *   update: {method: PUT, path: "/tickets/${ref}", headers: {…}, body: {…}}   # optional
 *   close:  {method: PUT, path: "/tickets/${ref}", headers: {…}, body: {…}}   # optional
 * </pre>
 *
 * @param secrets credentials by name; never logged ({@link #toString()} shows names only)
 * @param trustPem {@code null} for the JVM's default trust
 */
public record RestSettings(String name, URI baseUrl, Map<String, String> secrets, Duration timeout, Path trustPem,
        RestTemplate template) {

    public RestSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(template, "template");
        secrets = Map.copyOf(secrets);
        List<String> errors = new ArrayList<>();
        template.validate(secrets, errors);
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
    }

    /**
     * Validates a connector's YAML fields ({@code type} belongs to the caller and is ignored).
     *
     * @throws ConfigException with every error found, each prefixed with the field's path
     */
    public static RestSettings fromYaml(Map<String, ?> yaml) {
        List<String> errors = new ArrayList<>();
        Fields f = new Fields(yaml, "", errors);
        f.ignore("type");
        String name = f.text("name", true);
        URI url = f.url("url");
        Duration timeout = f.duration("timeout", WebhookSettings.DEFAULT_TIMEOUT, Duration.ofMillis(100),
                Duration.ofMinutes(5));
        Path trustPem = f.file("trust-pem");
        String kind = f.text("template", false);
        ReadyTemplates.Parts parts = switch (kind == null ? "custom" : kind) {
            case "glpi" -> ReadyTemplates.glpi(f);
            case "redmine" -> ReadyTemplates.redmine(f);
            case "jira" -> ReadyTemplates.jira(f);
            case "custom" -> custom(f, errors);
            default -> {
                f.error("template", "expected glpi, redmine, jira or custom, got " + kind);
                yield null;
            }
        };
        f.rejectUnknown();
        if (parts != null && errors.isEmpty()) {
            List<String> templateErrors = new ArrayList<>();
            parts.template().validate(parts.secrets(), templateErrors);
            errors.addAll(templateErrors);
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new RestSettings(name, url, parts.secrets(), timeout, trustPem, parts.template());
    }

    private static ReadyTemplates.Parts custom(Fields f, List<String> errors) {
        Map<String, String> secrets = new LinkedHashMap<>();
        Map<String, Object> rawSecrets = f.object("secrets", false);
        if (rawSecrets != null) {
            rawSecrets.forEach((k, v) -> {
                if (!(v instanceof String s) || s.isEmpty()) {
                    errors.add("secrets." + k + ": expected non-empty text");
                } else {
                    secrets.put(k, s);
                }
            });
        }
        Map<String, Lookup> lookups = new LinkedHashMap<>();
        Map<String, Object> rawLookups = f.object("lookups", false);
        if (rawLookups != null) {
            rawLookups.forEach((k, v) -> {
                Fields l = new Fields(v instanceof Map<?, ?> m ? castMap(m) : null, "lookups." + k + ".", errors);
                if (!(v instanceof Map)) {
                    errors.add("lookups." + k + ": expected a mapping");
                    return;
                }
                String field = l.text("field", true);
                Map<String, Object> values = l.object("values", true);
                Object fallback = l.raw("default");
                l.rejectUnknown();
                if (field != null && values != null) {
                    lookups.put(k, new Lookup(field, values, fallback));
                }
            });
        }
        RequestTemplate create = request(f, "create", true, errors);
        RequestTemplate update = request(f, "update", false, errors);
        RequestTemplate close = request(f, "close", false, errors);
        // Each request is checked on its own too, so that one bad part does not hide the others.
        for (RequestTemplate t : new RequestTemplate[] {create, update, close}) {
            if (t != null) {
                t.validate(t == create ? "create." : t == update ? "update." : "close.", secrets, lookups, errors);
            }
        }
        if (create != null && create.refPointer() == null) {
            errors.add("create.ref: required (where the created ticket's reference is in the response)");
        }
        if (create == null || !errors.isEmpty()) {
            return null;
        }
        return new ReadyTemplates.Parts(secrets, new RestTemplate(create, update, close, lookups));
    }

    private static RequestTemplate request(Fields parent, String key, boolean required, List<String> errors) {
        Map<String, Object> yaml = parent.object(key, required);
        if (yaml == null) {
            return null;
        }
        Fields f = new Fields(yaml, key + ".", errors);
        String methodText = f.text("method", true);
        HttpMethod method = null;
        if (methodText != null) {
            method = switch (methodText.toUpperCase()) {
                case "POST" -> HttpMethod.POST;
                case "PUT" -> HttpMethod.PUT;
                case "PATCH" -> HttpMethod.PATCH;
                case "DELETE" -> HttpMethod.DELETE;
                default -> {
                    f.error("method", "expected POST, PUT, PATCH or DELETE, got " + methodText);
                    yield null;
                }
            };
        }
        String path = f.text("path", true);
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, Object> rawHeaders = f.object("headers", false);
        if (rawHeaders != null) {
            rawHeaders.forEach((k, v) -> headers.put(k, String.valueOf(v)));
        }
        Object body = f.raw("body");
        if (body instanceof String text) {
            try {
                body = Json.decodeValue(text);
            } catch (DecodeException e) {
                f.error("body", "not JSON");
                body = null;
            }
        }
        if (body instanceof JsonObject o) {
            body = o.getMap();
        } else if (body instanceof JsonArray a) {
            body = a.getList();
        }
        if (body != null && !(body instanceof Map) && !(body instanceof List)) {
            f.error("body", "expected a JSON object or array");
            body = null;
        }
        String ref = f.text("ref", false);
        f.rejectUnknown();
        if (path == null) {
            return null;
        }
        if (method == null) {
            // Already reported; a stand-in lets the rest of this request be checked now.
            method = HttpMethod.POST;
        }
        try {
            return new RequestTemplate(method, path, headers, body, ref);
        } catch (IllegalArgumentException e) {
            f.error("body", e.getMessage());
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    @Override
    public String toString() {
        return "RestSettings[name=" + name + ", baseUrl=" + baseUrl + ", secrets=" + secrets.keySet()
                + " (masked), timeout=" + timeout + ", trustPem=" + trustPem + ", template=" + template + "]";
    }
}
