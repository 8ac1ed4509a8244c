package fr.gardien.gateway.auth;

import io.vertx.core.Future;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A brake on credential guessing (issue 15), for every protocol that checks a secret: MQTT
 * CONNECT, HTTP Basic telemetry, plain CoAP, CoAP over DTLS-PSK and API tokens.
 *
 * <p>Failed checks are counted per source address (an IPv6 address by its /64, which one
 * subscriber holds whole) and per device id. Past {@code maxFailures} from one address, that
 * address is refused for {@code blockTime}; past {@code deviceMaxFailures} for one device from
 * anywhere, the device is refused from the addresses it has not authenticated from before. Each
 * new refusal of the same key lasts twice the previous one, up to 64 times {@code blockTime};
 * failures are forgotten after ten block times without one. A refused attempt is not checked
 * at all, so it costs no hash and teaches nothing.
 *
 * <p>What keeps a legitimate device in: a device that authenticated from an address is let
 * through from that address whatever the counters say (for 30 days after its last success), so
 * an attacker can neither lock out a device from where it usually connects, nor a whole NAT
 * shared with devices; and the device counter only closes unknown addresses, so guessing from
 * many addresses slows the guessing without cutting the device off. The known pairs live in
 * memory: after a restart a device is known again at its first success.
 *
 * <p>Memory is bounded: each table holds at most {@link #MAX_ENTRIES} keys; past that, stale
 * keys are swept, and while it is still full new keys are not counted (the existing refusals
 * stay in force).
 */
public final class AuthBrake {

    private static final Logger log = LoggerFactory.getLogger(AuthBrake.class);
    static final int MAX_ENTRIES = 100_000;
    private static final int MAX_DOUBLINGS = 6;
    static final Duration KNOWN_PAIR_TTL = Duration.ofDays(30);

    /** What the brake reports: {@code gardien_auth_failures_total{protocol, outcome}}. */
    public interface Metrics {
        Metrics NOOP = (protocol, outcome) -> { };

        /** One failed or refused authentication: outcome {@code wrong-secret} or {@code refused}. */
        void authFailure(String protocol, String outcome);
    }

    private final int maxFailures;
    private final int deviceMaxFailures;
    private final long blockNanos;
    private final Metrics metrics;
    private final LongSupplier nanoTime;
    private final Map<String, Counter> byAddress = new ConcurrentHashMap<>();
    private final Map<String, Counter> byDevice = new ConcurrentHashMap<>();
    private final Map<String, Long> knownPairs = new ConcurrentHashMap<>();
    /** The addresses of {@link #knownPairs}, with their last success. */
    private final Map<String, Long> knownSources = new ConcurrentHashMap<>();

    public AuthBrake(int maxFailures, int deviceMaxFailures, Duration blockTime, Metrics metrics) {
        this(maxFailures, deviceMaxFailures, blockTime, metrics, System::nanoTime);
    }

    AuthBrake(int maxFailures, int deviceMaxFailures, Duration blockTime, Metrics metrics, LongSupplier nanoTime) {
        this.maxFailures = maxFailures;
        this.deviceMaxFailures = deviceMaxFailures;
        this.blockNanos = blockTime.toNanos();
        this.metrics = metrics;
        this.nanoTime = nanoTime;
    }

    /**
     * Runs {@code check} unless the brake refuses the attempt, and counts its outcome.
     *
     * @param deviceId the device claimed, or {@code null} (API tokens)
     * @param address the peer's IP address as text, or {@code null} when unknown
     * @return {@code check}'s result; failed with {@link AuthException.Reason#THROTTLED} when
     *     refused, without running it
     */
    public <T> Future<T> guard(String protocol, String deviceId, String address, Supplier<Future<T>> check) {
        long retryNanos = refusal(protocol, deviceId, address);
        if (retryNanos > 0) {
            return Future.failedFuture(AuthException.throttled(Duration.ofNanos(retryNanos)));
        }
        return check.get().andThen(ar -> {
            if (ar.succeeded()) {
                succeeded(deviceId, address);
            } else if (ar.cause() instanceof AuthException e && e.reason() == AuthException.Reason.BAD_CREDENTIALS) {
                failed(protocol, deviceId, address);
            }
        });
    }

    /**
     * The first half of {@link #guard}, for a protocol whose check does not fit in one future
     * (DTLS: the key is looked up mid-handshake and proved wrong later): nanoseconds until this
     * attempt may be made, 0 when it may be made now; a refusal is counted.
     */
    public long refusal(String protocol, String deviceId, String address) {
        String source = address == null ? null : source(address);
        long retryNanos = refusal(deviceId, source, nanoTime.getAsLong());
        if (retryNanos > 0) {
            metrics.authFailure(protocol, "refused");
            log.debug("authentication refused by the brake [protocol: {}, retry in: {} s]", protocol, retryNanos / 1_000_000_000L);
        }
        return retryNanos;
    }

    /** A failed check (unknown device or wrong secret), counted as {@link #guard} does. */
    public void failed(String protocol, String deviceId, String address) {
        metrics.authFailure(protocol, "wrong-secret");
        long at = nanoTime.getAsLong();
        if (address != null) {
            fail(byAddress, source(address), maxFailures, at);
        }
        if (deviceId != null) {
            fail(byDevice, deviceId, deviceMaxFailures, at);
        }
    }

    /** A successful check: the device is let through from this address from now on. */
    public void succeeded(String deviceId, String address) {
        if (deviceId != null && address != null) {
            String source = source(address);
            long at = nanoTime.getAsLong();
            remember(knownPairs, deviceId + " " + source, at);
            remember(knownSources, source, at);
        }
    }

    /**
     * Whether everything from this address may be refused before any device is named: the
     * address is refused and no device has authenticated from it (so no device can be locked out
     * by refusing it whole). A datagram protocol drops such an address's handshakes unread.
     */
    public boolean addressRefused(String address) {
        String source = source(address);
        long now = nanoTime.getAsLong();
        Counter counter = byAddress.get(source);
        if (counter == null || counter.blockedFor(now) == 0) {
            return false;
        }
        Long known = knownSources.get(source);
        return known == null || now - known >= KNOWN_PAIR_TTL.toNanos();
    }

    /** Nanoseconds until the attempt may be made, 0 when it may be made now. */
    private long refusal(String deviceId, String source, long now) {
        if (deviceId != null && source != null) {
            Long known = knownPairs.get(deviceId + " " + source);
            if (known != null && now - known < KNOWN_PAIR_TTL.toNanos()) {
                return 0;
            }
        }
        long wait = 0;
        Counter address = source == null ? null : byAddress.get(source);
        if (address != null) {
            wait = Math.max(wait, address.blockedFor(now));
        }
        Counter device = deviceId == null ? null : byDevice.get(deviceId);
        if (device != null) {
            wait = Math.max(wait, device.blockedFor(now));
        }
        return wait;
    }

    private void fail(Map<String, Counter> table, String key, int threshold, long now) {
        Counter counter = table.get(key);
        if (counter == null) {
            if (table.size() >= MAX_ENTRIES) {
                sweep(table, now);
                if (table.size() >= MAX_ENTRIES) {
                    return;
                }
            }
            counter = table.computeIfAbsent(key, k -> new Counter());
        }
        if (counter.fail(now, threshold, blockNanos)) {
            log.info("authentication brake engaged [table: {}, for: {} s]", table == byAddress ? "address" : "device",
                    counter.blockedFor(now) / 1_000_000_000L);
        }
    }

    private void sweep(Map<String, Counter> table, long now) {
        table.entrySet().removeIf(e -> e.getValue().forgotten(now, blockNanos));
    }

    private void remember(Map<String, Long> pairs, String key, long now) {
        if (pairs.size() >= MAX_ENTRIES && !pairs.containsKey(key)) {
            pairs.entrySet().removeIf(e -> now - e.getValue() >= KNOWN_PAIR_TTL.toNanos());
            if (pairs.size() >= MAX_ENTRIES) {
                return;
            }
        }
        pairs.put(key, now);
    }

    /** The key of an address: itself for IPv4, its /64 prefix for IPv6. */
    static String source(String address) {
        String host = address.startsWith("[") ? address.substring(1, address.indexOf(']')) : address;
        if (host.indexOf(':') < 0) {
            return host;
        }
        try {
            byte[] bytes = InetAddress.getByName(host).getAddress();
            if (bytes.length != 16) {
                return host;
            }
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString(((bytes[i] & 0xFF) << 8) | (bytes[i + 1] & 0xFF))).append(':');
            }
            return prefix.append(":/64").toString();
        } catch (UnknownHostException e) {
            return host;
        }
    }

    /** Failures of one key since the last refusal, and the refusal in force. */
    private static final class Counter {
        private int failures;
        private int blocks;
        private long lastFailureNanos;
        private long blockedUntilNanos;

        synchronized long blockedFor(long now) {
            return Math.max(0, blockedUntilNanos - now);
        }

        /** Counts a failure; true when it starts a refusal. */
        synchronized boolean fail(long now, int threshold, long blockNanos) {
            if (failures + blocks > 0 && now - lastFailureNanos > 10 * blockNanos && now >= blockedUntilNanos) {
                failures = 0;
                blocks = 0;
            }
            lastFailureNanos = now;
            if (++failures < threshold) {
                return false;
            }
            failures = 0;
            // Yes, the refusal counts from now even if one is in force: a key still failing stays out.
            blockedUntilNanos = now + (blockNanos << Math.min(blocks, MAX_DOUBLINGS));
            blocks++;
            return true;
        }

        synchronized boolean forgotten(long now, long blockNanos) {
            return now >= blockedUntilNanos && now - lastFailureNanos > 10 * blockNanos;
        }
    }
}
