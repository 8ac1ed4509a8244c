package fr.gardien.gateway.config;

/**
 * The CoAP server.
 *
 * @param host the address to bind both UDP ports to
 * @param port the plain UDP port, 0 to 65535; 0 picks a free port. Opened only when
 *     {@code plainEnabled}
 * @param dtlsPort the DTLS-PSK UDP port, 0 to 65535; 0 picks a free port
 * @param plainEnabled whether plain CoAP is served at all; even then only devices marked
 *     {@code coap-plain: true} in the portfolio may use it
 * @param maxSessions DTLS connections (handshakes in progress and sessions) kept at most, 10 to
 *     1,000,000
 * @throws IllegalArgumentException when a value is out of its range
 */
public record CoapConfig(String host, int port, int dtlsPort, boolean plainEnabled, int maxSessions) {
    public CoapConfig {
        host = ConfigKey.COAP_HOST.checkHost(host);
        ConfigKey.COAP_PORT.checkInt(port);
        ConfigKey.COAP_DTLS_PORT.checkInt(dtlsPort);
        ConfigKey.COAP_MAX_SESSIONS.checkInt(maxSessions);
    }

    /** With the default {@code coap.max-sessions}. */
    public CoapConfig(String host, int port, int dtlsPort, boolean plainEnabled) {
        this(host, port, dtlsPort, plainEnabled, Integer.parseInt(ConfigKey.COAP_MAX_SESSIONS.defaultText));
    }
}
