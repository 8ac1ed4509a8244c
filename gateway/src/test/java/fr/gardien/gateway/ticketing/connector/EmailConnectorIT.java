package fr.gardien.gateway.ticketing.connector;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import fr.gardien.gateway.ticketing.DeliveryException;
import fr.gardien.gateway.ticketing.DeliveryResult;
import fr.gardien.gateway.ticketing.OutboundAlert;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.parsetools.RecordParser;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The e-mail connector against GreenMail, a real SMTP server in the test's process: the mail's
 * content and headers, authentication, and how failures are classified for retries.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EmailConnectorIT {

    static final String USER = "gardien";
    static final String PASSWORD = "s3cret-pass";

    @RegisterExtension
    static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("gardien@bailleur.example", USER, PASSWORD));

    static final OutboundAlert ALERT = new OutboundAlert(123, "opened", "123:456", "tilleuls", "Résidence Les Tilleuls",
            "boiler-1", "boiler", "heating.supply-low", "major", "heat", "immediate", "open",
            "Départ sous 35 °C depuis 45 min", Instant.parse("2026-01-10T06:00:00Z"), Instant.parse("2026-01-10T06:45:00Z"),
            3, "https://gardien.example/#/alerts/123");

    Vertx vertx;
    final List<EmailConnector> connectors = new ArrayList<>();

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (EmailConnector c : connectors) {
            await(c.close());
        }
        await(vertx.close());
    }

    EmailConnector connector(int port, String starttls, String password, String language) {
        Map<String, Object> fields = new java.util.HashMap<>(Map.of("name", "caretaker-mail", "type", "email",
                "host", "127.0.0.1", "port", port, "starttls", starttls, "from", "gardien@bailleur.example",
                "to", List.of("tickets@bailleur.example", "astreinte@bailleur.example"), "language", language));
        if (password != null) {
            fields.put("username", USER);
            fields.put("password", password);
        }
        EmailConnector c = new EmailConnector(vertx, EmailSettings.from(fields));
        connectors.add(c);
        return c;
    }

    /** With authentication over plain SMTP, the mail reaches every recipient with the subject and body made from the alert. */
    @Test
    void deliversTheAlertAsMailWithSubjectAndFrenchBody() throws Exception {
        DeliveryResult result = await(connector(smtp.getSmtp().getPort(), "disabled", PASSWORD, "fr").deliver(ALERT, null));

        assertThat(result).isEqualTo(new DeliveryResult(null, "created", 250));
        assertThat(smtp.waitForIncomingEmail(5000, 2)).isTrue();
        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(2);
        MimeMessage mail = received[0];
        assertThat(mail.getSubject()).isEqualTo("[Gardien] major tilleuls boiler-1: heating.supply-low (opened)");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("gardien@bailleur.example");
        assertThat(mail.getAllRecipients()).extracting(Object::toString)
                .containsExactly("tickets@bailleur.example", "astreinte@bailleur.example");
        assertThat(body(mail)).isEqualTo("""
                Départ sous 35 °C depuis 45 min

                Site: Résidence Les Tilleuls (tilleuls)
                Équipement: boiler-1 (boiler)
                Règle: heating.supply-low
                Gravité: major
                Catégorie: heat
                Urgence: immediate
                État: open
                Transition: opened
                Première détection: 2026-01-10T06:00:00Z
                Dernière détection: 2026-01-10T06:45:00Z
                Occurrences: 3
                Alerte Gardien: 123
                Livraison: 123:456
                Tableau de bord: https://gardien.example/#/alerts/123

                --\s
                Message automatique de Gardien. Pour acquitter ou clore l'alerte, utilisez le tableau de bord ou le retour de votre outil de tickets.""");
    }

    /** A digest is one mail listing its alerts, with the digest's key in its headers. */
    @Test
    void deliversADigestAsOneMailListingItsAlerts() throws Exception {
        DeliveryResult result = await(connector(smtp.getSmtp().getPort(), "disabled", PASSWORD, "en")
                .deliverDigest(TestAlerts.digest()));

        assertThat(result).isEqualTo(new DeliveryResult(null, "created", 250));
        assertThat(smtp.waitForIncomingEmail(5000, 2)).isTrue();
        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertThat(mail.getHeader("X-Gardien-Delivery")[0]).isEqualTo("digest:res-les-tilleuls:2026-01-15:routes[0]");
        assertThat(mail.getSubject()).contains("digest");
        String text = body(mail);
        assertThat(text).startsWith("2 alerte(s) au-delà du budget quotidien de 5 ticket(s)")
                .contains("Daily ticket budget: 5", "Alerts: 2", "* Portes : 1 250 cycles par jour depuis 3 jours",
                        "Rule: lift.door-wear", "Dashboard: https://gardien.example/#/alerts/1240");
    }

    /**
     * The idempotency key is in {@code Message-ID} and {@code X-Gardien-Delivery}, the same on
     * every try; the only other headers are the mail's own (no field outside the outbound alert).
     */
    @Test
    void headersCarryTheIdempotencyKeyOnEveryTry() throws Exception {
        EmailConnector connector = connector(smtp.getSmtp().getPort(), "optional", PASSWORD, "en");
        await(connector.deliver(ALERT, null));
        await(connector.deliver(ALERT, null));
        assertThat(smtp.waitForIncomingEmail(5000, 4)).isTrue();

        Set<String> messageIds = new HashSet<>();
        for (MimeMessage mail : smtp.getReceivedMessages()) {
            messageIds.add(mail.getMessageID());
            assertThat(mail.getHeader("X-Gardien-Delivery")).containsExactly("123:456");
            assertThat(mail.getHeader("References")).containsExactly("<gardien.alert.123@bailleur.example>");
            assertThat(mail.getHeader("Auto-Submitted")).containsExactly("auto-generated");
            Set<String> names = new HashSet<>();
            Collections.list(mail.getAllHeaders()).forEach(h -> names.add(h.getName().toLowerCase()));
            assertThat(names).isSubsetOf("message-id", "references", "x-gardien-delivery", "auto-submitted", "from", "to",
                    "subject", "date", "mime-version", "content-type", "content-transfer-encoding",
                    // Added by the receiving server, not by Gardien:
                    "received", "return-path");
            assertThat(body(mail)).startsWith("Départ sous 35 °C depuis 45 min\n\nSite: Résidence Les Tilleuls (tilleuls)\n"
                    + "Equipment: boiler-1 (boiler)\n").contains("First seen: 2026-01-10T06:00:00Z\n");
        }
        assertThat(messageIds).containsExactly("<gardien.delivery.123.456@bailleur.example>");
    }

    /** A resolution is reported as the ticket being closed, the given reference handed back. */
    @Test
    void resolutionClosesTheTicket() throws Exception {
        OutboundAlert resolved = new OutboundAlert(123, "resolved", "123:789", "tilleuls", "Résidence Les Tilleuls",
                "boiler-1", "boiler", "heating.supply-low", "major", "heat", "immediate", "resolved", "Départ rétabli",
                ALERT.firstSeen(), ALERT.lastSeen(), 3, ALERT.dashboardUrl());
        DeliveryResult result = await(connector(smtp.getSmtp().getPort(), "disabled", PASSWORD, "fr").deliver(resolved, "T-42"));
        assertThat(result).isEqualTo(new DeliveryResult("T-42", "closed", 250));
        assertThat(smtp.waitForIncomingEmail(5000, 2)).isTrue();
        assertThat(smtp.getReceivedMessages()[0].getSubject()).endsWith("(resolved)");
    }

    /** A wrong password is a 5xx reply: retrying cannot help, and nothing is delivered. */
    @Test
    void failedAuthenticationIsNotRetryable() throws Exception {
        DeliveryException e = failure(connector(smtp.getSmtp().getPort(), "disabled", "wrong", "fr").deliver(ALERT, null));
        assertThat(e.retryable()).isFalse();
        assertThat(e.statusCode()).isBetween(500, 599);
        assertThat(e.getMessage()).doesNotContain("wrong").doesNotContain(PASSWORD);
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    /**
     * GreenMail 2.1 has no STARTTLS: a connector that requires it refuses to send (no password
     * and no mail in clear), and says so as a connection-level, retryable failure.
     */
    @Test
    void requiredStartTlsRefusesAServerWithoutIt() throws Exception {
        DeliveryException e = failure(connector(smtp.getSmtp().getPort(), "required", PASSWORD, "fr").deliver(ALERT, null));
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).containsIgnoringCase("tls");
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    /**
     * Over STARTTLS (a scripted server: GreenMail 2.1 has none): the connection is upgraded
     * before the password and the mail are sent, with the server's certificate checked.
     */
    @Test
    void requiredStartTlsUpgradesBeforeAuthenticatingAndSending() throws Exception {
        StartTlsSmtpServer server = new StartTlsSmtpServer(USER, PASSWORD);
        int port = await(server.start(vertx));
        Map<String, Object> fields = new java.util.HashMap<>(Map.of("name", "tls-mail", "host", "localhost", "port", port,
                "starttls", "required", "username", USER, "password", PASSWORD, "from", "gardien@bailleur.example",
                "to", "tickets@bailleur.example"));
        EmailConnector connector = new EmailConnector(vertx, EmailSettings.from(fields), server.trust());
        connectors.add(connector);

        assertThat(await(connector.deliver(ALERT, null)).statusCode()).isEqualTo(250);

        assertThat(server.received).hasSize(1);
        StartTlsSmtpServer.Received mail = server.received.get(0);
        assertThat(mail.tls()).isTrue();
        assertThat(mail.user()).isEqualTo(USER);
        assertThat(mail.data()).contains("X-Gardien-Delivery: 123:456", "Message-ID: <gardien.delivery.123.456@bailleur.example>");
    }

    /** A STARTTLS certificate the connector does not trust stops the delivery before anything is sent. */
    @Test
    void untrustedCertificateStopsTheDelivery() throws Exception {
        StartTlsSmtpServer server = new StartTlsSmtpServer(USER, PASSWORD);
        int port = await(server.start(vertx));
        Map<String, Object> fields = new java.util.HashMap<>(Map.of("name", "tls-mail", "host", "localhost", "port", port,
                "starttls", "required", "username", USER, "password", PASSWORD, "from", "gardien@bailleur.example",
                "to", "tickets@bailleur.example"));
        EmailConnector connector = new EmailConnector(vertx, EmailSettings.from(fields));
        connectors.add(connector);

        DeliveryException e = failure(connector.deliver(ALERT, null));
        assertThat(e.retryable()).isTrue();
        assertThat(server.received).isEmpty();
    }

    /** A server that is down is a retryable failure. */
    @Test
    void refusedConnectionIsRetryable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        DeliveryException e = failure(connector(port, "disabled", null, "fr").deliver(ALERT, null));
        assertThat(e.retryable()).isTrue();
        assertThat(e.statusCode()).isZero();
    }

    /** A 4xx reply (here 451 to MAIL FROM, from a minimal scripted server) is retryable; a 550 is not. */
    @Test
    void transientReplyIsRetryableAndPermanentIsNot() throws Exception {
        DeliveryException transientFailure = failure(connector(scripted("451 4.3.0 try again later"), "disabled", null, "fr")
                .deliver(ALERT, null));
        assertThat(transientFailure.retryable()).isTrue();
        assertThat(transientFailure.statusCode()).isEqualTo(451);

        DeliveryException permanent = failure(connector(scripted("550 5.7.1 sender rejected"), "disabled", null, "fr")
                .deliver(ALERT, null));
        assertThat(permanent.retryable()).isFalse();
        assertThat(permanent.statusCode()).isEqualTo(550);
    }

    /** An SMTP server that greets, answers EHLO, then answers MAIL FROM with {@code reply}. */
    int scripted(String reply) throws Exception {
        NetServer server = vertx.createNetServer().connectHandler(socket -> {
            socket.write("220 scripted ESMTP\r\n");
            RecordParser lines = RecordParser.newDelimited("\r\n", line -> {
                String command = line.toString(StandardCharsets.US_ASCII).toUpperCase();
                if (command.startsWith("EHLO") || command.startsWith("HELO")) {
                    socket.write("250 scripted\r\n");
                } else if (command.startsWith("MAIL FROM")) {
                    socket.write(reply + "\r\n");
                } else if (command.startsWith("QUIT")) {
                    socket.write("221 bye\r\n").onComplete(ar -> socket.close());
                } else {
                    socket.write("250 ok\r\n");
                }
            });
            socket.handler(lines);
        });
        return await(server.listen(0, "127.0.0.1")).actualPort();
    }

    static String body(MimeMessage mail) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mail.getDataHandler().writeTo(out);
        // The SMTP transport drops the final line break.
        return out.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    static DeliveryException failure(Future<?> future) throws Exception {
        try {
            await(future);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(DeliveryException.class);
            return (DeliveryException) e.getCause();
        }
        throw new AssertionError("the delivery succeeded");
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
