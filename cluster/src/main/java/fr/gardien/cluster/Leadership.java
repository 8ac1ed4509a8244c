package fr.gardien.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who, among the processes sharing a database, does the work that must be done once: the rollup
 * passes, partition maintenance and policies, applying the portfolio file (issue 13). A
 * PostgreSQL session-level advisory lock elects the leader: its connection holds the lock, so a
 * leader that dies or loses its database is replaced within {@link #CHECK} of its connection
 * closing, without clocks or heartbeats of our own. A thread named {@code gardien-leadership}
 * tries for the lock, and checks a held one, every {@link #CHECK}.
 */
public final class Leadership implements AutoCloseable {

    public static final Duration CHECK = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(Leadership.class);

    private final DataSource dataSource;
    private final long key;
    private final String name;
    private final Thread thread;
    private volatile boolean leader;
    private volatile boolean closing;
    private Connection held;

    /**
     * @param name what is led, for the logs and the lock key (hashed)
     */
    public Leadership(DataSource dataSource, String name) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.name = Objects.requireNonNull(name, "name");
        // Advisory lock keys share one space with any other user of the database: a prefix of ours.
        this.key = ((long) "gardien".hashCode() << 32) | (name.hashCode() & 0xffffffffL);
        this.thread = new Thread(this::run, "gardien-leadership");
        thread.setDaemon(true);
    }

    /** Tries for the lock once now (so {@link #leader()} answers at once), then every {@link #CHECK}. */
    public void start() {
        check();
        thread.start();
    }

    /** Whether this process leads now (as of the last check). */
    public boolean leader() {
        return leader;
    }

    /** Gives the lead up (another process takes it within {@link #CHECK}). */
    @Override
    public void close() {
        closing = true;
        thread.interrupt();
        Threads.join(thread, Duration.ofSeconds(5));
    }

    private void run() {
        try {
            while (!closing) {
                Thread.sleep(CHECK.toMillis());
                check();
            }
        } catch (InterruptedException e) {
            // closing
        } finally {
            release();
        }
    }

    private void check() {
        try {
            if (held == null) {
                held = dataSource.getConnection();
                held.setAutoCommit(true);
            }
            boolean was = leader;
            boolean now;
            if (was) {
                // A held lock stays held as long as the session lives: check the session.
                now = held.isValid((int) CHECK.toSeconds());
            } else {
                try (PreparedStatement s = held.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                    s.setLong(1, key);
                    try (ResultSet rs = s.executeQuery()) {
                        now = rs.next() && rs.getBoolean(1);
                    }
                }
            }
            if (now != was) {
                leader = now;
                log.info(now ? "this process now leads [work: {}]" : "this process no longer leads [work: {}]", name);
            }
            if (was && !now) {
                release();
            }
        } catch (SQLException e) {
            if (leader) {
                log.warn("lead lost with the database connection [work: {}, cause: {}]", name, e.toString());
            }
            leader = false;
            release();
        }
    }

    private void release() {
        leader = false;
        if (held != null) {
            try {
                // Closing the session releases its advisory locks; a pooled connection must unlock first.
                try (PreparedStatement s = held.prepareStatement("SELECT pg_advisory_unlock_all()")) {
                    s.execute();
                }
                held.close();
            } catch (SQLException e) {
                log.debug("releasing the lead's connection failed [cause: {}]", e.toString());
            }
            held = null;
        }
    }
}
