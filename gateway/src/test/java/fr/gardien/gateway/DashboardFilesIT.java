package fr.gardien.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** The dashboard's files as the gateway serves them: types, caching and security headers, nothing else exposed. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DashboardFilesIT {

    @RegisterExtension
    static final GatewayHarness harness = GatewayHarness.perClass(Map.of());
    static final HttpClient http = HttpClient.newHttpClient();

    static HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(harness.httpBase() + path)).timeout(Duration.ofSeconds(10));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The page at / is HTML with a strict CSP (no inline script, no framing), nosniff, and is revalidated on each load. */
    @Test
    void thePageIsServedWithSecurityHeadersAndRevalidated() throws Exception {
        HttpResponse<String> page = get("/", Map.of());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "connect-src 'self'")
                .doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(page.body()).contains("<script type=\"module\" src=\"/ui/app.js\"></script>");
        assertThat(page.body()).doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContainPattern("\\son[a-z]+=")
                .doesNotContain("<style");

        String lastModified = page.headers().firstValue("Last-Modified").orElseThrow();
        HttpResponse<String> again = get("/", Map.of("If-Modified-Since", lastModified));
        assertThat(again.statusCode()).isEqualTo(304);
    }

    /** The app's modules are JavaScript revalidated on each load; the vendored chart library, whose path names its version, is cached for a year. */
    @Test
    void modulesAreRevalidatedAndTheVersionedLibraryIsCachedForAYear() throws Exception {
        HttpResponse<String> app = get("/ui/app.js", Map.of());
        assertThat(app.statusCode()).isEqualTo(200);
        assertThat(app.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("javascript"));
        assertThat(app.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(app.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

        HttpResponse<String> uplot = get("/ui/vendor/uplot-1.6.32/uPlot.esm.js", Map.of());
        assertThat(uplot.statusCode()).isEqualTo(200);
        assertThat(uplot.body()).contains("uPlot.js (μPlot)").contains("(v1.6.32)");
        assertThat(uplot.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(get("/ui/vendor/uplot-1.6.32/LICENSE", Map.of()).body()).contains("MIT License");
    }

    /** Unknown files, folders and paths out of the dashboard's folder answer 404, never a listing or another resource. */
    @Test
    void nothingButTheDashboardsFilesIsServed() throws Exception {
        assertThat(get("/ui/missing.js", Map.of()).statusCode()).isEqualTo(404);
        assertThat(get("/ui/", Map.of()).statusCode()).isEqualTo(404);
        assertThat(get("/ui/vendor/", Map.of()).statusCode()).isEqualTo(404);
        assertThat(get("/logback.xml", Map.of()).statusCode()).isEqualTo(404);
        assertThat(get("/ui/%2e%2e/%2e%2e/logback.xml", Map.of()).statusCode()).isEqualTo(404);
        assertThat(get("/ui/..%2f..%2flogback.xml", Map.of()).statusCode()).isIn(400, 404);
        assertThat(get("/index.html", Map.of()).statusCode()).isEqualTo(404);
    }
}
