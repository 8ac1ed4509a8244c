package fr.gardien.gateway.config;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * A TLS listener ready to bind: its configuration and the credentials it serves, which
 * {@link ServerCredentials#reloadIfChanged()} renews in place.
 */
public record TlsListener(TlsConfig config, ServerCredentials credentials) {

    /**
     * Turns TLS on in a server's options: the credentials (asked at every handshake), TLS 1.2 and
     * 1.3 only, and a client certificate signed by {@link TlsConfig#clientCa()} required when it is set.
     */
    public void applyTo(NetServerOptions options) {
        options.setSsl(true)
                .setKeyCertOptions(credentials.options())
                .setEnabledSecureTransportProtocols(TlsConfig.PROTOCOLS);
        config.clientCa().ifPresent(ca -> options.setClientAuth(ClientAuth.REQUIRED)
                .setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
    }

    /** Whether devices authenticate by their client certificate on this listener. */
    public boolean authenticatesByCertificate() {
        return config.clientCa().isPresent();
    }
}
