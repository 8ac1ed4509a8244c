package fr.gardien.gateway.registry;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Salted PBKDF2-HMAC-SHA256 hashes of device secrets and API tokens, with the JDK only.
 * Format: {@code pbkdf2-sha256$<iterations>$<base64 salt>$<base64 hash>}, a 16-byte random salt
 * and a 32-byte hash. Verification uses the iteration count stored in the hash, so hashes made
 * with another count keep verifying. Thread-safe.
 */
public final class SecretHasher {

    /** 100,000 iterations: the production setting. */
    public static final SecretHasher DEFAULT = new SecretHasher(100_000);

    private static final String PREFIX = "pbkdf2-sha256";
    private static final Pattern FORMAT = Pattern.compile(
        Pattern.quote(PREFIX) + "\\$([1-9][0-9]{0,8})\\$([A-Za-z0-9+/]+={0,2})\\$([A-Za-z0-9+/]+={0,2})");
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    /** Bounds on a stored count, so that a hand-edited hash cannot make verification hang. */
    private static final int MAX_ITERATIONS = 10_000_000;
    private static final int MIN_SALT_BYTES = 8;

    private final int iterations;
    private final SecureRandom random = new SecureRandom();
    /** Hashes already made, by keyed fingerprint of the secret; null when not remembering. */
    private final Map<String, String> remembered;
    private final SecretKeySpec fingerprintKey;

    /**
     * @param iterations the PBKDF2 iteration count of new hashes, 1 to 10,000,000 (tests use few)
     * @throws IllegalArgumentException when out of range
     */
    public SecretHasher(int iterations) {
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be from 1 to " + MAX_ITERATIONS + ", got " + iterations);
        }
        this.iterations = iterations;
        this.remembered = null;
        this.fingerprintKey = null;
    }

    private SecretHasher(int iterations, boolean remembering) {
        this.iterations = iterations;
        this.remembered = new ConcurrentHashMap<>();
        byte[] key = new byte[32];
        random.nextBytes(key);
        this.fingerprintKey = new SecretKeySpec(key, "HmacSHA256");
    }

    /**
     * A hasher that gives the same hash again for a secret it already hashed in this process, so
     * that reloading an unchanged portfolio neither spends a PBKDF2 derivation per plain secret
     * nor changes the stored hashes (which would invalidate every remembered authentication).
     * Secrets are remembered by an HMAC under a random per-process key, never in clear.
     */
    public SecretHasher remembering() {
        return new SecretHasher(iterations, true);
    }

    /**
     * Hashes a secret with a fresh random salt.
     *
     * @throws IllegalArgumentException when the secret is empty
     */
    public String hash(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("cannot hash an empty secret");
        }
        if (remembered != null) {
            return remembered.computeIfAbsent(fingerprint(secret), f -> hashFresh(secret));
        }
        return hashFresh(secret);
    }

    private String fingerprint(String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(fingerprintKey);
            return Base64.getEncoder().encodeToString(mac.doFinal(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private String hashFresh(String secret) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder();
        return PREFIX + '$' + iterations + '$' + b64.encodeToString(salt) + '$'
            + b64.encodeToString(derive(secret, salt, iterations, HASH_BYTES));
    }

    /**
     * Checks a secret against an encoded hash, in time independent of where they differ.
     *
     * @return true when they match; false when they do not, or when the hash is malformed or
     *     the secret null or empty (never an exception)
     */
    public boolean verify(String secret, String encodedHash) {
        if (secret == null || secret.isEmpty()) {
            return false;
        }
        Parsed parsed = parse(encodedHash);
        if (parsed == null) {
            return false;
        }
        byte[] actual = derive(secret, parsed.salt, parsed.iterations, parsed.hash.length);
        return MessageDigest.isEqual(actual, parsed.hash);
    }

    /** True when the text is a hash in this class's format (with sane iterations, salt and hash sizes). */
    public static boolean isEncodedHash(String text) {
        return parse(text) != null;
    }

    private record Parsed(int iterations, byte[] salt, byte[] hash) {
    }

    private static Parsed parse(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            return null;
        }
        int count = Integer.parseInt(m.group(1));
        if (count > MAX_ITERATIONS) {
            return null;
        }
        try {
            byte[] salt = Base64.getDecoder().decode(m.group(2));
            byte[] hash = Base64.getDecoder().decode(m.group(3));
            if (salt.length < MIN_SALT_BYTES || hash.length != HASH_BYTES) {
                return null;
            }
            return new Parsed(count, salt, hash);
        } catch (IllegalArgumentException badBase64) {
            return null;
        }
    }

    private static byte[] derive(String secret, byte[] salt, int iterations, int bytes) {
        char[] chars = secret.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, bytes * 8);
        try {
            // A factory per call: SecretKeyFactory instances are not thread-safe.
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is required of every Java platform", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }

    @Override
    public String toString() {
        return "SecretHasher[" + PREFIX + ", iterations=" + iterations + "]";
    }
}
