package fr.gardien.gateway.config;

import fr.gardien.rules.yaml.Durations;
import fr.gardien.rules.yaml.InvalidSetting;
import fr.gardien.storage.db.RetentionConfig;
import fr.gardien.storage.write.WriterConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Every configuration key: its name, type, default and bounds. The single place where a key's
 * rules live: {@link ConfigLoader} parses with it, and the section records check with it in
 * their constructors.
 */
enum ConfigKey {
    DB_URL("db.url", Type.JDBC_URL, ""),
    DB_USER("db.user", Type.TEXT, ""),
    DB_PASSWORD("db.password", Type.SECRET, ""),
    DB_POOL_SIZE("db.pool-size", Type.INT, "8", 1, 1_000),
    DATA_DIR("data.dir", Type.DIR, "./data"),
    HTTP_HOST("http.host", Type.HOST, "0.0.0.0"),
    HTTP_PORT("http.port", Type.INT, "8080", 0, 65_535),
    // Slowloris and half-sent requests (issue 15): each phase of a request has its own deadline.
    HTTP_HEADER_TIMEOUT("http.header-timeout", Type.DURATION, "10s", 100, 3_600_000),
    HTTP_BODY_TIMEOUT("http.body-timeout", Type.DURATION, "30s", 100, 3_600_000),
    HTTP_IDLE_TIMEOUT("http.idle-timeout", Type.DURATION, "60s", 100, 3_600_000),
    // Issue 14: HTTPS beside (or instead of) the clear listener; both PEM files or neither.
    HTTP_PLAIN_ENABLED("http.plain-enabled", Type.BOOL, "true"),
    HTTP_TLS_PORT("http.tls.port", Type.INT, "8443", 0, 65_535),
    HTTP_TLS_CERT("http.tls.cert", Type.PEM_FILE, null),
    HTTP_TLS_KEY("http.tls.key", Type.PEM_FILE, null),
    MQTT_HOST("mqtt.host", Type.HOST, "0.0.0.0"),
    MQTT_PORT("mqtt.port", Type.INT, "1883", 0, 65_535),
    // MQTT 5 Receive Maximum is a two-byte integer (MQTT 5 §3.1.2.11.3).
    MQTT_MAX_PENDING_PER_CONNECTION("mqtt.max-pending-per-connection", Type.INT, "64", 1, 65_535),
    MQTT_CONNECT_TIMEOUT("mqtt.connect-timeout", Type.DURATION, "10s", 1_000, 3_600_000),
    MQTT_IDLE_TIMEOUT("mqtt.idle-timeout", Type.DURATION, "10m", 1_000, days(1)),
    MQTT_PLAIN_ENABLED("mqtt.plain-enabled", Type.BOOL, "true"),
    // 8883: MQTT over TLS (IANA "secure-mqtt").
    MQTT_TLS_PORT("mqtt.tls.port", Type.INT, "8883", 0, 65_535),
    MQTT_TLS_CERT("mqtt.tls.cert", Type.PEM_FILE, null),
    MQTT_TLS_KEY("mqtt.tls.key", Type.PEM_FILE, null),
    MQTT_TLS_CLIENT_CA("mqtt.tls.client-ca", Type.PEM_FILE, null),
    COAP_HOST("coap.host", Type.HOST, "0.0.0.0"),
    COAP_PORT("coap.port", Type.INT, "5683", 0, 65_535),
    COAP_DTLS_PORT("coap.dtls-port", Type.INT, "5684", 0, 65_535),
    // Plain CoAP carries the device's credentials in clear: off unless asked for (issue 6).
    COAP_PLAIN_ENABLED("coap.plain-enabled", Type.BOOL, "false"),
    // DTLS connections (handshakes and sessions) Scandium keeps at most (issue 15).
    COAP_MAX_SESSIONS("coap.max-sessions", Type.INT, "20000", 10, 1_000_000),
    PORTFOLIO("portfolio", Type.FILE, null),
    RULES("rules", Type.FILE_OR_DIR, null),
    // 268,435,455 is the largest MQTT packet (MQTT 3.1.1 §2.2.3).
    INGEST_MAX_PAYLOAD_BYTES("ingest.max-payload-bytes", Type.INT, "262144", 1, 268_435_455),
    INGEST_MAX_RECORDS_PER_PACK("ingest.max-records-per-pack", Type.INT, "1000", 1, 1_000_000),
    INGEST_MAX_TOPIC_LENGTH("ingest.max-topic-length", Type.INT, "256", 1, 65_535),
    INGEST_MAX_FUTURE("ingest.max-future", Type.DURATION, "10m", 0, days(365)),
    // The writer's section is storage's own record: its names and ranges live there.
    WRITER_BATCH_MAX_ROWS(WriterConfig.BATCH_MAX_ROWS, Type.INT, "5000", 1, WriterConfig.MAX_BATCH_ROWS),
    WRITER_BATCH_MAX_DELAY(WriterConfig.BATCH_MAX_DELAY, Type.DURATION, "25ms", 0, WriterConfig.MAX_BATCH_DELAY.toMillis()),
    WRITER_BATCH_GAP(WriterConfig.BATCH_GAP, Type.DURATION, "2ms", 0, WriterConfig.MAX_BATCH_DELAY.toMillis()),
    WRITER_QUEUE_CAPACITY(WriterConfig.QUEUE_CAPACITY, Type.INT, "200000", 1, WriterConfig.MAX_QUEUE_ROWS),
    WRITER_THREADS(WriterConfig.THREADS, Type.INT, "2", 1, WriterConfig.MAX_THREADS),
    // The readings' retention is storage's own record too.
    STORAGE_RETENTION(RetentionConfig.RETENTION, Type.DURATION, "400d", RetentionConfig.MIN_RETENTION.toMillis(),
        RetentionConfig.MAX_RETENTION.toMillis()),
    STORAGE_PARTITION_INTERVAL(RetentionConfig.PARTITION_INTERVAL, Type.DURATION, "1d",
        RetentionConfig.MIN_PARTITION_INTERVAL.toMillis(), RetentionConfig.MAX_PARTITION_INTERVAL.toMillis()),
    STORAGE_PARTITIONS_AHEAD(RetentionConfig.PARTITIONS_AHEAD, Type.INT, "3", 0, RetentionConfig.MAX_PARTITIONS_AHEAD),
    STORAGE_QUARANTINE_RETENTION("storage.quarantine-retention", Type.DURATION, "30d", 3_600_000, days(3_660)),
    HEALTH_MAX_WRITER_LAG("health.max-writer-lag", Type.DURATION, "5s", 1, days(1)),
    RULE_ENGINE_LATENESS("rule-engine.lateness", Type.DURATION, "5m", 0, days(1)),
    RULE_ENGINE_QUEUE_CAPACITY("rule-engine.queue-capacity", Type.INT, "1000000", 1_000, 100_000_000),
    AUDIT_RETENTION("audit.retention", Type.DURATION, "400d", days(1), days(3_660)),
    AUDIT_QUEUE_CAPACITY("audit.queue-capacity", Type.INT, "10000", 100, 1_000_000),
    API_OCCUPANCY_MIN_COUNT("api.occupancy-min-count", Type.INT, "5", 1, 1_000_000),
    ROLLUP_INTERVAL("rollup.interval", Type.DURATION, "5s", 100, 3_600_000),
    // The brake on credential guessing (issue 15; see AuthBrake).
    AUTH_MAX_FAILURES("auth.max-failures", Type.INT, "10", 1, 1_000_000),
    AUTH_DEVICE_MAX_FAILURES("auth.device-max-failures", Type.INT, "50", 1, 1_000_000),
    AUTH_BLOCK_TIME("auth.block-time", Type.DURATION, "1m", 1_000, days(1)),
    // Issue 13: all (one process, no Kafka), edge or worker.
    CLUSTER_ROLE("cluster.role", Type.TEXT, "all"),
    CLUSTER_KAFKA_BOOTSTRAP_SERVERS("cluster.kafka.bootstrap-servers", Type.TEXT, ""),
    CLUSTER_KAFKA_TOPIC("cluster.kafka.topic", Type.TEXT, "gardien.readings"),
    CLUSTER_KAFKA_PARTITIONS("cluster.kafka.partitions", Type.INT, "24", 1, 10_000),
    // TLS and SASL toward Kafka, passed to its clients as security.protocol, sasl.*, ssl.*.
    CLUSTER_KAFKA_SECURITY_PROTOCOL("cluster.kafka.security-protocol", Type.TEXT, ""),
    CLUSTER_KAFKA_SASL_MECHANISM("cluster.kafka.sasl-mechanism", Type.TEXT, ""),
    CLUSTER_KAFKA_SASL_JAAS_CONFIG("cluster.kafka.sasl-jaas-config", Type.SECRET, ""),
    CLUSTER_KAFKA_SSL_TRUSTSTORE_LOCATION("cluster.kafka.ssl-truststore-location", Type.TEXT, ""),
    CLUSTER_KAFKA_SSL_TRUSTSTORE_PASSWORD("cluster.kafka.ssl-truststore-password", Type.SECRET, "");

