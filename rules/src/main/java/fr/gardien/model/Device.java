package fr.gardien.model;

/**
 * A device (sensor or field gateway) allowed to send readings for the points of one site.
 *
 * @param id the device id: MQTT username, HTTP Basic user, DTLS-PSK identity
 * @param site the only site whose points it may publish
 * @param secretHash the salted hash of its secret; the plain secret is never kept
 */
public record Device(String id, String site, String secretHash) {
}
