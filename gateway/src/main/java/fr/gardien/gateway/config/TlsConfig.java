package fr.gardien.gateway.config;

import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.TCPSSLOptions;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A TLS listener (issue 14): its port and its certificate chain and private key, PEM files.
 * Only the paths are kept: the key is read by the server when it binds, never held or logged here.
 *
 * @param port the TCP port, 0 to 65535; 0 picks a free port
 * @param cert the certificate chain, server certificate first (PEM)
 * @param key the private key of the first certificate (unencrypted PEM: PKCS#8, PKCS#1 RSA or SEC1 EC)
 */
public record TlsConfig(int port, Path cert, Path key) {

    /** TLS 1.0 and 1.1 are refused (RFC 8996). */
    public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

    public TlsConfig {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("TLS port out of range: " + port);
        }
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(key, "key");
    }

    /**
     * The listener of a section, from its keys: none when neither file is set; checked (files
     * readable, a certificate, a key, the key matching the certificate) when both are.
     *
     * @throws ConfigKey.Invalid naming the key at fault, in English and French
     */
    static Optional<TlsConfig> of(ConfigKey certKey, ConfigKey keyKey, int port, Path cert, Path key) {
        if (cert == null && key == null) {
            return Optional.empty();
        }
        if (cert == null) {
            throw new ConfigKey.Invalid(certKey, "must be set with " + keyKey.key + " / à renseigner avec " + keyKey.key);
        }
        if (key == null) {
            throw new ConfigKey.Invalid(keyKey, "must be set with " + certKey.key + " / à renseigner avec " + certKey.key);
        }
        PemCredentials.check(certKey, cert, keyKey, key);
        return Optional.of(new TlsConfig(port, cert, key));
    }

    /** Turns TLS on in a server's options: this certificate and key, TLS 1.2 and 1.3 only. */
    public void applyTo(TCPSSLOptions options) {
        options.setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString()))
                .setEnabledSecureTransportProtocols(PROTOCOLS);
    }

    /** A section whose clear listener is off must have a TLS one. */
    static void checkSomeListener(ConfigKey plainKey, boolean plainEnabled, Optional<TlsConfig> tls, ConfigKey certKey) {
        if (!plainEnabled && tls.isEmpty()) {
            throw new ConfigKey.Invalid(plainKey, "false leaves no listener: set " + certKey.key + " and its key"
                    + " / false ne laisse aucun port d'écoute : renseigner " + certKey.key + " et sa clé");
        }
    }
}
