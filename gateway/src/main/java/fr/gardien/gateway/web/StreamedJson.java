package fr.gardien.gateway.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.vertx.core.Context;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A large JSON answer written by a Jackson generator on a worker thread while its data is read,
 * and sent in chunks of {@value #CHUNK_BYTES} bytes as they fill, so that the client receives the
 * start of the answer while the rest is computed and no copy of the whole answer is ever held.
 * At most {@value #CHUNKS_IN_FLIGHT} chunks wait for the socket: beyond that the worker waits
 * (never the event loop), up to {@value #STALL_SECONDS} s for a client that stopped reading.
 *
 * <p>An answer that fits in one chunk is sent whole, with its length. A failure before the first
 * chunk is answered by {@code failedBeforeAnswer}, as any failed request; after it, the status
 * {@code 200} and part of the body are gone, so the connection is reset: the chunked answer then
 * lacks its last chunk, and no client can take the truncated body for a whole one. A client that
 * goes away ends the work at the next chunk.
 */
public final class StreamedJson {

    /** Bytes gathered before a chunk is handed to the response. */
    static final int CHUNK_BYTES = 256 * 1024;
    /** Chunks handed to the response and not yet written to the socket, at most. */
    static final int CHUNKS_IN_FLIGHT = 4;
    /**
     * How long the worker waits for the client to read a chunk before giving the answer up: while
     * it streams, an answer holds a database worker (and its connection), which a client that
     * stopped reading must not keep.
     */
    static final long STALL_SECONDS = 10;

    private static final Logger log = LoggerFactory.getLogger(StreamedJson.class);
    /** Doubles written by Schubfach (Jackson's fast writer) rather than Double.toString: same values, faster. */
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    /** Writes the answer; runs on a worker thread, and may block there. */
    @FunctionalInterface
    public interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    private StreamedJson() {
    }

    /**
     * Runs {@code body} on {@code worker} and streams what it writes to {@code ctx}'s response.
     *
     * @param failedBeforeAnswer answers the request when {@code body} fails before anything was sent (on the event loop)
     */
    public static void send(RoutingContext ctx, WorkerExecutor worker, Body body, Consumer<Throwable> failedBeforeAnswer) {
        send(ctx, worker, body, failedBeforeAnswer, CHUNK_BYTES);
    }

    /** As {@link #send(RoutingContext, WorkerExecutor, Body, Consumer)}, in chunks of {@code chunkBytes} (tests use small ones). */
    static void send(RoutingContext ctx, WorkerExecutor worker, Body body, Consumer<Throwable> failedBeforeAnswer, int chunkBytes) {
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("chunkBytes must be positive, was " + chunkBytes);
        }
        HttpServerResponse response = ctx.response();
        Chunks out = new Chunks(ctx.vertx().getOrCreateContext(), response, chunkBytes);
        response.closeHandler(v -> out.closed = true);
        worker.executeBlocking(() -> {
            JsonGenerator json = JSON.createGenerator(out);
            body.write(json);
            json.close(); // flushes its buffer into out, which it does not close
            out.finish();
            return null;
        }, false).onFailure(e -> {
            if (out.closed) {
                log.debug("the client went away before its answer to {} was complete", ctx.request().path());
            } else if (out.started) {
                log.warn("answer to {} failed after it started; resetting the connection: {}", ctx.request().path(), e.toString());
                response.reset();
            } else {
                failedBeforeAnswer.accept(e);
            }
        });
    }

    /** The generator's output: gathered in a buffer, handed to the response on its event loop chunk by chunk. */
    private static final class Chunks extends OutputStream {

        private final Context context;
        private final HttpServerResponse response;
        private final Semaphore inFlight = new Semaphore(CHUNKS_IN_FLIGHT);
        private final int chunkBytes;
        private Buffer buffer;
        volatile boolean started;
        volatile boolean closed;

        Chunks(Context context, HttpServerResponse response, int chunkBytes) {
            this.context = context;
            this.response = response;
            this.chunkBytes = chunkBytes;
            this.buffer = Buffer.buffer(chunkBytes + 8192);
        }

        @Override
        public void write(int b) throws IOException {
            buffer.appendByte((byte) b);
            if (buffer.length() >= chunkBytes) {
                sendChunk();
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            buffer.appendBytes(bytes, offset, length);
            if (buffer.length() >= chunkBytes) {
                sendChunk();
            }
        }

        private void sendChunk() throws IOException {
            if (closed) {
                throw new IOException("the client closed the connection");
            }
            try {
                if (!inFlight.tryAcquire(STALL_SECONDS, TimeUnit.SECONDS)) {
                    throw new IOException("the client read nothing for " + STALL_SECONDS + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the client", e);
            }
            Buffer chunk = buffer;
            buffer = Buffer.buffer(chunkBytes + 8192);
            boolean first = !started;
            started = true;
            context.runOnContext(v -> {
                if (first) {
                    response.setChunked(true).putHeader("Content-Type", "application/json");
                }
                response.write(chunk).onComplete(ar -> inFlight.release());
            });
        }

        /** Sends what is left and ends the answer. */
        void finish() {
            Buffer last = buffer;
            boolean whole = !started;
            context.runOnContext(v -> {
                if (whole) {
                    response.putHeader("Content-Type", "application/json");
                }
                response.end(last);
            });
        }
    }
}
