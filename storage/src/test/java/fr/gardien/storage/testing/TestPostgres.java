package fr.gardien.storage.testing;

import fr.gardien.storage.db.DatabaseConfig;
import fr.gardien.storage.db.EmbeddedDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server of a test JVM, shared by every test class (started once, stopped at JVM
 * exit), chosen in this order:
 * <ol>
 *   <li>the server named by {@code GARDIEN_TEST_DB_URL} (with {@code GARDIEN_TEST_DB_USER},
 *       default {@code postgres}, and {@code GARDIEN_TEST_DB_PASSWORD}, default empty);</li>
 *   <li>TimescaleDB ({@value #TIMESCALE_IMAGE}) through Testcontainers when a Docker engine
 *       answers (Testcontainers must then be on the test classpath);</li>
 *   <li>an {@link EmbeddedDatabase} in a temporary directory.</li>
 * </ol>
 * Tests isolate themselves with {@link #newDatabase()}: a fresh, empty, uniquely named database.
 */
public final class TestPostgres {

    private static final Logger log = LoggerFactory.getLogger(TestPostgres.class);
    public static final String TIMESCALE_IMAGE = "timescale/timescaledb:latest-pg17";
    private static final Pattern URL = Pattern.compile("^(jdbc:postgresql://[^/?]+/)([^?]*)(.*)$");
    private static TestPostgres shared;

    private final String kind;
    private final String adminUrl;
    private final String user;
    private final String password;
    private final Runnable stopServer;
    private final AtomicInteger counter = new AtomicInteger();
    private final List<String> created = Collections.synchronizedList(new ArrayList<>());

    private TestPostgres(String kind, String adminUrl, String user, String password, Runnable stopServer) {
        this.kind = kind;
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
        this.stopServer = stopServer;
    }

    /** The server of this JVM, started on first use and stopped at JVM exit. */
    public static synchronized TestPostgres shared() {
        if (shared == null) {
            shared = start();
            TestPostgres server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "gardien-test-postgres-stop"));
            log.info("test PostgreSQL ready [kind: {}, url: {}]", server.kind, DatabaseConfigs.mask(server.adminUrl));
        }
        return shared;
    }

    private static TestPostgres start() {
        String url = System.getenv("GARDIEN_TEST_DB_URL");
        if (url != null && !url.isBlank()) {
            String user = envOr("GARDIEN_TEST_DB_USER", "postgres");
            String password = envOr("GARDIEN_TEST_DB_PASSWORD", "");
            TestPostgres[] self = new TestPostgres[1];
            self[0] = new TestPostgres("external", url, user, password, () -> self[0].dropCreated());
            return self[0];
        }
        if (Containers.dockerAvailable()) {
            Containers.Server server = Containers.startTimescale();
            return new TestPostgres("timescaledb (testcontainers)", server.jdbcUrl(), server.user(), server.password(),
                    server.stop());
        }
        try {
            Path dir = Files.createTempDirectory("gardien-test-pg");
            EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0);
            return new TestPostgres("embedded", db.jdbcUrl("postgres"), EmbeddedDatabase.USER, "", () -> {
                db.close();
                deleteRecursively(dir);
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a directory for the embedded PostgreSQL", e);
        }
    }

    /** "external", "timescaledb (testcontainers)" or "embedded". */
    public String kind() {
        return kind;
    }

    /** A fresh, empty, uniquely named database on this server, with a pool of 8. */
    public DatabaseConfig newDatabase() {
        return newDatabase(8);
    }

    /** A fresh, empty, uniquely named database on this server. */
    public DatabaseConfig newDatabase(int poolSize) {
        String name = "gardien_test_" + counter.incrementAndGet() + "_"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
        execute("CREATE DATABASE " + name);
        created.add(name);
        return new DatabaseConfig(withDatabase(adminUrl, name), user, password, poolSize);
    }

    /** The URL with its database replaced. */
    static String withDatabase(String url, String database) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected jdbc:postgresql://host[:port]/database[?params], got "
                    + DatabaseConfigs.mask(url));
        }
        return m.group(1) + database + m.group(3);
    }

    private void execute(String sql) {
        try (Connection c = DriverManager.getConnection(adminUrl, user, password); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on the test PostgreSQL (" + kind + "): " + e.getMessage(), e);
        }
    }

    private void stop() {
        try {
            stopServer.run();
        } catch (RuntimeException e) {
            log.warn("test PostgreSQL did not stop cleanly [kind: {}, cause: {}]", kind, e.toString());
        }
    }

    /** On a server we do not own, the databases we made are removed, sessions and all. */
    private void dropCreated() {
        for (String name : List.copyOf(created)) {
            try {
                execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (RuntimeException e) {
                log.warn("test database not dropped [name: {}, cause: {}]", name, e.getMessage());
            }
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("test directory not removed [dir: {}]", dir);
        }
    }

    /** Masks passwords in URLs for the log. */
    private static final class DatabaseConfigs {
        static String mask(String url) {
            return url.replaceAll("(?i)(password=)[^&]*", "$1***");
        }
    }
}
