package fr.gardien.gateway.ingest.coap;

/**
 * What the CoAP server needs from the configuration, checked once.
 *
 * @param host the address both UDP ports bind to
 * @param dtlsPort the DTLS-PSK port; 0 picks a free one
 * @param plainPort the plain CoAP port; 0 picks a free one; unused unless {@code plainEnabled}
 * @param plainEnabled whether the plain port is opened at all
 * @param maxPayloadBytes larger packs get {@code 4.13}; also the largest block-wise body
 *     Californium reassembles
 * @param maxPendingRequests requests being processed at once (waiting for authentication or for
 *     their commit), beyond which new ones get {@code 5.03}
 * @param maxSessions DTLS connections (handshakes and sessions) Scandium keeps at most
 */
public record CoapSettings(String host, int dtlsPort, int plainPort, boolean plainEnabled, int maxPayloadBytes,
        int maxPendingRequests, int maxSessions) {
    public CoapSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (dtlsPort < 0 || dtlsPort > 65_535 || plainPort < 0 || plainPort > 65_535) {
            throw new IllegalArgumentException("ports must be 0 to 65535");
        }
        if (maxPayloadBytes <= 0 || maxPendingRequests <= 0 || maxSessions <= 0) {
            throw new IllegalArgumentException("maxPayloadBytes, maxPendingRequests and maxSessions must be positive");
        }
    }
}
