package fr.gardien.gateway.config;

/**
 * The CoAP server.
 *
 * @param port the plain UDP port, 0 to 65535; 0 picks a free port
 * @param dtlsPort the DTLS-PSK UDP port, 0 to 65535; 0 picks a free port
 * @throws IllegalArgumentException when a value is out of its range
 */
public record CoapConfig(int port, int dtlsPort) {
    public CoapConfig {
        ConfigKey.COAP_PORT.checkInt(port);
        ConfigKey.COAP_DTLS_PORT.checkInt(dtlsPort);
    }
}
