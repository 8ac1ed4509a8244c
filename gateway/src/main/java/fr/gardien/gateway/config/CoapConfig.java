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
 * @throws IllegalArgumentException when a value is out of its range
 */
public record CoapConfig(String host, int port, int dtlsPort, boolean plainEnabled) {
    public CoapConfig {
        host = ConfigKey.COAP_HOST.checkHost(host);
        ConfigKey.COAP_PORT.checkInt(port);
        ConfigKey.COAP_DTLS_PORT.checkInt(dtlsPort);
    }
}
