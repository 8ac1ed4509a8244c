package fr.gardien.gateway.ingest.coap;

import fr.gardien.gateway.auth.AuthBrake;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.security.Principal;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.eclipse.californium.scandium.DtlsDatagramFilter;
import org.eclipse.californium.scandium.dtls.Connection;
import org.eclipse.californium.scandium.dtls.ContentType;
import org.eclipse.californium.scandium.dtls.Handshaker;
import org.eclipse.californium.scandium.dtls.Record;

/**
 * The brake on credential guessing ({@link AuthBrake}) for CoAP over DTLS-PSK, where a guess is a
 * handshake: the PSK identity is the device id, and a wrong key shows only as a Finished message
 * that does not decrypt.
 *
 * <ul>
 *   <li>Before any work: a datagram from an address the brake refuses whole (refused, and no
 *       device ever authenticated from it) is dropped unread; each dropped handshake datagram is
 *       counted {@code refused}.
 *   <li>At the key look-up ({@link DevicePskStore}, which learns the peer's address here): a
 *       refused device or address gets no key, an unknown identity is a failure.
 *   <li>A Finished that does not decrypt during a PSK handshake is the wrong key: one failure per
 *       handshake (its retransmissions are not counted again).
 *   <li>An established session remembers its device at its address, which the brake never
 *       refuses afterwards.
 * </ul>
 *
 * <p>Scandium asks the key of its store synchronously on the connection's serial executor, between
 * the {@code beforeExecution} and {@code afterExecution} calls of its connection listener: the
 * connection being handled is kept for that thread in between ({@link #enter}, {@link #leave}).
 */
final class DtlsBrake extends DtlsDatagramFilter {

    private final AuthBrake brake;
    private final ThreadLocal<Connection> handling = new ThreadLocal<>();

    DtlsBrake(AuthBrake brake) {
        // DtlsDatagramFilter's own checks (record header, epoch, version); its MAC-error filter stays
        // off, so that each connection's filter data is ours.
        super();
        this.brake = brake;
    }

    @Override
    public boolean onReceiving(DatagramPacket packet) {
        if (!super.onReceiving(packet)) {
            return false;
        }
        if (brake.addressRefused(packet.getAddress().getHostAddress())) {
            if (packet.getData()[packet.getOffset()] == ContentType.HANDSHAKE.getCode()) {
                brake.refusal(CoapTelemetryHandler.PROTOCOL, null, packet.getAddress().getHostAddress());
            }
            return false;
        }
        return true;
    }

    @Override
    public boolean onMacError(Record record, Connection connection) {
        Handshaker handshake = connection.getOngoingHandshake();
        if (handshake != null && connection.getFilterData() != handshake
                && handshake.getSession().getPeerIdentity() instanceof PreSharedKeyIdentity psk) {
            connection.setFilterData(handshake);
            brake.failed(CoapTelemetryHandler.PROTOCOL, psk.getIdentity(), host(record.getPeerAddress()));
        }
        return super.onMacError(record, connection);
    }

    /** The brake's answer at the key look-up: true when this device may not be given its key now. */
    boolean refused(String deviceId) {
        return brake.refusal(CoapTelemetryHandler.PROTOCOL, deviceId, peerHost()) > 0;
    }

    /** An identity without a key: counted once per connection. */
    void unknownIdentity(String deviceId) {
        Connection connection = handling.get();
        if (connection != null && connection.getFilterData() == this) {
            return;
        }
        if (connection != null) {
            connection.setFilterData(this);
        }
        brake.failed(CoapTelemetryHandler.PROTOCOL, deviceId, peerHost());
    }

    /** A session established: its device is known at its address. */
    void established(Connection connection) {
        Principal peer = connection.getEstablishedPeerIdentity();
        if (peer instanceof PreSharedKeyIdentity psk) {
            brake.succeeded(psk.getIdentity(), host(connection.getPeerAddress()));
        }
    }

    void enter(Connection connection) {
        handling.set(connection);
    }

    void leave() {
        handling.remove();
    }

    private String peerHost() {
        Connection connection = handling.get();
        return connection == null ? null : host(connection.getPeerAddress());
    }

    private static String host(InetSocketAddress address) {
        return address == null || address.getAddress() == null ? null : address.getAddress().getHostAddress();
    }
}
