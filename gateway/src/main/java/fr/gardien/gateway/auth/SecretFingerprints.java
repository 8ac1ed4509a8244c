package fr.gardien.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed fingerprints of presented secrets, so that a secret verified once against its salted
 * PBKDF2 hash is recognised again with one HMAC instead of a 100,000-round derivation. The key
 * is random per process and never leaves memory, so a fingerprint is useless outside it.
 */
final class SecretFingerprints {

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    SecretFingerprints() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        key = new SecretKeySpec(bytes, "HmacSHA256");
        macs = ThreadLocal.withInitial(this::newMac);
    }

    byte[] of(String secret) {
        return macs.get().doFinal(secret.getBytes(StandardCharsets.UTF_8));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
