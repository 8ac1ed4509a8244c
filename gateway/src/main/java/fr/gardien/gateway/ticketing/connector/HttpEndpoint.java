package fr.gardien.gateway.ticketing.connector;

import fr.gardien.gateway.ticketing.DeliveryException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One connector's HTTP destination: scheme, host and port fixed at construction, so a request can
 * only go there (paths are relative to the base URL's path; redirects are not followed). Maps
 * every outcome to success or a {@link DeliveryException}: 2xx succeed; 408, 429, 5xx, network
 * errors and timeouts are retryable; any other status is not.
 */
final class HttpEndpoint {

    private final String connector;
    private final String host;
    private final int port;
    private final boolean ssl;
    private final String basePath;
    private final long timeoutMs;
    private final WebClient client;

    HttpEndpoint(Vertx vertx, String connector, URI baseUrl, Duration timeout, Path trustPem) {
        this.connector = connector;
        this.ssl = "https".equals(baseUrl.getScheme());
        this.host = baseUrl.getHost();
        this.port = baseUrl.getPort() > 0 ? baseUrl.getPort() : ssl ? 443 : 80;
        this.basePath = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
        this.timeoutMs = timeout.toMillis();
        WebClientOptions options = new WebClientOptions()
                .setUserAgent("Gardien")
                // A redirect would send the payload to an address the configuration does not name.
                .setFollowRedirects(false)
                .setConnectTimeout((int) timeoutMs)
                .setSsl(ssl)
                .setVerifyHost(true);
        if (trustPem != null) {
            options.setTrustOptions(new PemTrustOptions().addCertPath(trustPem.toString()));
        }
        this.client = WebClient.create(vertx, options);
    }

    /** A request to the base URL's path followed by {@code relativePath} (which starts with '/'). */
    HttpRequest<Buffer> request(HttpMethod method, String relativePath) {
        String uri = basePath + relativePath;
        return client.request(method, port, host, uri.isEmpty() ? "/" : uri)
                .ssl(ssl)
                .connectTimeout(timeoutMs)
                .idleTimeout(timeoutMs);
    }

    /**
     * Sends and completes with a 2xx response; fails with a {@link DeliveryException} otherwise.
     * The whole exchange is bounded by the timeout, not only each idle period.
     */
    Future<HttpResponse<Buffer>> send(HttpRequest<Buffer> request, Buffer body) {
        Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendBuffer(body);
        return sent.timeout(timeoutMs, TimeUnit.MILLISECONDS)
                .recover(this::networkFailure)
                .compose(this::checkStatus);
    }

    private Future<HttpResponse<Buffer>> networkFailure(Throwable t) {
        // Vert.x reports its own timeouts with several classes (connect, idle, Future#timeout).
        boolean timedOut = t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout");
        String message = timedOut
                ? connector + ": no response within " + timeoutMs + " ms"
                : connector + ": network error: " + t.getClass().getSimpleName()
                        + (t.getMessage() == null ? "" : ": " + t.getMessage());
        return Future.failedFuture(new DeliveryException(message, true, 0));
    }

    private Future<HttpResponse<Buffer>> checkStatus(HttpResponse<Buffer> response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return Future.succeededFuture(response);
        }
        // 408 and 429 say "later"; 5xx is the system's own trouble; any other status means the
        // request is wrong and a retry would be refused the same way.
        boolean retryable = status == 408 || status == 429 || status >= 500;
        return Future.failedFuture(new DeliveryException(connector + ": HTTP " + status, retryable, status));
    }

    /** The destination for logs: scheme, host, port and base path, nothing secret. */
    String target() {
        return (ssl ? "https" : "http") + "://" + host + ":" + port + basePath;
    }

    Future<Void> close() {
        client.close();
        return Future.succeededFuture();
    }
}
