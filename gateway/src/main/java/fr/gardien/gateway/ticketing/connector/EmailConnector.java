package fr.gardien.gateway.ticketing.connector;

import fr.gardien.gateway.ticketing.DeliveryException;
import fr.gardien.gateway.ticketing.DeliveryResult;
import fr.gardien.gateway.ticketing.OutboundAlert;
import fr.gardien.gateway.ticketing.OutboundDigest;
import fr.gardien.gateway.ticketing.TicketConnector;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.SMTPException;
import io.vertx.ext.mail.StartTLSOptions;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each alert transition as a plain-text e-mail, for ticketing systems that open and
 * update tickets from a mailbox (GLPI's mail collector, Redmine's mail handler, …). The mail
 * is made from the {@link OutboundAlert} only. Its {@code Message-ID} is derived from the
 * idempotency key, so every try of one delivery carries the same id and a receiver that
 * deduplicates on it files the transition once; {@code References} names the alert, so that
 * the transitions of one alert thread together.
 *
 * <p>Failures: an SMTP 4xx reply and any connection-level error (refused, reset, timeout, TLS)
 * are retryable; a 5xx reply (rejected recipient, failed authentication, refused message) is not.
 * An e-mail has no ticket reference: the one given is handed back unchanged.
 */
public final class EmailConnector implements TicketConnector {

    private static final Logger log = LoggerFactory.getLogger(EmailConnector.class);
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final int MAX_ERROR_CHARS = 200;

    private final EmailSettings settings;
    private final MailClient client;
    private final String domain;

    public EmailConnector(Vertx vertx, EmailSettings settings) {
        this(vertx, settings, null);
    }

    /** @param trust the certificates to trust for STARTTLS instead of the JVM's (tests), or {@code null} */
    EmailConnector(Vertx vertx, EmailSettings settings, TrustOptions trust) {
        this.settings = Objects.requireNonNull(settings, "settings");
        MailConfig config = new MailConfig()
                .setHostname(settings.host())
                .setPort(settings.port())
                .setStarttls(switch (settings.starttls()) {
                    case REQUIRED -> StartTLSOptions.REQUIRED;
                    case OPTIONAL -> StartTLSOptions.OPTIONAL;
                    case DISABLED -> StartTLSOptions.DISABLED;
                })
                // The certificate must name the configured host (RFC 6125), not merely chain to a trusted CA.
                .setHostnameVerificationAlgorithm("HTTPS")
                .setConnectTimeout(CONNECT_TIMEOUT_MS)
                .setKeepAlive(true)
                .setMaxPoolSize(2);
        if (trust != null) {
            config.setTrustOptions(trust);
        }
        if (settings.username() != null) {
            config.setLogin(LoginOption.REQUIRED).setUsername(settings.username()).setPassword(settings.password());
            if (settings.starttls() == EmailSettings.StartTls.DISABLED) {
                log.warn("SMTP password will travel without TLS [connector: {}, host: {}]", settings.name(), settings.host());
            }
        } else {
            config.setLogin(LoginOption.DISABLED);
        }
        this.client = MailClient.create(vertx, config);
        this.domain = settings.from().substring(settings.from().lastIndexOf('@') + 1);
    }

    @Override
    public String name() {
        return settings.name();
    }

    public EmailSettings settings() {
        return settings;
    }

    /**
     * Sends the transition's mail.
     *
     * @return completes with the given {@code ticketRef}, the ticket status ({@code closed} for
     *     a resolution, {@code created} for an opening, else {@code updated}) and the SMTP code
     *     250; fails with a {@link DeliveryException}
     */
    @Override
    public Future<DeliveryResult> deliver(OutboundAlert alert, String ticketRef) {
        MailMessage message = message(alert);
        return client.sendMail(message)
                .<DeliveryResult>map(sent -> new DeliveryResult(ticketRef, ticketStatus(alert.transition()), 250))
                .recover(e -> Future.failedFuture(classify(e)));
    }

