package fr.gardien.gateway.config;

import fr.gardien.rules.yaml.InvalidSetting;
import fr.gardien.rules.yaml.YamlFile;
import fr.gardien.rules.yaml.YamlNode;
import fr.gardien.storage.write.WriterConfig;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the configuration (contract: "Configuration"): one YAML file, nested ({@code db: {url: …}})
 * or dotted ({@code db.url: …}) keys, then environment overrides {@code GARDIEN_} + the key
 * upper-cased with {@code .} and {@code -} as {@code _}. Environment variables starting with
 * {@code GARDIEN_} that name no key are ignored. The top-level {@code ticketing} section is kept
 * as written for its own loader.
 *
 * <p>Relative paths ({@code portfolio}, {@code rules}, {@code data.dir}) resolve against the
 * directory of the file they were written in, or the working directory for defaults and
 * environment overrides.
 */
public final class ConfigLoader {

    private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);

    /** Where a value came from: what to prefix its errors with, and its source for describe(). */
    private record Value(String text, String origin, String source, Path baseDir) {
    }

    private ConfigLoader() {
    }

    /**
     * Loads, validates and seals the configuration.
     *
     * @param file the YAML file, or {@code null} for defaults (and environment) only
     * @param env the environment, usually {@code System.getenv()}
     * @return the configuration; {@code portfolio} and {@code rules}, when set, exist
     * @throws ConfigException with every error found: a missing, unreadable or syntactically
     *     invalid file is one error; otherwise each unknown key, wrong type, out-of-range value
     *     and missing file is reported, with the line or variable it comes from
     */
    public static GardienConfig load(Path file, Map<String, String> env) {
        List<String> errors = new ArrayList<>();
        Map<ConfigKey, Value> values = new EnumMap<>(ConfigKey.class);
        Path workDir = Path.of("").toAbsolutePath();
        YamlNode ticketing = null;
        Map<String, String> sources = new HashMap<>();

        if (file != null) {
            YamlFile yaml;
            try {
                yaml = YamlFile.read(file);
            } catch (YamlFile.ReadException e) {
                throw new ConfigException(List.of(e.getMessage()));
            }
            errors.addAll(yaml.problems());
            Path baseDir = file.toAbsolutePath().getParent();
            YamlNode root = yaml.root();
            if (root instanceof YamlNode.Mapping) {
                YamlNode.Entry t = ((YamlNode.Mapping) root).get("ticketing");
                if (t != null) {
                    ticketing = t.value();
                    sources.put("ticketing", "file:" + t.line());
                }
                collect((YamlNode.Mapping) root, "", file, baseDir, values, errors);
            } else if (!(root instanceof YamlNode.Scalar && ((YamlNode.Scalar) root).isNull())) {
                errors.add(file + ":" + root.line() + ": expected a mapping of configuration keys, got "
                    + root.describe());
            }
        }

        for (ConfigKey key : ConfigKey.values()) {
            String override = env.get(key.envName());
            if (override != null) {
                values.put(key, new Value(override, key.envName(), "env", workDir));
            }
        }

        Map<ConfigKey, Object> parsed = new EnumMap<>(ConfigKey.class);
        for (ConfigKey key : ConfigKey.values()) {
            Value v = values.getOrDefault(key, new Value(key.defaultText, key.key, "default", workDir));
            sources.put(key.key, v.source());
            try {
                Object value = key.parse(v.text());
                if (value != null && (key.type == ConfigKey.Type.DIR || key.type == ConfigKey.Type.FILE
                    || key.type == ConfigKey.Type.FILE_OR_DIR || key.type == ConfigKey.Type.PEM_FILE)) {
                    value = resolvePath(key, (String) value, v.baseDir());
                }
                parsed.put(key, value);
            } catch (ConfigKey.Invalid e) {
                errors.add(prefix(v, key) + e.what());
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(inFileOrder(errors, file));
        }

        GardienConfig config = build(parsed, values, ticketing, file, sources, errors);
        if (!errors.isEmpty()) {
            throw new ConfigException(inFileOrder(errors, file));
        }
        log.debug("configuration loaded [file: {}]", file == null ? "<none>" : file);
        return config;
    }

    private static void collect(YamlNode.Mapping mapping, String prefix, Path file, Path baseDir,
                                Map<ConfigKey, Value> values, List<String> errors) {
        Set<String> seenHere = new HashSet<>();
        for (YamlNode.Entry entry : mapping.entries()) {
            if (!seenHere.add(entry.key())) {
                continue; // a duplicate within one mapping is already reported by YamlFile
            }
            String name = prefix.isEmpty() ? entry.key() : prefix + "." + entry.key();
            String where = file + ":" + entry.line() + ": ";
            if (name.equals("ticketing") || name.equals("governance")) { // read by TicketingParser, GovernanceParser
                continue;
            }
            ConfigKey key = ConfigKey.byName(name);
            if (key != null) {
                Value earlier = values.get(key);
                if (earlier != null) {
                    errors.add(where + name + ": set twice (first at line "
                        + earlier.source().substring("file:".length()) + ")");
                } else if (entry.value() instanceof YamlNode.Scalar) {
                    values.put(key, new Value(((YamlNode.Scalar) entry.value()).text(), file + ":" + entry.line(),
                        "file:" + entry.line(), baseDir));
                } else {
                    errors.add(where + name + ": expected a single value, got " + entry.value().describe());
                }
            } else if (isSection(name)) {
                if (entry.value() instanceof YamlNode.Mapping) {
                    collect((YamlNode.Mapping) entry.value(), name, file, baseDir, values, errors);
                } else {
                    errors.add(where + name + ": expected a section of keys such as " + firstKeyOf(name)
                        + ", got " + entry.value().describe());
                }
            } else {
                errors.add(where + "unknown key \"" + name + "\"" + suggestion(name));
            }
        }
    }

    private static GardienConfig build(Map<ConfigKey, Object> p, Map<ConfigKey, Value> values, YamlNode ticketing,
                                       Path file, Map<String, String> sources, List<String> errors) {
        DbConfig db = section(errors, values, () -> new DbConfig((String) p.get(ConfigKey.DB_URL),
            (String) p.get(ConfigKey.DB_USER), (String) p.get(ConfigKey.DB_PASSWORD), (int) p.get(ConfigKey.DB_POOL_SIZE)));
        DataConfig data = section(errors, values, () -> new DataConfig((Path) p.get(ConfigKey.DATA_DIR)));
        Optional<TlsConfig> httpTls = section(errors, values, () -> TlsConfig.of(ConfigKey.HTTP_TLS_CERT, ConfigKey.HTTP_TLS_KEY,
            (int) p.get(ConfigKey.HTTP_TLS_PORT), (Path) p.get(ConfigKey.HTTP_TLS_CERT), (Path) p.get(ConfigKey.HTTP_TLS_KEY)));
        HttpConfig http = httpTls == null ? null : section(errors, values, () -> new HttpConfig((String) p.get(ConfigKey.HTTP_HOST),
            (int) p.get(ConfigKey.HTTP_PORT), (Duration) p.get(ConfigKey.HTTP_HEADER_TIMEOUT),
            (Duration) p.get(ConfigKey.HTTP_BODY_TIMEOUT), (Duration) p.get(ConfigKey.HTTP_IDLE_TIMEOUT),
            (boolean) p.get(ConfigKey.HTTP_PLAIN_ENABLED), httpTls));
        Optional<TlsConfig> mqttTls = section(errors, values, () -> TlsConfig.of(ConfigKey.MQTT_TLS_CERT, ConfigKey.MQTT_TLS_KEY,
            (int) p.get(ConfigKey.MQTT_TLS_PORT), (Path) p.get(ConfigKey.MQTT_TLS_CERT), (Path) p.get(ConfigKey.MQTT_TLS_KEY))
            .map(tls -> tls.withClientCa(ConfigKey.MQTT_TLS_CLIENT_CA, (Path) p.get(ConfigKey.MQTT_TLS_CLIENT_CA)))
            .or(() -> TlsConfig.noClientCaWithoutTls(ConfigKey.MQTT_TLS_CLIENT_CA, (Path) p.get(ConfigKey.MQTT_TLS_CLIENT_CA),
                ConfigKey.MQTT_TLS_CERT)));
        MqttConfig mqtt = mqttTls == null ? null : section(errors, values, () -> new MqttConfig((String) p.get(ConfigKey.MQTT_HOST),
            (int) p.get(ConfigKey.MQTT_PORT), (int) p.get(ConfigKey.MQTT_MAX_PENDING_PER_CONNECTION),
            (Duration) p.get(ConfigKey.MQTT_CONNECT_TIMEOUT), (Duration) p.get(ConfigKey.MQTT_IDLE_TIMEOUT),
            (boolean) p.get(ConfigKey.MQTT_PLAIN_ENABLED), mqttTls));
        CoapConfig coap = section(errors, values, () -> new CoapConfig((String) p.get(ConfigKey.COAP_HOST),
            (int) p.get(ConfigKey.COAP_PORT), (int) p.get(ConfigKey.COAP_DTLS_PORT),
            (boolean) p.get(ConfigKey.COAP_PLAIN_ENABLED), (int) p.get(ConfigKey.COAP_MAX_SESSIONS)));
        IngestConfig ingest = section(errors, values, () -> new IngestConfig(
            (int) p.get(ConfigKey.INGEST_MAX_PAYLOAD_BYTES), (int) p.get(ConfigKey.INGEST_MAX_RECORDS_PER_PACK),
            (int) p.get(ConfigKey.INGEST_MAX_TOPIC_LENGTH), (Duration) p.get(ConfigKey.INGEST_MAX_FUTURE)));
        WriterConfig writer = section(errors, values, () -> new WriterConfig(
            (int) p.get(ConfigKey.WRITER_BATCH_MAX_ROWS), (Duration) p.get(ConfigKey.WRITER_BATCH_MAX_DELAY),
            (Duration) p.get(ConfigKey.WRITER_BATCH_GAP), (int) p.get(ConfigKey.WRITER_QUEUE_CAPACITY), (int) p.get(ConfigKey.WRITER_THREADS)));
        StorageConfig storage = section(errors, values, () -> new StorageConfig(
            (Duration) p.get(ConfigKey.STORAGE_RETENTION), (Duration) p.get(ConfigKey.STORAGE_PARTITION_INTERVAL),
            (int) p.get(ConfigKey.STORAGE_PARTITIONS_AHEAD), (Duration) p.get(ConfigKey.STORAGE_QUARANTINE_RETENTION)));
        HealthConfig health = section(errors, values, () -> new HealthConfig(
            (Duration) p.get(ConfigKey.HEALTH_MAX_WRITER_LAG)));
        RuleEngineConfig ruleEngine = section(errors, values, () -> new RuleEngineConfig(
            (Duration) p.get(ConfigKey.RULE_ENGINE_LATENESS), (int) p.get(ConfigKey.RULE_ENGINE_QUEUE_CAPACITY)));
        AuditConfig audit = section(errors, values, () -> new AuditConfig(
            (Duration) p.get(ConfigKey.AUDIT_RETENTION), (int) p.get(ConfigKey.AUDIT_QUEUE_CAPACITY)));
        ApiConfig api = section(errors, values, () -> new ApiConfig((int) p.get(ConfigKey.API_OCCUPANCY_MIN_COUNT)));
        RollupConfig rollup = section(errors, values, () -> new RollupConfig((Duration) p.get(ConfigKey.ROLLUP_INTERVAL)));
        AuthConfig auth = section(errors, values, () -> new AuthConfig((int) p.get(ConfigKey.AUTH_MAX_FAILURES),
            (int) p.get(ConfigKey.AUTH_DEVICE_MAX_FAILURES), (Duration) p.get(ConfigKey.AUTH_BLOCK_TIME)));
        ClusterConfig cluster = section(errors, values, () -> ClusterConfig.of((String) p.get(ConfigKey.CLUSTER_ROLE),
            (String) p.get(ConfigKey.CLUSTER_KAFKA_BOOTSTRAP_SERVERS), (String) p.get(ConfigKey.CLUSTER_KAFKA_TOPIC),
            (int) p.get(ConfigKey.CLUSTER_KAFKA_PARTITIONS), ClusterConfig.security(
                (String) p.get(ConfigKey.CLUSTER_KAFKA_SECURITY_PROTOCOL), (String) p.get(ConfigKey.CLUSTER_KAFKA_SASL_MECHANISM),
                (String) p.get(ConfigKey.CLUSTER_KAFKA_SASL_JAAS_CONFIG),
                (String) p.get(ConfigKey.CLUSTER_KAFKA_SSL_TRUSTSTORE_LOCATION),
                (String) p.get(ConfigKey.CLUSTER_KAFKA_SSL_TRUSTSTORE_PASSWORD))));
        if (writer != null && ingest != null) {
            section(errors, values, () -> {
                // A pack larger than the whole queue could never be written: its device would retry it forever.
                if (writer.queueCapacity() < ingest.maxRecordsPerPack()) {
                    throw new ConfigKey.Invalid(ConfigKey.WRITER_QUEUE_CAPACITY, "must be at least ingest.max-records-per-pack ("
                        + ingest.maxRecordsPerPack() + "), got " + writer.queueCapacity());
                }
                return null;
            });
        }
        if (writer != null && db != null) {
            section(errors, values, () -> {
                // Each writer thread holds a connection, partition creation needs one more, and queries at least one.
                if (db.poolSize() < writer.threads() + 2) {
                    throw new ConfigKey.Invalid(ConfigKey.DB_POOL_SIZE, "must be at least writer.threads + 2 ("
                        + (writer.threads() + 2) + "), got " + db.poolSize());
                }
                return null;
            });
        }
        if (!errors.isEmpty()) {
            return null;
        }
        return new GardienConfig(db, data, http, mqtt, coap, Optional.ofNullable((Path) p.get(ConfigKey.PORTFOLIO)),
            Optional.ofNullable((Path) p.get(ConfigKey.RULES)), ingest, writer, storage, health, ruleEngine,
            audit, api, rollup, auth, cluster, Optional.ofNullable(ticketing), Optional.ofNullable(file), sources);
    }

    /**
     * Builds one section; an error, a record's refusal too ({@link InvalidSetting}, which names the
     * setting as the file writes it), is reported against the key it names, with its line or variable.
     */
    private static <T> T section(List<String> errors, Map<ConfigKey, Value> values, Supplier<T> build) {
        try {
            return build.get();
        } catch (InvalidSetting e) {
            ConfigKey key = ConfigKey.byName(e.setting());
            Value v = key == null ? null : values.get(key);
            errors.add((v == null ? e.setting() + ": " : prefix(v, key)) + e.reason());
            return null;
        }
    }

    private static Path resolvePath(ConfigKey key, String text, Path baseDir) {
        Path path;
        try {
            path = baseDir.resolve(text).normalize();
        } catch (InvalidPathException e) {
            throw new ConfigKey.Invalid(key, "not a valid path: \"" + text + "\"");
        }
        switch (key.type) {
            case FILE:
                if (!Files.exists(path)) {
                    throw new ConfigKey.Invalid(key, "file not found: " + path);
                }
                if (!Files.isRegularFile(path)) {
                    throw new ConfigKey.Invalid(key, "expected a file, got a folder: " + path);
                }
                if (!Files.isReadable(path)) {
                    throw new ConfigKey.Invalid(key, "cannot read: " + path);
                }
                return path;
            case FILE_OR_DIR:
                if (!Files.exists(path)) {
                    throw new ConfigKey.Invalid(key, "file or folder not found: " + path);
                }
                if (!Files.isReadable(path)) {
                    throw new ConfigKey.Invalid(key, "cannot read: " + path);
                }
                return path;
            default:
                return path;
        }
    }

    /** File errors by line first, then the others (environment) as found. */
    private static List<String> inFileOrder(List<String> errors, Path file) {
        String filePrefix = file + ":";
        List<String> sorted = new ArrayList<>(errors);
        sorted.sort(Comparator.comparingLong(e -> {
            if (file == null || !e.startsWith(filePrefix)) {
                return Long.MAX_VALUE;
            }
            int end = e.indexOf(':', filePrefix.length());
            try {
                return Long.parseLong(e.substring(filePrefix.length(), end));
            } catch (RuntimeException notALine) {
                return Long.MAX_VALUE;
            }
        }));
        return sorted;
    }

    /** {@code config.yaml:12: http.port: } for the file, {@code GARDIEN_HTTP_PORT: } for the environment. */
    private static String prefix(Value v, ConfigKey key) {
        switch (v.source()) {
            case "env": return v.origin() + ": ";
            case "default": return key.key + ": ";
            default: return v.origin() + ": " + key.key + ": ";
        }
    }

    private static boolean isSection(String name) {
        for (ConfigKey k : ConfigKey.values()) {
            if (k.key.startsWith(name + ".")) {
                return true;
            }
        }
        return false;
    }

    private static String firstKeyOf(String section) {
        for (ConfigKey k : ConfigKey.values()) {
            if (k.key.startsWith(section + ".")) {
                return k.key;
            }
        }
        return section;
    }

    /** {@code (did you mean "http.port"?)} when a key is one or two edits away. */
    private static String suggestion(String name) {
        String best = null;
        int bestDistance = 3;
        for (ConfigKey k : ConfigKey.values()) {
            for (String candidate : new String[] {k.key, k.section()}) {
                int d = candidate == null ? bestDistance : distance(name, candidate);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = candidate;
                }
            }
        }
        return best == null ? "" : " (did you mean \"" + best + "\"?)";
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