    /** How a key's text is read. */
    enum Type {
        TEXT, SECRET, JDBC_URL, HOST, INT, BOOL, DURATION, DIR, FILE, FILE_OR_DIR,
        /** A path read and checked by {@link PemCredentials}, which reports its own errors (French and English). */
        PEM_FILE
    }

    private static final Pattern URL_PASSWORD_PARAM = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern URL_USER_INFO = Pattern.compile("(//[^/@:?]*:)[^/@?]*@");

    final String key;
    final Type type;
    /** The default as text, parsed like any other source; {@code null} for optional paths. */
    final String defaultText;
    /** Bounds: the integer itself, or a duration in milliseconds. */
    final long min;
    final long max;

    ConfigKey(String key, Type type, String defaultText) {
        this(key, type, defaultText, 0, 0);
    }

    ConfigKey(String key, Type type, String defaultText, long min, long max) {
        this.key = key;
        this.type = type;
        this.defaultText = defaultText;
        this.min = min;
        this.max = max;
    }

    /** {@code db.url} → {@code GARDIEN_DB_URL}, {@code coap.dtls-port} → {@code GARDIEN_COAP_DTLS_PORT}. */
    String envName() {
        return "GARDIEN_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The section of a dotted key ({@code db} for {@code db.url}), or {@code null} at top level. */
    String section() {
        int dot = key.indexOf('.');
        return dot < 0 ? null : key.substring(0, dot);
    }

    /** The default of a duration key. */
    Duration defaultDuration() {
        return (Duration) parse(defaultText);
    }

    static ConfigKey byName(String name) {
        for (ConfigKey k : values()) {
            if (k.key.equals(name)) {
                return k;
            }
        }
        return null;
    }

    /** Thrown when a value is invalid for a key; {@link #what()} says what was expected, without the key. */
    static final class Invalid extends InvalidSetting {
        private static final long serialVersionUID = 1L;
        final ConfigKey key;

        Invalid(ConfigKey key, String message) {
            super(key.key, message);
            this.key = key;
        }

        /** The message without the key name. */
        String what() {
            return reason();
        }
    }

    /**
     * Parses a value's text ({@code null} when the source gave a YAML null or an empty
     * variable). Paths come back as unresolved {@code String}s ({@code null} when unset).
     *
     * @return a String, Integer, Boolean or Duration
     * @throws Invalid with what was expected and what was given
     */
    Object parse(String text) {
        String t = text == null ? "" : text.strip();
        switch (type) {
            case TEXT:
            case SECRET:
                return text == null ? "" : text;
            case JDBC_URL:
                return checkJdbcUrl(t);
            case HOST:
                return checkHost(t);
            case INT:
                return checkInt(parseInt(t, text));
            case BOOL:
                if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
                    return Boolean.parseBoolean(t);
                }
                throw new Invalid(this, "expected true or false, got " + quoted(text));
            case DURATION:
                return checkDuration(parseDuration(t, text));
            case DIR:
                if (t.isEmpty()) {
                    throw new Invalid(this, "must not be empty");
                }
                return t;
            default:
                return t.isEmpty() ? null : t;
        }
    }