    /**
     * Sends the digest's mail: the subject template over {@link OutboundDigest#asTicket()}, a body
     * listing the grouped alerts. Completes with status {@code created} and the SMTP code 250.
     */
    @Override
    public Future<DeliveryResult> deliverDigest(OutboundDigest digest) {
        OutboundAlert ticket = digest.asTicket();
        MailMessage message = message(ticket).setText(EmailBody.text(digest, settings.language()));
        message.getHeaders().set("References", "<gardien.digest." + digest.digestId() + "@" + domain + ">");
        return client.sendMail(message)
                .<DeliveryResult>map(sent -> new DeliveryResult(null, "created", 250))
                .recover(e -> Future.failedFuture(classify(e)));
    }

    @Override
    public Future<Void> close() {
        // A pooled connection the server already dropped fails its QUIT: nothing is lost by that.
        return client.close().recover(e -> {
            log.debug("SMTP pool closed with an error [connector: {}, cause: {}]", settings.name(), e.toString());
            return Future.succeededFuture();
        });
    }

    MailMessage message(OutboundAlert alert) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("Message-ID", "<gardien.delivery." + atom(alert.idempotencyKey()) + "@" + domain + ">")
                .add("References", "<gardien.alert." + alert.alertId() + "@" + domain + ">")
                .add("X-Gardien-Delivery", oneLine(alert.idempotencyKey()))
                .add("Auto-Submitted", "auto-generated"); // RFC 3834: no vacation replies to a machine
        return new MailMessage()
                .setFrom(settings.from())
                .setTo(settings.to())
                .setSubject(subject(alert))
                .setText(EmailBody.text(alert, settings.language()))
                .setHeaders(headers);
    }

    String subject(OutboundAlert alert) {
        Map<String, String> values = Map.ofEntries(
                Map.entry("alertId", Long.toString(alert.alertId())),
                Map.entry("transition", String.valueOf(alert.transition())),
                Map.entry("site", String.valueOf(alert.site())),
                Map.entry("siteName", String.valueOf(alert.siteName())),
                Map.entry("equipment", String.valueOf(alert.equipment())),
                Map.entry("equipmentType", String.valueOf(alert.equipmentType())),
                Map.entry("rule", String.valueOf(alert.rule())),
                Map.entry("severity", String.valueOf(alert.severity())),
                Map.entry("category", String.valueOf(alert.category())),
                Map.entry("urgency", String.valueOf(alert.urgency())),
                Map.entry("state", String.valueOf(alert.state())));
        Matcher m = EmailSettings.PLACEHOLDER.matcher(settings.subjectTemplate());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(m.group(1), m.group())));
        }
        m.appendTail(out);
        return oneLine(out.toString());
    }

    private static String ticketStatus(String transition) {
        return switch (transition) {
            case "resolved" -> "closed";
            case "opened" -> "created";
            default -> "updated";
        };
    }

    /** An SMTP reply decides by its class; everything before or around one is the network's fault. */
    private DeliveryException classify(Throwable e) {
        if (e instanceof SMTPException smtp) {
            int code = smtp.getReplyCode();
            boolean retryable = code >= 400 && code < 500;
            return new DeliveryException("SMTP " + code + ": " + shorten(smtp.getReplyMessage()), retryable, code);
        }
        return new DeliveryException("SMTP connection to " + settings.host() + ":" + settings.port() + " failed: "
                + shorten(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), true, 0);
    }

    private static String shorten(String text) {
        String line = oneLine(text == null ? "" : text);
        return line.length() <= MAX_ERROR_CHARS ? line : line.substring(0, MAX_ERROR_CHARS) + "…";
    }

    /** Header values are one line: no CR/LF can start a header of its own. */
    static String oneLine(String text) {
        return text.replaceAll("[\\r\\n]+", " ");
    }

    /** The key as a dot-atom (RFC 5322 §3.6.4): {@code 123:456} becomes {@code 123.456}. */
    static String atom(String key) {
        return key.replaceAll("[^A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+", ".").replaceAll("^\\.+|\\.+$", "");
    }
}
