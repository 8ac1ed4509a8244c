package fr.gardien.gateway.config;

import io.vertx.core.net.KeyCertOptions;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate chain and key a TLS listener serves (issue 14), swapped in place when their
 * files change: the TLS engine asks this key manager at every handshake, so new connections get
 * the renewed certificate and open ones keep theirs. One mechanism for HTTPS and MQTT over TLS
 * (vertx-mqtt 5.0 has no {@code updateSSLOptions}).
 *
 * <p>A renewed pair is read and checked like at start-up ({@link PemCredentials}); a pair that
 * fails (a file half written, a key of another certificate) is refused, logged once per content in
 * English and French, and the certificate in force stays. Aliases carry the generation they come
 * from, so a handshake that chose its alias just before a swap still gets a matching chain and key.
 */
public final class ServerCredentials extends X509ExtendedKeyManager {

    private static final Logger log = LoggerFactory.getLogger(ServerCredentials.class);

    /** What {@link #reloadIfChanged()} did. */
    public enum Reload { UNCHANGED, RELOADED, REFUSED }

    private record Generation(int number, X509ExtendedKeyManager manager, byte[] digest, X509Certificate certificate) {
    }

    private final String listener;
    private final ConfigKey certKey;
    private final Path cert;
    private final ConfigKey keyKey;
    private final Path key;
    private volatile Generation current;
    private volatile Generation previous;
    /** The content last refused, so that a broken file is reported once, not at every check. */
    private byte[] refusedDigest;

    private ServerCredentials(String listener, ConfigKey certKey, Path cert, ConfigKey keyKey, Path key) {
        this.listener = listener;
        this.certKey = certKey;
        this.cert = cert;
        this.keyKey = keyKey;
        this.key = key;
    }

    /**
     * Reads the files of {@code tls}. Blocking.
     *
     * @param listener the listener's name in logs ({@code https}, {@code mqtts})
     * @throws IllegalArgumentException naming the key at fault, in English and French
     */
    static ServerCredentials load(String listener, ConfigKey certKey, ConfigKey keyKey, TlsConfig tls) {
        ServerCredentials credentials = new ServerCredentials(listener, certKey, tls.cert(), keyKey, tls.key());
        byte[] certPem = PemCredentials.read(certKey, tls.cert(), false);
        byte[] keyPem = PemCredentials.read(keyKey, tls.key(), true);
        credentials.current = credentials.generation(1, certPem, keyPem);
        return credentials;
    }

    /** For a server's options: this key manager, asked at every handshake. */
    public KeyCertOptions options() {
        return KeyCertOptions.wrap(this);
    }

    /** The listener's name, as in the logs. */
    public String listener() {
        return listener;
    }

    /** The certificate served to new connections. */
    public X509Certificate certificate() {
        return current.certificate();
    }

    /**
     * Reads the files again and, when their content changed, serves them from the next
     * handshake on if they pass the start-up checks. Blocking (file reads): never on an event loop.
     */
    public synchronized Reload reloadIfChanged() {
        byte[] certPem;
        byte[] keyPem;
        try {
            certPem = PemCredentials.read(certKey, cert, false);
            keyPem = PemCredentials.read(keyKey, key, true);
        } catch (IllegalArgumentException unreadable) {
            // No content to tell it by: the message stands for it.
            return refuse(digest(String.valueOf(unreadable.getMessage()).getBytes(StandardCharsets.UTF_8), new byte[0]),
                    unreadable);
        }
        byte[] digest = digest(certPem, keyPem);
        if (MessageDigest.isEqual(digest, current.digest()) || MessageDigest.isEqual(digest, refusedDigest)) {
            return Reload.UNCHANGED;
        }
        Generation next;
        try {
            next = generation(current.number() + 1, certPem, keyPem);
        } catch (IllegalArgumentException refused) {
            return refuse(digest, refused);
        }
        previous = current;
        current = next;
        refusedDigest = null;
        X509Certificate served = next.certificate();
        log.info("TLS certificate reloaded [listener: {}, subject: {}, serial: {}, not after: {}]", listener,
                served.getSubjectX500Principal().getName(), served.getSerialNumber().toString(16),
                served.getNotAfter().toInstant());
        return Reload.RELOADED;
    }

    private Reload refuse(byte[] digest, IllegalArgumentException cause) {
        if (MessageDigest.isEqual(digest, refusedDigest)) {
            return Reload.UNCHANGED;
        }
        refusedDigest = digest;
        log.warn("TLS certificate not reloaded, the previous one is still served [listener: {}]: {}"
                + " / certificat TLS non rechargé, le précédent reste en service", listener, cause.getMessage());
        return Reload.REFUSED;
    }

    private Generation generation(int number, byte[] certPem, byte[] keyPem) {
        X509ExtendedKeyManager manager = PemCredentials.load(certKey, certPem, cert, keyKey, keyPem, key);
        X509Certificate first = null;
        for (String type : new String[] {"RSA", "EC", "EdDSA", "Ed25519"}) {
            String[] aliases = manager.getServerAliases(type, null);
            if (aliases != null && aliases.length > 0) {
                first = manager.getCertificateChain(aliases[0])[0];
                break;
            }
        }
        return new Generation(number, manager, digest(certPem, keyPem), first);
    }

    private static byte[] digest(byte[] certPem, byte[] keyPem) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(certPem);
            sha.update((byte) 0);
            sha.update(keyPem);
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // The key manager: aliases are "<generation>:<alias>".

    private static String tag(Generation g, String alias) {
        return alias == null ? null : g.number() + ":" + alias;
    }

    private Generation of(String alias) {
        Generation g = current;
        Generation p = previous;
        String number = alias.substring(0, Math.max(0, alias.indexOf(':')));
        if (number.equals(Integer.toString(g.number()))) {
            return g;
        }
        return p != null && number.equals(Integer.toString(p.number())) ? p : null;
    }

    private static String untag(String alias) {
        return alias.substring(alias.indexOf(':') + 1);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        Generation g = current;
        return tag(g, g.manager().chooseEngineServerAlias(keyType, issuers, engine));
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        Generation g = current;
        return tag(g, g.manager().chooseServerAlias(keyType, issuers, socket));
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        Generation g = current;
        String[] aliases = g.manager().getServerAliases(keyType, issuers);
        if (aliases == null) {
            return null;
        }
        String[] tagged = new String[aliases.length];
        for (int i = 0; i < aliases.length; i++) {
            tagged[i] = tag(g, aliases[i]);
        }
        return tagged;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Generation g = alias == null ? null : of(alias);
        return g == null ? null : g.manager().getCertificateChain(untag(alias));
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Generation g = alias == null ? null : of(alias);
        return g == null ? null : g.manager().getPrivateKey(untag(alias));
    }

    /** A server presents no client certificate. */
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
