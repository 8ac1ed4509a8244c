package fr.gardien.gateway.registry;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

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

    /**
     * @param iterations the PBKDF2 iteration count of new hashes, 1 to 10,000,000 (tests use few)
     * @throws IllegalArgumentException when out of range
     */
    public SecretHasher(int iterations) {
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be from 1 to " + MAX_ITERATIONS + ", got " + iterations);
        }
        this.iterations = iterations;
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
