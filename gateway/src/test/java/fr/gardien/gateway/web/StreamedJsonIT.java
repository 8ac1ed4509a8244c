package fr.gardien.gateway.web;

import fr.gardien.gateway.web.Problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A JSON answer streamed from a worker thread through a real HTTP server: whole, in chunks, and its failures. */
@Timeout(60)
class StreamedJsonIT {

    private static final int CHUNK = 4096;
    /** Values of the large answer: about 40 chunks. */
    private static final int VALUES = 5_000;
    /** Values the endless answer would write if nobody stopped it. */
    private static final long ENDLESS = 1_000_000_000L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static Vertx vertx;
    private static WorkerExecutor worker;
    private static HttpServer server;
    private static final HttpClient client = HttpClient.newHttpClient();
    private static final CompletableFuture<Long> endlessStopped = new CompletableFuture<>();
    private static final CompletableFuture<Throwable> stalledStopped = new CompletableFuture<>();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        worker = vertx.createSharedWorkerExecutor("streamed-json-test", 2);
        Router router = Router.router(vertx);
        router.get("/large").handler(ctx -> StreamedJson.send(ctx, worker, StreamedJsonIT::values, StreamedJsonIT::unavailable, CHUNK));
        router.get("/small").handler(ctx -> StreamedJson.send(ctx, worker, json -> {
            json.writeStartObject();
            json.writeNumberField("v", 1.5);
            json.writeEndObject();
        }, StreamedJsonIT::unavailable, CHUNK));
        router.get("/fails-at-once").handler(ctx -> StreamedJson.send(ctx, worker, json -> {
            json.writeStartObject();
            throw new IllegalStateException("the database did not answer");
        }, e -> unavailable(ctx, e), CHUNK));
        router.get("/fails-midway").handler(ctx -> StreamedJson.send(ctx, worker, json -> {
            values(json, VALUES, false);
            throw new IllegalStateException("the database went away");
        }, e -> unavailable(ctx, e), CHUNK));
        router.get("/endless").handler(ctx -> StreamedJson.send(ctx, worker, json -> {
            long written = 0;
            try {
                json.writeStartArray();
                for (; written < ENDLESS; written++) {
                    json.writeNumber(written * 0.1);
                }
            } finally {
                endlessStopped.complete(written);
            }
        }, e -> unavailable(ctx, e), CHUNK));
        router.get("/stalled").handler(ctx -> StreamedJson.send(ctx, worker, json -> {
            try {
                json.writeStartArray();
                for (long i = 0; i < ENDLESS; i++) {
                    json.writeNumber(i * 0.1);
                }
            } catch (IOException | RuntimeException e) {
                stalledStopped.complete(e);
                throw e;
            }
        }, e -> unavailable(ctx, e), CHUNK));
        server = vertx.createHttpServer().requestHandler(router).listen(0).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** An answer of many chunks arrives without a length, byte for byte what the generator wrote. */
    @Test
    void aLargeAnswerArrivesWholeInChunks() throws Exception {
        HttpResponse<byte[]> response = get("/large");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        // Chunked: its length was not known when it started (the JDK client does not show Transfer-Encoding).
        assertThat(response.headers().firstValue("content-length")).isEmpty();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (JsonGenerator json = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build()
                .createGenerator(expected)) {
            values(json);
        }
        assertThat(response.body()).hasSizeGreaterThan(10 * CHUNK).isEqualTo(expected.toByteArray());
        JsonNode body = MAPPER.readTree(response.body());
        assertThat(body.get("values")).hasSize(VALUES);
        assertThat(body.get("values").get(VALUES - 1).get("i").asInt()).isEqualTo(VALUES - 1);
    }

    /** An answer that fits in one chunk is sent whole, with its length. */
    @Test
    void aSmallAnswerIsSentWholeWithItsLength() throws Exception {
        HttpResponse<byte[]> response = get("/small");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-length")).hasValue(Integer.toString(response.body().length));
        assertThat(MAPPER.readTree(response.body()).get("v").asDouble()).isEqualTo(1.5);
    }

    /** A failure before anything was sent is answered as a failed request, with its problem document. */
    @Test
    void aFailureBeforeTheFirstChunkIsAnsweredAsAFailedRequest() throws Exception {
        HttpResponse<byte[]> response = get("/fails-at-once");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("content-type")).hasValue(Problem.MEDIA_TYPE);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("the database did not answer");
    }

    /** A failure after the answer started resets the connection: the client cannot take the truncated body for a whole one. */
    @Test
    void aFailureAfterTheFirstChunkResetsTheConnection() {
        assertThatThrownBy(() -> get("/fails-midway")).isInstanceOf(IOException.class);
    }

    /** A client that stops reading and goes away ends the work on the worker at the next chunk. */
    @Test
    void aClientThatGoesAwayEndsTheWork() throws Exception {
        try (Socket socket = new Socket("localhost", server.actualPort())) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /endless HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] some = in.readNBytes(3 * CHUNK);
            assertThat(new String(some, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
        }
        long written = endlessStopped.get(30, TimeUnit.SECONDS);
        assertThat(written).isLessThan(ENDLESS);
    }

    /** A client that keeps its connection but reads nothing ends the work once no chunk could be sent for the stall time. */
    @Test
    void aClientThatStopsReadingEndsTheWork() throws Exception {
        try (Socket socket = new Socket("localhost", server.actualPort())) {
            socket.getOutputStream().write("GET /stalled HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            Throwable stopped = stalledStopped.get(StreamedJson.STALL_SECONDS + 30, TimeUnit.SECONDS);
            assertThat(stopped).isInstanceOf(IOException.class).hasMessageContaining("read nothing");
        }
    }

    private static HttpResponse<byte[]> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.actualPort() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void values(JsonGenerator json) throws IOException {
        values(json, VALUES, true);
    }

    /** {@code n} objects of an index, a random double and a text; closed when {@code close}. */
    private static void values(JsonGenerator json, int n, boolean close) throws IOException {
        Random random = new Random(7);
        json.writeStartObject();
        json.writeArrayFieldStart("values");
        for (int i = 0; i < n; i++) {
            json.writeStartObject();
            json.writeNumberField("i", i);
            json.writeNumberField("v", random.nextDouble() * 1e4);
            json.writeStringField("t", "é\"" + i);
            json.writeEndObject();
        }
        if (close) {
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    private static void unavailable(Throwable e) {
        throw new AssertionError("unexpected failure", e);
    }

    private static void unavailable(io.vertx.ext.web.RoutingContext ctx, Throwable e) {
        Problem.unavailable(ctx, 5, e.getMessage());
    }
}
