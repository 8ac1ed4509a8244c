package fr.gardien.storage.testing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Everything that touches Testcontainers, kept apart so that {@link TestPostgres} still works
 * on a test classpath without it (then there is simply no Docker option).
 */
final class Containers {

    private static final Logger log = LoggerFactory.getLogger(Containers.class);

    private Containers() {
    }

    record Server(String jdbcUrl, String user, String password, Runnable stop) {
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (LinkageError e) {
            log.debug("Testcontainers is not on the classpath");
            return false;
        } catch (RuntimeException e) {
            log.debug("no Docker engine [cause: {}]", e.toString());
            return false;
        }
    }

    /** A started TimescaleDB container. */
    static Server startTimescale() {
        PostgreSQLContainer<?> container = timescale();
        container.start();
        return new Server(container.getJdbcUrl(), container.getUsername(), container.getPassword(), container::stop);
    }

    /** A TimescaleDB container, not started. */
    static PostgreSQLContainer<?> timescale() {
        return new PostgreSQLContainer<>(DockerImageName.parse(TestPostgres.TIMESCALE_IMAGE)
                .asCompatibleSubstituteFor("postgres"));
    }
}
