package fr.gardien.gateway;

import static fr.gardien.gateway.Blocking.await;

import fr.gardien.gateway.auth.AuthBrake;
import fr.gardien.gateway.auth.DeviceAuthenticator;
import fr.gardien.gateway.auth.TokenAuthenticator;
import fr.gardien.gateway.config.GardienConfig;
import fr.gardien.gateway.governance.GovernanceConfig;
import fr.gardien.gateway.governance.GovernanceParser;
import fr.gardien.gateway.ops.GatewayMetrics;
import fr.gardien.gateway.registry.RegistryService;
import fr.gardien.gateway.registry.SecretHasher;
import fr.gardien.storage.access.RegistryStore;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every role of a process shares: Vert.x and its worker pools, the registry (portfolio and
 * API tokens) and the authenticators of devices and tokens; and the deployment of servers.
 */
final class Platform implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Platform.class);

    private final GovernanceConfig governance;
    private final RegistryService registry;
    private final Vertx vertx;
    private final WorkerExecutor db;
    private final AuthBrake brake;
    private final DeviceAuthenticator deviceAuth;
    private final TokenAuthenticator tokenAuth;
    private final List<String> deployments = new ArrayList<>();

    private Platform(GardienConfig config, Storage storage, GatewayMetrics metrics, RegistryService.Sharing sharing) {
        SecretHasher hasher = SecretHasher.DEFAULT.remembering();
        governance = GovernanceParser.load(config.file().orElse(null), config.storage().retention());
        if (!governance.declared()) {
            log.warn("no governance section: the built-in purposes and retentions apply; declare yours (issue 14)");
        }
        registry = new RegistryService(config.portfolio().orElse(null), new RegistryStore(storage.database().dataSource()), hasher,
                governance::undeclared, sharing);
        registry.start();

        vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(false));
        // The writer threads and partition creation hold connections of their own: queries get the rest.
        db = vertx.createSharedWorkerExecutor("gardien-db", Math.max(1, config.db().poolSize() - config.writer().threads() - 1));
        WorkerExecutor auth = vertx.createSharedWorkerExecutor("gardien-auth", 2);
        // Unknown bearer tokens cost a derivation per stored token: on a pool of their own, so
        // that a flood of bad tokens cannot delay device authentication.
        WorkerExecutor tokenChecks = vertx.createSharedWorkerExecutor("gardien-token-auth", 1);
        // One brake for every protocol: a source guessing over HTTP is refused over MQTT too.
        brake = new AuthBrake(config.auth().maxFailures(), config.auth().deviceMaxFailures(), config.auth().blockTime(), metrics);
        deviceAuth = new DeviceAuthenticator(registry, hasher, auth, 256, brake);
        tokenAuth = new TokenAuthenticator(registry, hasher, tokenChecks, 64, Clock.systemUTC());
    }

    /**
     * Loads the registry and starts Vert.x; blocking.
     *
     * @param sharing how the registry is shared with the cluster's other processes, {@code null} alone
     */
    static Platform start(GardienConfig config, Storage storage, GatewayMetrics metrics, RegistryService.Sharing sharing) {
        return new Platform(config, storage, metrics, sharing);
    }

    /** Failed authentications by source and device, shared by every protocol and the API. */
    AuthBrake brake() {
        return brake;
    }

    /** The purposes and retention declared for each category (issue 14). */
    GovernanceConfig governance() {
        return governance;
    }

    RegistryService registry() {
        return registry;
    }

    Vertx vertx() {
        return vertx;
    }

    /** The worker pool of database queries (JDBC never runs on an event loop). */
    WorkerExecutor db() {
        return db;
    }

    DeviceAuthenticator deviceAuth() {
        return deviceAuth;
    }

    TokenAuthenticator tokenAuth() {
        return tokenAuth;
    }

    /** One server instance per core. */
    static int instances() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Vert.x shares a listening socket between the instances of a server only when they ask
     * for the same concrete port; port 0 would give each its own. So a free port is chosen
     * first when the configuration says 0.
     */
    static int concretePort(String host, int port) {
        if (port != 0) {
            return port;
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + host, e);
        }
    }

    /**
     * Deploys {@code instances} copies of a server verticle in one deployment, so that Vert.x
     * shares one listening socket between them (a requested port 0 included) and spreads
     * connections across event loops. Returns the bound port.
     */
    <V extends Deployable> int deploy(int instances, Supplier<V> factory, ToIntFunction<V> actualPort) {
        List<V> created = new CopyOnWriteArrayList<>();
        deployments.add(await(vertx.deployVerticle(() -> {
            V verticle = factory.get();
            created.add(verticle);
            return verticle;
        }, new DeploymentOptions().setInstances(instances))));
        int bound = actualPort.applyAsInt(created.get(0));
        for (V verticle : created) {
            if (actualPort.applyAsInt(verticle) != bound) {
                throw new IllegalStateException("server instances bound different ports: " + bound + " and "
                        + actualPort.applyAsInt(verticle));
            }
        }
        return bound;
    }

    /** Stops the servers deployed by {@link #deploy}; blocking. */
    void undeployAll() {
        for (String id : deployments) {
            await(vertx.undeploy(id));
        }
    }

    /** Closes Vert.x (its timers and pools with it); blocking. */
    @Override
    public void close() {
        await(vertx.close());
    }
}
