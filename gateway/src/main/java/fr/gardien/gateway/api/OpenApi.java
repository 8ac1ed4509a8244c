package fr.gardien.gateway.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The OpenAPI 3.1 document of the HTTP API, {@code openapi.yaml} on the class path, served at {@code GET /openapi.yaml}. */
public final class OpenApi {

    public static final String RESOURCE = "/openapi.yaml";

    private OpenApi() {
    }

    /** The document's text; read once at start-up. */
    public static String document() {
        try (InputStream in = OpenApi.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the gateway's class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