    int checkInt(int value) {
        try {
            return InvalidSetting.checkInt(key, value, min, max);
        } catch (InvalidSetting e) {
            throw new Invalid(this, e.reason());
        }
    }

    Duration checkDuration(Duration value) {
        try {
            return InvalidSetting.checkDuration(key, value, Duration.ofMillis(min), Duration.ofMillis(max));
        } catch (InvalidSetting e) {
            throw new Invalid(this, e.reason());
        }
    }

    String checkJdbcUrl(String url) {
        if (!url.isEmpty() && !url.startsWith("jdbc:postgresql:")) {
            throw new Invalid(this, "expected a JDBC URL starting with \"jdbc:postgresql:\" (or empty for the embedded"
                + " database), got \"" + maskUrl(url) + '"');
        }
        return url;
    }

    String checkHost(String host) {
        if (host == null || host.isBlank()) {
            throw new Invalid(this, "expected a host name or address to bind, got nothing");
        }
        return host;
    }

    private int parseInt(String t, String original) {
        try {
            long v = Long.parseLong(t.replace("_", ""));
            if (v >= min && v <= max) {
                return (int) v;
            }
        } catch (NumberFormatException e) {
            // fall through to the error that quotes what was given
        }
        throw new Invalid(this, expectedInt() + ", got " + quoted(original));
    }

    private Duration parseDuration(String t, String original) {
        Duration d = Durations.parse(t);
        if (d == null || d.isNegative() || d.compareTo(Duration.ofMillis(min)) < 0
            || d.compareTo(Duration.ofMillis(max)) > 0) {
            throw new Invalid(this, expectedDuration() + ", got " + quoted(original));
        }
        return d;
    }

    private String expectedInt() {
        return InvalidSetting.expectedInt(min, max);
    }

    private String expectedDuration() {
        return InvalidSetting.expectedDuration(Duration.ofMillis(min), Duration.ofMillis(max));
    }

    private static String quoted(String text) {
        return text == null ? "nothing" : '"' + text + '"';
    }

    private static long days(long n) {
        return Duration.ofDays(n).toMillis();
    }

    /** Formats a duration in the short syntax when it is a whole number of one unit, else ISO-8601. */
    static String format(Duration d) {
        return Durations.format(d);
    }

    /** Masks a password in a JDBC URL: {@code password=…} parameters and {@code user:pass@}. */
    static String maskUrl(String url) {
        String masked = URL_PASSWORD_PARAM.matcher(url).replaceAll("$1****");
        return URL_USER_INFO.matcher(masked).replaceAll("$1****@");
    }
}
