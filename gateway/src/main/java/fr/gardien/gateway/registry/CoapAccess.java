package fr.gardien.gateway.registry;

import java.nio.charset.StandardCharsets;

/**
 * What the CoAP server needs of a device beyond its stored record. Built from the portfolio file
 * and held in memory only: the database keeps the salted hash of the secret, never this.
 *
 * <p>DTLS-PSK (RFC 4279) needs the same key on both sides at handshake time, so the gateway must
 * hold it in clear: the contract makes the device's secret its key. A device whose portfolio entry
 * gives only {@code secret-hash} therefore has no key and cannot use CoAP over DTLS.
 *
 * @param secret the device's plain secret, the DTLS pre-shared key; {@code null} when only its
 *     hash is known
 * @param plainAllowed whether the device may send over plain CoAP ({@code coap-plain: true})
 */
public record CoapAccess(String secret, boolean plainAllowed) {

    /** The pre-shared key's bytes (the secret in UTF-8, as {@code coap-client -k} sends it), or {@code null}. */
    public byte[] pskBytes() {
        return secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "CoapAccess[secret=" + (secret == null ? "none" : "****") + ", plainAllowed=" + plainAllowed + "]";
    }
}
