package fr.gardien.gateway.registry;

import fr.gardien.model.ApiToken;
import fr.gardien.model.Device;
import fr.gardien.model.Portfolio;
import fr.gardien.storage.access.PortfolioStamps;
import fr.gardien.storage.access.RegistryStore;
import fr.gardien.storage.access.StoredRegistry;
import fr.gardien.storage.access.TokenStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the registry: loads the portfolio file into the database, serves the current
 * {@link Registry} snapshot, and reloads when the file changes. A reload that fails validation
 * changes nothing: the previous registry stays in force and the errors are logged.
 *
 * <p>In a cluster (issue 13, {@link Sharing}) the database is the source of truth: only the
 * process that leads applies its file, and only when that file is newer (by modification time)
 * than the one last applied ({@link PortfolioStamps}); every process, the leader included, serves
 * what the database holds ({@link #follow()}). A process's own file then only gives the CoAP
 * access of the devices whose stored secret it matches (the database keeps no key in clear).
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
    private final Sharing sharing;
    private final AtomicReference<Registry> current = new AtomicReference<>();
    private volatile FileStamp loadedStamp;
    /** Cluster: this process's file as last read (its CoAP access), and the database version served. */
    private PortfolioLoader.Loaded ownFile;
    private long followedVersion = -1;
    /** Cluster: the (file, database version) pair the leader last judged, so that it judges each once. */
    private Judged judged;
    /** Cluster: devices whose stored hash this process's file was checked against, and the result. */
    private final Map<Device, Boolean> verified = new HashMap<>();

    /**
     * How a process shares the registry with others on the same database (issue 13).
     *
     * @param leads whether this process leads now (it alone applies its file)
     * @param stamps the stamp of the file last applied
     * @param processName names this process in the stamp and the logs
     * @param announce tells the other processes that the registry changed (after an apply)
     */
    public record Sharing(BooleanSupplier leads, PortfolioStamps stamps, String processName, Runnable announce) {
    }

    private record Judged(FileStamp file, long version) {
    }

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
        this(portfolioFile, store, hasher, check, null);
    }

    /**
     * @param sharing how the registry is shared with other processes; {@code null} for a process
     *     alone on its database (role {@code all}), which applies its file as it finds it
     */
    public RegistryService(Path portfolioFile, RegistryStore store, SecretHasher hasher,
                           Function<Portfolio, List<String>> check, Sharing sharing) {
        this.portfolioFile = portfolioFile;
        this.store = Objects.requireNonNull(store);
        this.hasher = Objects.requireNonNull(hasher);
        this.check = Objects.requireNonNull(check);
        this.sharing = sharing;
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
        if (sharing != null) {
            // Every process checks its file at start (a broken file stops it), then serves the database.
            readOwnFile();
            if (sharing.leads().getAsBoolean()) {
                applyIfNewer();
            }
            follow();
            return current.get();
        }
        return apply();
    }

    /**
     * Reloads the file if it changed since the last load.
     *
     * @return true when a new registry is in force
     */
    public synchronized boolean reloadIfChanged() {
        if (sharing != null) {
            return pollShared();
        }
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

    /**
     * Cluster: serves what the database holds, when it changed since last served (another
     * process applied a file, or this one's file changed). Also what a notification from another
     * process triggers.
     *
     * @return true when a new registry is in force
     */
    public synchronized boolean follow() {
        if (sharing == null) {
            throw new IllegalStateException("a process alone on its database follows its own file");
        }
        long version = sharing.stamps().read().map(PortfolioStamps.Stamp::version).orElse(0L);
        if (version == followedVersion && current.get() != null) {
            return false;
        }
        StoredRegistry stored = store.load();
        Registry registry = Registry.of(stored, coapAccessOf(stored));
        current.set(registry);
        followedVersion = version;
        log.info("registry loaded from the database [version: {}, sites: {}, points: {}, devices: {}, api tokens: {}]",
                version, registry.sites().size(), registry.pointCount(), registry.deviceCount(), registry.apiTokens().size());
        return true;
    }

    /** Cluster, every poll: rereads this process's file if it changed; the leader applies it if newer; all follow. */
    private boolean pollShared() {
        boolean fileChanged = false;
        if (portfolioFile != null) {
            FileStamp stamp = FileStamp.of(portfolioFile);
            if (stamp != null && !stamp.equals(loadedStamp)) {
                try {
                    readOwnFile();
                    fileChanged = true;
                } catch (PortfolioException e) {
                    loadedStamp = stamp;
                    log.warn("portfolio file refused, this process keeps its previous copy [file: {}]:\n{}", portfolioFile,
                            e.getMessage());
                }
            }
            if (sharing.leads().getAsBoolean()) {
                applyIfNewer();
            }
        }
        if (fileChanged) {
            followedVersion = -1; // the CoAP access drawn from the file changed
        }
        return follow();
    }

    /** Reads and checks this process's file, keeping it for its CoAP access (cluster). */
    private void readOwnFile() {
        FileStamp stamp = FileStamp.of(portfolioFile);
        ownFile = load();
        verified.clear();
        loadedStamp = stamp;
    }

    /**
     * The leader: applies its file when it is newer than the one last applied, judging each
     * (file, database version) pair once.
     */
    private void applyIfNewer() {
        FileStamp file = FileStamp.of(portfolioFile);
        Optional<PortfolioStamps.Stamp> inForce = sharing.stamps().read();
        Judged now = new Judged(file, inForce.map(PortfolioStamps.Stamp::version).orElse(0L));
        if (file == null || now.equals(judged)) {
            return;
        }
        judged = now;
        if (inForce.isPresent()) {
            PortfolioStamps.Stamp stamp = inForce.get();
            if (stamp.contentSha256().equals(sha256(portfolioFile))) {
                return;
            }
            if (!file.instant().isAfter(stamp.fileModified())) {
                log.warn("this process's portfolio file is older than the one in force: not applied [file: {}, modified: {},"
                        + " in force: modified {} by {}]", portfolioFile, file.instant(), stamp.fileModified(), stamp.appliedBy());
                return;
            }
        }
        try {
            apply();
        } catch (PortfolioException e) {
            log.warn("portfolio not applied, the registry in force stays [file: {}]:\n{}", portfolioFile, e.getMessage());
        }
    }

    /**
     * The CoAP access this process's file gives to the stored devices: only where the file's
     * secret matches the stored hash, so that an old copy of the file lets no old secret in.
     */
    private Map<String, CoapAccess> coapAccessOf(StoredRegistry stored) {
        if (ownFile == null) {
            return Map.of();
        }
        Map<String, Device> declared = new HashMap<>();
        ownFile.portfolio().devices().forEach(d -> declared.put(d.id(), d));
        Map<String, CoapAccess> access = new HashMap<>();
        for (Device device : stored.devices()) {
            CoapAccess own = ownFile.coapAccess().get(device.id());
            Device mine = declared.get(device.id());
            if (own == null || mine == null || !mine.site().equals(device.site())) {
                continue;
            }
            boolean same = verified.computeIfAbsent(device, d -> own.secret() == null
                    ? mine.secretHash().equals(d.secretHash()) : hasher.verify(own.secret(), d.secretHash()));
            if (same) {
                access.put(device.id(), own);
            }
        }
        return access;
    }

    private PortfolioLoader.Loaded load() {
        PortfolioLoader.Loaded loaded = PortfolioLoader.loadWithCoapAccess(portfolioFile, hasher);
        List<String> refused = check.apply(loaded.portfolio());
        if (!refused.isEmpty()) {
            throw new PortfolioException(refused.stream().map(e -> portfolioFile + ": " + e).toList());
        }
        return loaded;
    }

    private Registry apply() {
        FileStamp stamp = FileStamp.of(portfolioFile);
        String digest = sharing == null ? null : sha256(portfolioFile);
        PortfolioLoader.Loaded loaded = load();
        StoredRegistry stored = store.apply(loaded.portfolio());
        Registry registry = Registry.of(stored, loaded.coapAccess());
        current.set(registry);
        loadedStamp = stamp;
        if (sharing != null && stamp != null) {
            ownFile = loaded;
            verified.clear();
            PortfolioStamps.Stamp recorded = sharing.stamps().record(stamp.instant(), digest, sharing.processName());
            followedVersion = recorded.version();
            judged = new Judged(stamp, recorded.version());
            sharing.announce().run();
        }
        log.info("portfolio loaded [file: {}, sites: {}, points: {}, devices: {}, api tokens: {}]",
                portfolioFile, registry.sites().size(), registry.pointCount(), registry.deviceCount(),
                registry.apiTokens().size());
        return registry;
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new PortfolioException(List.of(file + ": cannot be read (" + e.getMessage() + ")"));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** What tells a changed file: modification time and size. */
    private record FileStamp(FileTime modified, long size) {

        /** The modification time to the microsecond, as the database keeps it. */
        Instant instant() {
            return modified.toInstant().truncatedTo(ChronoUnit.MICROS);
        }

        static FileStamp of(Path file) {
            try {
                return new FileStamp(Files.getLastModifiedTime(file), Files.size(file));
            } catch (IOException e) {
                return null;
            }
        }
    }
}
