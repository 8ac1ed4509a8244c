package fr.gardien.gateway.registry;

import fr.gardien.model.ApiToken;
import fr.gardien.model.Portfolio;
import fr.gardien.storage.access.RegistryStore;
import fr.gardien.storage.access.StoredRegistry;
import fr.gardien.storage.access.TokenStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the registry: loads the portfolio file into the database, serves the current
 * {@link Registry} snapshot, and reloads when the file changes. A reload that fails validation
 * changes nothing: the previous registry stays in force and the errors are logged.
 *
 * <p>All methods but {@link #current()} are blocking (file and database I/O) and run on a
 * worker thread. Loads are serialised: a slow reload is never overlapped by the next poll.
 */
public final class RegistryService implements RegistryView {

    private static final Logger log = LoggerFactory.getLogger(RegistryService.class);

    private final Path portfolioFile;
    private final RegistryStore store;
    private final SecretHasher hasher;
    private final Function<Portfolio, List<String>> check;
    private final AtomicReference<Registry> current = new AtomicReference<>();
    private volatile FileStamp loadedStamp;

    /**
     * @param portfolioFile the portfolio file, or {@code null} to serve what the database holds
     */
    public RegistryService(Path portfolioFile, RegistryStore store, SecretHasher hasher) {
        this(portfolioFile, store, hasher, p -> List.of());
    }

    /**
     * @param check the errors of a portfolio that a load must refuse (issue 14: points of a
     *     category without a declared purpose), empty when it may be applied
     */
    public RegistryService(Path portfolioFile, RegistryStore store, SecretHasher hasher,
                           Function<Portfolio, List<String>> check) {
        this.portfolioFile = portfolioFile;
        this.store = Objects.requireNonNull(store);
        this.hasher = Objects.requireNonNull(hasher);
        this.check = Objects.requireNonNull(check);
    }

    /** The registry in force; never {@code null} once {@link #start()} has returned. */
    @Override
    public Registry current() {
        return current.get();
    }

    /**
     * Loads the portfolio file into the database (or, without a file, what the database holds).
     *
     * @throws PortfolioException when the file is invalid: start-up must stop
     */
    public synchronized Registry start() {
        if (portfolioFile == null) {
            Registry registry = Registry.of(store.load());
            current.set(registry);
            log.warn("no portfolio file configured: serving the registry stored in the database [sites: {}, points: {}, devices: {}]",
                    registry.sites().size(), registry.pointCount(), registry.deviceCount());
            return registry;
        }
        return apply();
    }

    /**
     * Reloads the file if it changed since the last load.
     *
     * @return true when a new registry is in force
     */
    public synchronized boolean reloadIfChanged() {
        if (portfolioFile == null) {
            return false;
        }
        FileStamp stamp = FileStamp.of(portfolioFile);
        if (stamp == null || stamp.equals(loadedStamp)) {
            return false;
        }
        try {
            apply();
            return true;
        } catch (PortfolioException e) {
            loadedStamp = stamp; // do not retry the same broken file every few seconds
            log.warn("portfolio reload refused, the previous registry stays in force [file: {}]:\n{}",
                    portfolioFile, e.getMessage());
            return false;
        }
    }

    /**
     * Reloads the file now, whether it changed or not.
     *
     * @throws PortfolioException when the file is invalid; the previous registry stays in force
     */
    public synchronized Registry reload() {
        if (portfolioFile == null) {
            throw new IllegalStateException("no portfolio file is configured");
        }
        return apply();
    }

    /**
     * Reloads the API tokens from the database into the registry in force: after a token was
     * created or revoked through the API (on this gateway or another sharing the database).
     *
     * @return the registry now in force
     */
    public synchronized Registry refreshTokens(TokenStore tokens) {
        List<ApiToken> stored = tokens.tokens();
        Registry base = current.get();
        if (base.apiTokens().equals(stored)) {
            return base;
        }
        Registry refreshed = base.withTokens(stored);
        current.set(refreshed);
        return refreshed;
    }

    private Registry apply() {
        FileStamp stamp = FileStamp.of(portfolioFile);
        PortfolioLoader.Loaded loaded = PortfolioLoader.loadWithCoapAccess(portfolioFile, hasher);
        List<String> refused = check.apply(loaded.portfolio());
        if (!refused.isEmpty()) {
            throw new PortfolioException(refused.stream().map(e -> portfolioFile + ": " + e).toList());
        }
        StoredRegistry stored = store.apply(loaded.portfolio());
        Registry registry = Registry.of(stored, loaded.coapAccess());
        current.set(registry);
        loadedStamp = stamp;
        log.info("portfolio loaded [file: {}, sites: {}, points: {}, devices: {}, api tokens: {}]",
                portfolioFile, registry.sites().size(), registry.pointCount(), registry.deviceCount(),
                registry.apiTokens().size());
        return registry;
    }

    /** What tells a changed file: modification time and size. */
    private record FileStamp(FileTime modified, long size) {
        static FileStamp of(Path file) {
            try {
                return new FileStamp(Files.getLastModifiedTime(file), Files.size(file));
            } catch (IOException e) {
                return null;
            }
        }
    }
}
