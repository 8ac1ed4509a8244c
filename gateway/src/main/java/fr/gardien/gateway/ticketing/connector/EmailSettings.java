package fr.gardien.gateway.ticketing.connector;

import fr.gardien.gateway.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An {@code email} connector's settings, validated once by {@link #from} and then sealed.
 * {@link #toString} masks the password, so the record is safe to log.
 *
 * @param name the connector's name (routes refer to it)
 * @param host the SMTP server
 * @param port its port (587 by default: submission with STARTTLS)
 * @param starttls whether the connection must, may or must not be upgraded to TLS
 * @param username the SMTP login, or {@code null} to send without authentication
 * @param password its password, or {@code null}; never logged
 * @param from the sender address
 * @param to the recipients (the ticketing system's mailbox), at least one
 * @param subjectTemplate the subject, with {@code {field}} placeholders from {@link #SUBJECT_FIELDS}
 * @param language {@code fr} or {@code en}: the body's labels and the summary's language
 */
public record EmailSettings(String name, String host, int port, StartTls starttls, String username, String password,
        String from, List<String> to, String subjectTemplate, String language) {

    /** How the SMTP connection uses STARTTLS (RFC 3207). */
    public enum StartTls {
        /** Upgrade or fail: the mail and the password never travel in clear. */
        REQUIRED,
        /** Upgrade when the server offers it. */
        OPTIONAL,
        /** Never upgrade (a relay on the same host or a trusted network only). */
        DISABLED
    }

    public static final String DEFAULT_SUBJECT = "[Gardien] {severity} {site} {equipment}: {rule} ({transition})";
    public static final int DEFAULT_PORT = 587;

    /** The fields of an outbound alert a subject may name. */
    public static final Set<String> SUBJECT_FIELDS = Set.of("alertId", "transition", "site", "siteName", "equipment",
            "equipmentType", "rule", "severity", "category", "urgency", "state");

    static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

    private static final Set<String> KEYS = Set.of("name", "type", "host", "port", "starttls", "username", "password",
            "from", "to", "subject", "language");
    // Deliberately loose: the SMTP server is the judge of an address; this catches typos and header injection.
    private static final Pattern ADDRESS = Pattern.compile("[^\\s@<>,;\"]+@[^\\s@<>,;\"]+");

    public EmailSettings {
        to = List.copyOf(to);
    }

    /**
     * Validates the YAML fields of one {@code type: email} connector.
     *
     * @param fields the connector's mapping as read from YAML (strings, numbers, lists)
     * @throws ConfigException with every error found, each prefixed by
     *     {@code ticketing.connectors[NAME].KEY}
     */
    public static EmailSettings from(Map<String, Object> fields) {
        List<String> errors = new ArrayList<>();
        String name = text(fields, "name", errors, "ticketing.connectors[?]");
        String where = "ticketing.connectors[" + (name == null ? "?" : name) + "]";
        if (name == null && !fields.containsKey("name")) {
            errors.add(where + ".name: required");
        }
        for (String key : fields.keySet()) {
            if (!KEYS.contains(key)) {
                errors.add(where + "." + key + ": unknown key for an email connector (known: " + String.join(", ",
                        KEYS.stream().sorted().toList()) + ")");
            }
        }
        Object type = fields.get("type");
        if (type != null && !"email".equals(type)) {
            errors.add(where + ".type: expected email, got \"" + type + "\"");
        }
        String host = text(fields, "host", errors, where);
        if (host == null && !fields.containsKey("host")) {
            errors.add(where + ".host: required");
        }
        int port = DEFAULT_PORT;
        Object portValue = fields.get("port");
        if (portValue != null) {
            try {
                port = Integer.parseInt(portValue.toString().trim());
                if (port < 1 || port > 65535) {
                    errors.add(where + ".port: expected an integer from 1 to 65535, got " + port);
                }
            } catch (NumberFormatException e) {
                errors.add(where + ".port: expected an integer from 1 to 65535, got \"" + portValue + "\"");
            }
        }
        StartTls starttls = StartTls.REQUIRED;
        String starttlsText = text(fields, "starttls", errors, where);
        if (starttlsText != null) {
            try {
                starttls = StartTls.valueOf(starttlsText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add(where + ".starttls: expected required, optional or disabled, got \"" + starttlsText + "\"");
            }
        }
        String username = text(fields, "username", errors, where);
        String password = text(fields, "password", errors, where);
        if ((username == null) != (password == null)) {
            errors.add(where + ".username, password: set both or neither");
        }
        String from = text(fields, "from", errors, where);
        if (from == null && !fields.containsKey("from")) {
            errors.add(where + ".from: required");
        } else if (from != null && !ADDRESS.matcher(from).matches()) {
            errors.add(where + ".from: expected an e-mail address, got \"" + from + "\"");
        }
        List<String> to = new ArrayList<>();
        Object toValue = fields.get("to");
        if (toValue == null) {
            errors.add(where + ".to: required (an address or a list of addresses)");
        } else {
            List<?> items = toValue instanceof List<?> list ? list : List.of(toValue);
            for (Object item : items) {
                if (item instanceof String s && ADDRESS.matcher(s.trim()).matches()) {
                    to.add(s.trim());
                } else {
                    errors.add(where + ".to: expected an e-mail address, got \"" + item + "\"");
                }
            }
            if (items.isEmpty()) {
                errors.add(where + ".to: at least one address is required");
            }
        }
        String subject = text(fields, "subject", errors, where);
        if (subject == null) {
            subject = DEFAULT_SUBJECT;
        } else if (subject.indexOf('\r') >= 0 || subject.indexOf('\n') >= 0) {
            errors.add(where + ".subject: must be a single line");
        }
        Matcher m = PLACEHOLDER.matcher(subject);
        while (m.find()) {
            if (!SUBJECT_FIELDS.contains(m.group(1))) {
                errors.add(where + ".subject: unknown field {" + m.group(1) + "} (known: "
                        + String.join(", ", SUBJECT_FIELDS.stream().sorted().toList()) + ")");
            }
        }
        String language = text(fields, "language", errors, where);
        if (language == null) {
            language = "fr";
        } else if (!language.equals("fr") && !language.equals("en")) {
            errors.add(where + ".language: expected fr or en, got \"" + language + "\"");
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new EmailSettings(name, host, port, starttls, username, password, from, to, subject, language);
    }

    /** A non-blank string value, or null when absent; an error when present but not a non-blank scalar. */
    private static String text(Map<String, Object> fields, String key, List<String> errors, String where) {
        Object value = fields.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof List<?> || value instanceof Map<?, ?> || value.toString().isBlank()) {
            errors.add(where + "." + key + ": expected a non-empty value"
                    + (key.equals("password") ? "" : ", got \"" + value + "\""));
            return null;
        }
        // A password is taken as written: its spaces may be part of it.
        return key.equals("password") ? value.toString() : value.toString().trim();
    }

    @Override
    public String toString() {
        return "EmailSettings[name=" + name + ", host=" + host + ", port=" + port + ", starttls="
                + starttls.name().toLowerCase(Locale.ROOT) + ", username=" + username + ", password="
                + (password == null ? "<none>" : "****") + ", from=" + from + ", to=" + to + ", subject=" + subjectTemplate
                + ", language=" + language + "]";
    }
}
