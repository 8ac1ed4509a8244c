package fr.gardien.gateway.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Tokens created through the API: 256 random bits from {@link SecureRandom}, shown once, stored
 * as {@code sha256$<hex>}.
 *
 * <p>Why a fast unsalted hash is enough here, while the portfolio's secrets get PBKDF2: salts
 * and slow derivations defend low-entropy secrets chosen by people against dictionary and
 * brute-force search. A 256-bit random token has no dictionary, and searching 2^256 values is out
 * of reach whatever the hash costs, so a leaked table of these hashes reveals no token. The fast
 * hash lets the gateway find a presented token with one digest and one map read instead of a
 * derivation per stored token.
 */
public final class IssuedTokens {

    /** The prefix of every token made here, so that secret scanners and people can recognise one. */
    public static final String TOKEN_PREFIX = "gdn_";
    public static final String HASH_PREFIX = "sha256$";
    private static final int RANDOM_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private IssuedTokens() {
    }

    /** A fresh token: {@code gdn_} and 43 URL-safe base64 characters (256 bits). */
    public static String newToken() {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        return TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The stored form of a token: {@code sha256$} and the hex SHA-256 of its UTF-8 bytes. */
    public static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HASH_PREFIX + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** True for a hash made by {@link #hash}. */
    public static boolean isIssuedHash(String hash) {
        return hash != null && hash.startsWith(HASH_PREFIX);
    }
}
