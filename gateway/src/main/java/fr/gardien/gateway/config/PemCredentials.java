package fr.gardien.gateway.config;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * Reads and checks a TLS listener's PEM files, at start-up (a wrong file stops the gateway with the
 * key named rather than failing at the first handshake) and at each reload (a wrong file is
 * refused, the certificate in force stays). Messages never quote the files' content.
 */
final class PemCredentials {

    private static final String[] KEY_TYPES = {"RSA", "EC", "EdDSA", "Ed25519"};

    private PemCredentials() {
    }

    /** @throws ConfigKey.Invalid for the certificate's or the key's key, in English and French */
    static void check(ConfigKey certKey, Path cert, ConfigKey keyKey, Path key) {
        load(certKey, read(certKey, cert, "certificate", "le certificat"), cert, keyKey,
                read(keyKey, key, "private key", "la clé privée"), key);
    }

    /**
     * The certificate authorities of a PEM file, for client certificates.
     *
     * @throws ConfigKey.Invalid when the file cannot be read or holds no certificate
     */
    static List<X509Certificate> authorities(ConfigKey caKey, Path ca) {
        byte[] pem = read(caKey, ca, "certificate authority", "l'autorité de certification");
        List<X509Certificate> out = certificates(pem);
        if (out.isEmpty()) {
            throw new ConfigKey.Invalid(caKey, "no PEM certificate in " + ca + " / aucun certificat PEM dans " + ca);
        }
        return out;
    }

    /** The files' content, read once, so that the check and the credentials are of the same bytes. */
    static byte[] read(ConfigKey configKey, Path path, boolean isKey) {
        return isKey ? read(configKey, path, "private key", "la clé privée") : read(configKey, path, "certificate", "le certificat");
    }

    /**
     * The key manager of a certificate chain and its key, checked: a certificate, an unencrypted
     * key, and the key matching the first certificate.
     *
     * @throws ConfigKey.Invalid for the certificate's or the key's key, in English and French
     */
    static X509ExtendedKeyManager load(ConfigKey certKey, byte[] certPem, Path cert, ConfigKey keyKey, byte[] keyPem, Path key) {
        if (certificates(certPem).isEmpty()) {
            throw new ConfigKey.Invalid(certKey, "no PEM certificate in " + cert + " / aucun certificat PEM dans " + cert);
        }
        X509KeyManager manager;
        try {
            // Values, not paths: no Vert.x instance is needed to parse them.
            KeyManager[] managers = new PemKeyCertOptions().setKeyValue(Buffer.buffer(keyPem)).setCertValue(Buffer.buffer(certPem))
                    .getKeyManagerFactory(null).getKeyManagers();
            manager = (X509KeyManager) managers[0];
        } catch (Exception e) {
            if (String.valueOf(e.getMessage()).contains("does not match")) {
                throw mismatch(keyKey, key, certKey);
            }
            throw new ConfigKey.Invalid(keyKey, "no unencrypted PEM private key (PKCS#8, PKCS#1 RSA or EC) in " + key
                    + " / aucune clé privée PEM non chiffrée (PKCS#8, PKCS#1 RSA ou EC) dans " + key);
        }
        if (!(manager instanceof X509ExtendedKeyManager extended) || !matches(manager)) {
            throw mismatch(keyKey, key, certKey);
        }
        return extended;
    }

    private static List<X509Certificate> certificates(byte[] pem) {
        try {
            Collection<? extends Certificate> all = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem));
            return all.stream().filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast).toList();
        } catch (GeneralSecurityException | RuntimeException e) {
            return List.of();
        }
    }

    private static byte[] read(ConfigKey configKey, Path path, String what, String quoi) {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ConfigKey.Invalid(configKey, what + " file not found: " + path + " / fichier introuvable pour " + quoi
                    + " : " + path);
        } catch (AccessDeniedException e) {
            throw new ConfigKey.Invalid(configKey, "cannot read the " + what + " (permission denied): " + path
                    + " / lecture impossible de " + quoi + " (permission refusée) : " + path);
        } catch (IOException e) {
            throw new ConfigKey.Invalid(configKey, "cannot read the " + what + ": " + path + " (" + e.getClass().getSimpleName()
                    + ") / lecture impossible de " + quoi + " : " + path);
        }
    }

    /** Signs a random challenge with the key and verifies it with the first certificate's public key. */
    private static boolean matches(X509KeyManager manager) {
        for (String type : KEY_TYPES) {
            String[] aliases = manager.getServerAliases(type, null);
            if (aliases == null || aliases.length == 0) {
                continue;
            }
            PrivateKey privateKey = manager.getPrivateKey(aliases[0]);
            X509Certificate[] chain = manager.getCertificateChain(aliases[0]);
            try {
                String algorithm = switch (privateKey.getAlgorithm()) {
                    case "RSA" -> "SHA256withRSA";
                    case "EC" -> "SHA256withECDSA";
                    default -> privateKey.getAlgorithm(); // EdDSA, Ed25519, Ed448
                };
                byte[] challenge = new byte[32];
                ThreadLocalRandom.current().nextBytes(challenge);
                Signature signer = Signature.getInstance(algorithm);
                signer.initSign(privateKey);
                signer.update(challenge);
                byte[] signature = signer.sign();
                Signature verifier = Signature.getInstance(algorithm);
                verifier.initVerify(chain[0].getPublicKey());
                verifier.update(challenge);
                return verifier.verify(signature);
            } catch (GeneralSecurityException e) {
                return false;
            }
        }
        return false;
    }

    private static ConfigKey.Invalid mismatch(ConfigKey keyKey, Path key, ConfigKey certKey) {
        return new ConfigKey.Invalid(keyKey, "the private key " + key + " does not match the certificate of " + certKey.key
                + " / la clé privée " + key + " ne correspond pas au certificat de " + certKey.key);
    }
}
