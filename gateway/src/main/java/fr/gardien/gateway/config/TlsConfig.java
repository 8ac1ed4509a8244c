package fr.gardien.gateway.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A TLS listener (issue 14): its port and its certificate chain and private key, PEM files.
 * Only the paths are kept: the key is read by the listener's {@code ServerCredentials}, never held
 * or logged here.
 *
 * @param port the TCP port, 0 to 65535; 0 picks a free port
 * @param cert the certificate chain, server certificate first (PEM)
 * @param key the private key of the first certificate (unencrypted PEM: PKCS#8, PKCS#1 RSA or SEC1 EC)
 * @param clientCa the certificate authorities (PEM) that sign the devices' client certificates,
 *     when the listener authenticates devices by certificate ({@code mqtt.tls.client-ca})
 */
public record TlsConfig(int port, Path cert, Path key, Optional<Path> clientCa) {

    /** TLS 1.0 and 1.1 are refused (RFC 8996). */
    public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

    public TlsConfig {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("TLS port out of range: " + port);
        }
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(clientCa, "clientCa");
    }

    /** A listener without client certificates. */
    public TlsConfig(int port, Path cert, Path key) {
        this(port, cert, key, Optional.empty());
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

    /**
     * This listener, requiring a client certificate signed by {@code ca} when it is set.
     *
     * @throws ConfigKey.Invalid when the file holds no PEM certificate
     */
    TlsConfig withClientCa(ConfigKey caKey, Path ca) {
        if (ca == null) {
            return this;
        }
        PemCredentials.authorities(caKey, ca);
        return new TlsConfig(port, cert, key, Optional.of(ca));
    }

    /** A client CA needs the listener it belongs to. */
    static Optional<TlsConfig> noClientCaWithoutTls(ConfigKey caKey, Path ca, ConfigKey certKey) {
        if (ca != null) {
            throw new ConfigKey.Invalid(caKey, "needs " + certKey.key + " and its key (a TLS listener)"
                    + " / demande " + certKey.key + " et sa clé (un port TLS)");
        }
        return Optional.empty();
    }

    /** A section whose clear listener is off must have a TLS one. */
    static void checkSomeListener(ConfigKey plainKey, boolean plainEnabled, Optional<TlsConfig> tls, ConfigKey certKey) {
        if (!plainEnabled && tls.isEmpty()) {
            throw new ConfigKey.Invalid(plainKey, "false leaves no listener: set " + certKey.key + " and its key"
                    + " / false ne laisse aucun port d'écoute : renseigner " + certKey.key + " et sa clé");
        }
    }
}
