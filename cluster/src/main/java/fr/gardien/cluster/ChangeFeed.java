package fr.gardien.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one process changed and the others must know within a second (alert transitions for the
 * live streams, revoked tokens, the registry), carried by PostgreSQL {@code LISTEN/NOTIFY}: the
 * database every process shares already, so no other moving part. A thread named
 * {@code gardien-change-feed} holds one connection that listens on the subscribed channels and
 * hands each notification's payload to the channel's handlers. Each time it starts listening —
 * the first time, and again after its connection broke — it tells every handler with a
 * {@code null} payload that notifications may have been missed (a handler reloads what it
 * follows): what changed between a process's first load and its {@code LISTEN} is not lost.
 *
 * <p>Notifications are delivered after the publishing transaction commits, to every listener,
 * the publisher included. A payload is at most {@value #MAX_PAYLOAD_BYTES} bytes (PostgreSQL's
 * limit is 8000): publish identifiers, not documents.
 */
public final class ChangeFeed implements AutoCloseable {

    public static final int MAX_PAYLOAD_BYTES = 7_900;
    private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);
    private static final Pattern CHANNEL = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final Duration WAIT = Duration.ofMillis(250);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final DataSource dataSource;
    private final Map<String, List<Consumer<String>>> handlers = new ConcurrentHashMap<>();
    private final Thread thread;
    private final CountDownLatch listening = new CountDownLatch(1);
    private volatile boolean closing;

    public ChangeFeed(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.thread = new Thread(this::run, "gardien-change-feed");
        thread.setDaemon(true);
    }

    /**
     * Subscribes a handler, run on the feed's thread (it must be quick), before {@link #start}.
     *
     * @param channel lower-case letters, digits and underscores
     */
    public void subscribe(String channel, Consumer<String> handler) {
        if (!CHANNEL.matcher(channel).matches()) {
            throw new IllegalArgumentException("not a channel name: " + channel);
        }
        handlers.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(Objects.requireNonNull(handler, "handler"));
    }

    /**
     * Starts listening and waits, at most {@code wait}, until the subscribed channels are
     * listened to. Blocking: call it from a process's start, not from an event loop.
     *
     * @return whether the feed listens; if not yet (database unreachable), it keeps trying and its
     *     handlers get their {@code null} once it does
     */
    public boolean start(Duration wait) {
        thread.start();
        try {
            return listening.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Notifies every process listening on {@code channel}, on the caller's connection and
     * transaction: delivered once it commits, never if it rolls back.
     *
     * @throws IllegalArgumentException for a payload over {@value #MAX_PAYLOAD_BYTES} bytes
     */
    public static void publish(Connection c, String channel, String payload) throws SQLException {
        if (payload.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("notification payload over " + MAX_PAYLOAD_BYTES + " bytes");
        }
        try (PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            s.setString(1, channel);
            s.setString(2, payload);
            s.execute();
        }
    }

    /** {@link #publish(Connection, String, String)} in a transaction of its own. */
    public void publish(String channel, String payload) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            publish(c, channel, payload);
        }
    }

    @Override
    public void close() {
        closing = true;
        thread.interrupt();
        Threads.join(thread, Duration.ofSeconds(5));
    }

    private void run() {
        while (!closing) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    for (String channel : handlers.keySet()) {
                        s.execute("LISTEN " + channel);
                    }
                }
                if (listening.getCount() > 0) {
                    listening.countDown();
                } else {
                    log.info("change feed listening again; followers reload what they follow");
                }
                handlers.forEach((channel, list) -> list.forEach(h -> deliver(h, channel, null)));
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closing) {
                    PGNotification[] received = pg.getNotifications((int) WAIT.toMillis());
                    if (received == null) {
                        continue;
                    }
                    for (PGNotification n : received) {
                        List<Consumer<String>> list = handlers.get(n.getName());
                        if (list != null) {
                            list.forEach(h -> deliver(h, n.getName(), n.getParameter()));
                        }
                    }
                }
                // The connection goes back to a pool: it must not keep listening there.
                try (Statement s = c.createStatement()) {
                    s.execute("UNLISTEN *");
                }
            } catch (SQLException e) {
                if (closing) {
                    return;
                }
                log.warn("change feed lost its connection, listening again in {} [cause: {}]", RETRY, e.toString());
                try {
                    Thread.sleep(RETRY.toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private static void deliver(Consumer<String> handler, String channel, String payload) {
        try {
            handler.accept(payload);
        } catch (RuntimeException e) {
            log.warn("change feed handler failed [channel: {}, cause: {}]", channel, e.toString());
        }
    }
}
