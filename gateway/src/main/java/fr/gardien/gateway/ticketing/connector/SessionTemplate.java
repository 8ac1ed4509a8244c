package fr.gardien.gateway.ticketing.connector;

import java.util.Objects;

/**
 * How a connector opens a session before its requests, for systems whose credentials are traded
 * for a short-lived token (GLPI's {@code initSession}). The token read at {@code tokenPointer} in
 * the answer becomes the secret {@code secretName} of the other requests' headers; it is kept
 * until a request is answered 401, then a new session is opened and that request sent once more.
 */
public record SessionTemplate(RequestTemplate request, String tokenPointer, String secretName) {
    public SessionTemplate {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(tokenPointer, "tokenPointer");
        Objects.requireNonNull(secretName, "secretName");
    }
}
