package fr.gardien.storage.access;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One access to the API, for the audit log: who, what, when, and the outcome.
 *
 * @param id assigned by the database; 0 before it is stored
 * @param actor the token's name (or {@code ticket-callback} for a signed callback without token)
 * @param role the token's role; {@code null} without token
 * @param route the route's pattern, e.g. {@code /api/v1/alerts/:id}
 * @param path the request path as called
 * @param sites the sites the request named or touched, when known
 * @param parameters query and path parameters, never a secret, token or body
 * @param status the HTTP status answered
 */
public record AuditEntry(long id, Instant at, String actor, String role, String method, String route, String path,
        List<String> sites, Map<String, String> parameters, int status) {
    public AuditEntry {
        sites = List.copyOf(sites);
        parameters = Map.copyOf(parameters);
    }
}
