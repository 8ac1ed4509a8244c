package fr.gardien.gateway.ticketing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The ticket callback's authentication: {@code X-Gardien-Timestamp} (Unix seconds) within
 * {@link #MAX_SKEW} of the gateway's clock, and {@code X-Gardien-Signature: sha256=HEX}, the
 * HMAC-SHA256 with the shared secret of the timestamp, a dot and the raw body. The timestamp is
 * inside the signed text so that a captured request cannot be replayed later with a fresh one.
 */
public final class CallbackSignature {

    public static final Duration MAX_SKEW = Duration.ofMinutes(5);
    private static final String PREFIX = "sha256=";

    private final byte[] key;

    public CallbackSignature(String secret) {
        this.key = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** The header value for this timestamp and body: what the ticketing system must send. */
    public String sign(String timestamp, byte[] body) {
        return PREFIX + HexFormat.of().formatHex(mac(timestamp, body));
    }

    /**
     * @return {@code null} when the request is authentic and fresh, else why not (for the audit
     *     log; never the signature or the body)
     */
    public String check(String timestamp, String signature, byte[] body, Instant now) {
        if (timestamp == null || signature == null) {
            return "missing signature or timestamp header";
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return "timestamp is not Unix seconds";
        }
        // Yes, both directions: a clock ahead of ours is as suspect as one behind.
        if (Math.abs(now.getEpochSecond() - seconds) > MAX_SKEW.toSeconds()) {
            return "timestamp outside ±" + MAX_SKEW.toMinutes() + " min";
        }
        if (!signature.startsWith(PREFIX)) {
            return "signature is not sha256=HEX";
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signature.substring(PREFIX.length()).trim().toLowerCase());
        } catch (IllegalArgumentException e) {
            return "signature is not sha256=HEX";
        }
        // Constant time: the comparison must not tell how many leading bytes were right.
        return MessageDigest.isEqual(mac(timestamp.trim(), body), given) ? null : "signature does not match";
    }

    private byte[] mac(String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) '.');
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
