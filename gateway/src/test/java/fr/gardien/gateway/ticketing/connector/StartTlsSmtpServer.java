package fr.gardien.gateway.ticketing.connector;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.core.parsetools.RecordParser;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal SMTP server with STARTTLS (RFC 3207) and AUTH PLAIN, for what GreenMail 2.1 cannot
 * do: it offers AUTH only once the connection is encrypted, refuses MAIL before AUTH, and records
 * each message with whether it arrived over TLS. A certificate for {@code localhost} is made at
 * start; {@link #trust()} is what a client must trust.
 */
final class StartTlsSmtpServer {

    /** One received message: the authenticated user, whether TLS was on, the DATA as sent. */
    record Received(String user, boolean tls, String data) {
    }

    private final SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    private final String user;
    private final String password;
    final List<Received> received = new CopyOnWriteArrayList<>();
    private NetServer server;

    StartTlsSmtpServer(String user, String password) {
        this.user = user;
        this.password = password;
    }

    TrustOptions trust() {
        return certificate.trustOptions();
    }

    Future<Integer> start(Vertx vertx) {
        server = vertx.createNetServer().connectHandler(this::session);
        return server.listen(0, "127.0.0.1").map(NetServer::actualPort);
    }

    private void session(NetSocket socket) {
        var state = new Object() {
            boolean tls;
            String authenticated;
            boolean inData;
            StringBuilder data = new StringBuilder();
        };
        socket.write("220 localhost ESMTP scripted\r\n");
        socket.handler(RecordParser.newDelimited("\r\n", buffer -> {
            String line = buffer.toString(StandardCharsets.UTF_8);
            if (state.inData) {
                if (line.equals(".")) {
                    state.inData = false;
                    received.add(new Received(state.authenticated, state.tls, state.data.toString()));
                    state.data = new StringBuilder();
                    socket.write("250 2.0.0 queued\r\n");
                } else {
                    state.data.append(line.startsWith("..") ? line.substring(1) : line).append('\n');
                }
                return;
            }
            String command = line.toUpperCase();
            if (command.startsWith("EHLO")) {
                socket.write(state.tls ? "250-localhost\r\n250 AUTH PLAIN\r\n" : "250-localhost\r\n250 STARTTLS\r\n");
            } else if (command.equals("STARTTLS") && !state.tls) {
                // Vert.x sends the reply in clear and installs TLS as one step: the client's handshake,
                // sent as soon as it reads the reply, cannot reach the plain-text parser.
                state.tls = true;
                socket.upgradeToSsl(new ServerSSLOptions().setKeyCertOptions(certificate.keyCertOptions()),
                        Buffer.buffer("220 2.0.0 ready for TLS\r\n"));
            } else if (command.startsWith("AUTH PLAIN")) {
                String[] parts = new String(Base64.getDecoder().decode(line.substring("AUTH PLAIN ".length()).trim()),
                        StandardCharsets.UTF_8).split("\0");
                if (state.tls && parts.length == 3 && parts[1].equals(user) && parts[2].equals(password)) {
                    state.authenticated = parts[1];
                    socket.write("235 2.7.0 authenticated\r\n");
                } else {
                    socket.write("535 5.7.8 authentication failed\r\n");
                }
            } else if (command.startsWith("MAIL FROM")) {
                socket.write(state.authenticated == null ? "530 5.7.0 authentication required\r\n" : "250 2.1.0 ok\r\n");
            } else if (command.startsWith("RCPT TO")) {
                socket.write("250 2.1.5 ok\r\n");
            } else if (command.equals("DATA")) {
                state.inData = true;
                socket.write("354 end with .\r\n");
            } else if (command.equals("QUIT")) {
                socket.write("221 2.0.0 bye\r\n").onComplete(ar -> socket.close());
            } else if (command.equals("RSET") || command.equals("NOOP")) {
                socket.write("250 2.0.0 ok\r\n");
            } else {
                socket.write("502 5.5.2 not implemented\r\n");
            }
        }));
    }
}
