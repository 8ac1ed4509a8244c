package fr.gardien.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * MQTT packets written byte by byte on a plain socket, for the cases a well-behaved client
 * library refuses to send (malformed strings, lying lengths, garbage).
 */
final class RawMqtt implements AutoCloseable {

    final Socket socket;
    private final InputStream in;

    RawMqtt(int port) throws IOException {
        this(port, "127.0.0.1");
    }

    /** From a chosen loopback address (127.0.0.2…), to play several sources on one machine. */
    RawMqtt(int port, String localAddress) throws IOException {
        socket = new Socket();
        socket.bind(new InetSocketAddress(localAddress, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(200);
        in = socket.getInputStream();
    }

    void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** CONNECT with username/password (3.1.1 when {@code version} is 4, MQTT 5 when 5) and a keep alive. */
    static byte[] connect(int version, String user, String password, int keepAliveSeconds) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, "MQTT".getBytes(StandardCharsets.UTF_8));
        body.write(version);
        body.write(0xC2);
        body.write(keepAliveSeconds >> 8);
        body.write(keepAliveSeconds & 0xFF);
        if (version == 5) {
            body.write(0);
        }
        string(body, ("raw-" + user).getBytes(StandardCharsets.UTF_8));
        string(body, user.getBytes(StandardCharsets.UTF_8));
        string(body, password.getBytes(StandardCharsets.UTF_8));
        return packet(0x10, body.toByteArray());
    }

    /** A QoS 1 PUBLISH with the topic given as raw bytes. */
    static byte[] publishQos1(int version, byte[] topic, int packetId, byte[] payload) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, topic);
        body.write(packetId >> 8);
        body.write(packetId & 0xFF);
        if (version == 5) {
            body.write(0);
        }
        body.writeBytes(payload);
        return packet(0x32, body.toByteArray());
    }

    static byte[] packet(int type, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        out.writeBytes(remainingLength(body.length));
        out.writeBytes(body);
        return out.toByteArray();
    }

    static byte[] remainingLength(int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        do {
            int digit = length % 128;
            length /= 128;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        return out.toByteArray();
    }

    private static void string(ByteArrayOutputStream out, byte[] bytes) {
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xFF);
        out.writeBytes(bytes);
    }

    /** The next packet's type and body, or null when nothing came within {@code wait}. */
    Packet read(Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                int type = in.read();
                if (type < 0) {
                    throw new SocketException("closed");
                }
                int length = 0;
                int shift = 0;
                int b;
                do {
                    b = in.read();
                    if (b < 0) {
                        throw new SocketException("closed");
                    }
                    length |= (b & 0x7F) << shift;
                    shift += 7;
                } while ((b & 0x80) != 0);
                byte[] body = in.readNBytes(length);
                return new Packet(type, body);
            } catch (SocketTimeoutException e) {
                // poll again
            }
        }
        return null;
    }

    /**
     * Reads until the server closes the connection, at most {@code wait}: the time it took, or
     * null when it stayed open. Every packet read meanwhile goes to {@code seen}.
     */
    Duration awaitClose(Duration wait, java.util.List<Packet> seen) throws IOException {
        long start = System.nanoTime();
        long deadline = start + wait.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Packet p = read(Duration.ofMillis(200));
                if (p != null) {
                    seen.add(p);
                }
            } catch (SocketException e) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    record Packet(int type, byte[] body) {
        int kind() {
            return type >> 4;
        }
    }
}
