package fr.gardien.gateway.config;

import fr.gardien.rules.yaml.YamlNode;
import fr.gardien.storage.write.WriterConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The gateway's whole configuration, validated and sealed at start-up. Built by
 * {@link ConfigLoader#load}; {@code ConfigLoader.load(null, Map.of())} gives the defaults.
 *
 * @param db the database ({@code db.*})
 * @param data the data directory ({@code data.dir})
 * @param http the HTTP server ({@code http.*})
 * @param mqtt the MQTT server ({@code mqtt.*})
 * @param coap the CoAP server ({@code coap.*})
 * @param portfolio the portfolio file, absolute; empty when not configured. Exists at load time.
 * @param rules the rules file or folder, absolute; empty for the built-in catalog. Exists at load time.
 * @param ingest limits on incoming packs ({@code ingest.*})
 * @param writer the batch writer ({@code writer.*}), storage's own record
 * @param storage partitioning and retention ({@code storage.*})
 * @param health readiness thresholds ({@code health.*})
 * @param ruleEngine how the rule engine runs ({@code rule-engine.*})
 * @param audit the audit log of data access ({@code audit.*})
 * @param api the read API's privacy settings ({@code api.*})
 * @param rollup how the rollups are kept current ({@code rollup.*})
 * @param auth the brake on credential guessing ({@code auth.*})
 * @param cluster this process's role and how it reaches Kafka ({@code cluster.*}, issue 13)
 * @param ticketing the {@code ticketing} section as written in the file (with its lines), not
 *     validated here; empty when absent
 * @param file the configuration file, empty when only defaults and environment were used
 * @param sources where each key's value came from, by key: {@code default}, {@code file:LINE} or
 *     {@code env}; a key missing from the map is reported as {@code default}
 */
public record GardienConfig(
    DbConfig db,
    DataConfig data,
    HttpConfig http,
    MqttConfig mqtt,
    CoapConfig coap,
    Optional<Path> portfolio,
    Optional<Path> rules,
    IngestConfig ingest,
    WriterConfig writer,
    StorageConfig storage,
    HealthConfig health,
    RuleEngineConfig ruleEngine,
    AuditConfig audit,
    ApiConfig api,
    RollupConfig rollup,
    AuthConfig auth,
    ClusterConfig cluster,
    Optional<YamlNode> ticketing,
    Optional<Path> file,
    Map<String, String> sources) {

    public GardienConfig {
        Objects.requireNonNull(db, "db");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(mqtt, "mqtt");
        Objects.requireNonNull(coap, "coap");
        Objects.requireNonNull(portfolio, "portfolio");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(ingest, "ingest");
        Objects.requireNonNull(writer, "writer");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(ruleEngine, "ruleEngine");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(rollup, "rollup");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(ticketing, "ticketing");
        Objects.requireNonNull(file, "file");
        sources = Map.copyOf(sources);
    }

    /**
     * The effective configuration, one line per key in a stable order:
     * {@code key = value (source)}, source being {@code default}, {@code file:LINE} or
     * {@code env}. Secrets are masked: {@code db.password} and any password inside {@code db.url}
     * show as {@code ****}. Safe to log.
     *
     * @return the lines, separated by {@code \n}
     */
    public String describe() {
        List<String> lines = new ArrayList<>();
        for (ConfigKey key : ConfigKey.values()) {
            lines.add(key.key + " = " + render(key) + " (" + sources.getOrDefault(key.key, "default") + ")");
        }
        ticketing.ifPresent(t -> lines.add("ticketing = <section> (" + sources.getOrDefault("ticketing", "default") + ")"));
        return String.join("\n", lines);
    }

    private String render(ConfigKey key) {
        switch (key) {
            case DB_URL: return db.maskedUrl();
            case DB_USER: return db.user();
            case DB_PASSWORD: return db.password().isEmpty() ? "" : "****";
            case DB_POOL_SIZE: return Integer.toString(db.poolSize());
            case DATA_DIR: return data.dir().toString();
            case HTTP_HOST: return http.host();
            case HTTP_PORT: return Integer.toString(http.port());
            case HTTP_HEADER_TIMEOUT: return ConfigKey.format(http.headerTimeout());
            case HTTP_BODY_TIMEOUT: return ConfigKey.format(http.bodyTimeout());
            case HTTP_IDLE_TIMEOUT: return ConfigKey.format(http.idleTimeout());
            case HTTP_PLAIN_ENABLED: return Boolean.toString(http.plainEnabled());
            case HTTP_TLS_PORT: return http.tls().map(t -> Integer.toString(t.port())).orElse("<no TLS>");
            case HTTP_TLS_CERT: return http.tls().map(t -> t.cert().toString()).orElse("<none>");
            case HTTP_TLS_KEY: return http.tls().map(t -> t.key().toString()).orElse("<none>");
            case MQTT_HOST: return mqtt.host();
            case MQTT_PORT: return Integer.toString(mqtt.port());
            case MQTT_MAX_PENDING_PER_CONNECTION: return Integer.toString(mqtt.maxPendingPerConnection());
            case MQTT_CONNECT_TIMEOUT: return ConfigKey.format(mqtt.connectTimeout());
            case MQTT_IDLE_TIMEOUT: return ConfigKey.format(mqtt.idleTimeout());
            case MQTT_PLAIN_ENABLED: return Boolean.toString(mqtt.plainEnabled());
            case MQTT_TLS_PORT: return mqtt.tls().map(t -> Integer.toString(t.port())).orElse("<no TLS>");
            case MQTT_TLS_CERT: return mqtt.tls().map(t -> t.cert().toString()).orElse("<none>");
            case MQTT_TLS_KEY: return mqtt.tls().map(t -> t.key().toString()).orElse("<none>");
            case MQTT_TLS_CLIENT_CA: return mqtt.tls().flatMap(TlsConfig::clientCa).map(Path::toString).orElse("<none>");
            case COAP_HOST: return coap.host();
            case COAP_PORT: return Integer.toString(coap.port());
            case COAP_PLAIN_ENABLED: return Boolean.toString(coap.plainEnabled());
            case COAP_DTLS_PORT: return Integer.toString(coap.dtlsPort());
            case COAP_MAX_SESSIONS: return Integer.toString(coap.maxSessions());
            case PORTFOLIO: return portfolio.map(Path::toString).orElse("<none>");
            case RULES: return rules.map(Path::toString).orElse("<none>");
            case INGEST_MAX_PAYLOAD_BYTES: return Integer.toString(ingest.maxPayloadBytes());
            case INGEST_MAX_RECORDS_PER_PACK: return Integer.toString(ingest.maxRecordsPerPack());
            case INGEST_MAX_TOPIC_LENGTH: return Integer.toString(ingest.maxTopicLength());
            case INGEST_MAX_FUTURE: return ConfigKey.format(ingest.maxFuture());
            case WRITER_BATCH_MAX_ROWS: return Integer.toString(writer.batchMaxRows());
            case WRITER_BATCH_MAX_DELAY: return ConfigKey.format(writer.batchMaxDelay());
            case WRITER_BATCH_GAP: return ConfigKey.format(writer.batchGap());
            case WRITER_QUEUE_CAPACITY: return Integer.toString(writer.queueCapacity());
            case WRITER_THREADS: return Integer.toString(writer.threads());
            case STORAGE_RETENTION: return ConfigKey.format(storage.retention());
            case STORAGE_PARTITION_INTERVAL: return ConfigKey.format(storage.partitionInterval());
            case STORAGE_PARTITIONS_AHEAD: return Integer.toString(storage.partitionsAhead());
            case STORAGE_QUARANTINE_RETENTION: return ConfigKey.format(storage.quarantineRetention());
            case HEALTH_MAX_WRITER_LAG: return ConfigKey.format(health.maxWriterLag());
            case RULE_ENGINE_LATENESS: return ConfigKey.format(ruleEngine.lateness());
            case RULE_ENGINE_QUEUE_CAPACITY: return Integer.toString(ruleEngine.queueCapacity());
            case AUDIT_RETENTION: return ConfigKey.format(audit.retention());
            case AUDIT_QUEUE_CAPACITY: return Integer.toString(audit.queueCapacity());
            case API_OCCUPANCY_MIN_COUNT: return Integer.toString(api.occupancyMinCount());
            case ROLLUP_INTERVAL: return ConfigKey.format(rollup.interval());
            case AUTH_MAX_FAILURES: return Integer.toString(auth.maxFailures());
            case AUTH_DEVICE_MAX_FAILURES: return Integer.toString(auth.deviceMaxFailures());
            case AUTH_BLOCK_TIME: return ConfigKey.format(auth.blockTime());
            case CLUSTER_ROLE: return cluster.role().key();
            case CLUSTER_KAFKA_BOOTSTRAP_SERVERS: return cluster.bootstrapServers();
            case CLUSTER_KAFKA_TOPIC: return cluster.topic();
            case CLUSTER_KAFKA_PARTITIONS: return Integer.toString(cluster.partitions());
            case CLUSTER_KAFKA_SECURITY_PROTOCOL: return cluster.security().getOrDefault("security.protocol", "");
            case CLUSTER_KAFKA_SASL_MECHANISM: return cluster.security().getOrDefault("sasl.mechanism", "");
            case CLUSTER_KAFKA_SASL_JAAS_CONFIG: return cluster.security().containsKey("sasl.jaas.config") ? "****" : "";
            case CLUSTER_KAFKA_SSL_TRUSTSTORE_LOCATION: return cluster.security().getOrDefault("ssl.truststore.location", "");
            case CLUSTER_KAFKA_SSL_TRUSTSTORE_PASSWORD:
                return cluster.security().containsKey("ssl.truststore.password") ? "****" : "";
            default: throw new IllegalStateException("no rendering for " + key);
        }
    }
}
