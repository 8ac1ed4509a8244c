package fr.gardien.gateway.config;

import fr.gardien.cluster.KafkaSettings;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * This process's part in a deployment (issue 13) and how it reaches the readings log.
 *
 * @param role {@code cluster.role}: {@link Role#ALL} (one process, no Kafka), {@link Role#EDGE}
 *     or {@link Role#WORKER}
 * @param bootstrapServers {@code cluster.kafka.bootstrap-servers}, required by edge and worker
 * @param topic {@code cluster.kafka.topic}
 * @param partitions {@code cluster.kafka.partitions}, used when this process creates the topic
 * @param security Kafka client properties for TLS and SASL ({@code security.protocol},
 *     {@code sasl.mechanism}, {@code sasl.jaas.config}, {@code ssl.truststore.*}); only the set ones
 * @throws IllegalArgumentException naming the key, in English and French
 */
public record ClusterConfig(Role role, String bootstrapServers, String topic, int partitions, Map<String, String> security) {

    /** What a process runs. */
    public enum Role {
        /** Everything in one process, readings written directly: no Kafka. */
        ALL,
        /** MQTT, CoAP and HTTP telemetry, device authentication, the HTTP API and dashboard; packs go to Kafka. */
        EDGE,
        /** Storage from Kafka, rules, alerts, ticket delivery, rollups and maintenance. */
        WORKER;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The single process of the default configuration. */
    public static final ClusterConfig SINGLE = new ClusterConfig(Role.ALL, "", KafkaSettings.DEFAULT_TOPIC,
            KafkaSettings.DEFAULT_PARTITIONS, Map.of());

    public ClusterConfig {
        Objects.requireNonNull(role, "role");
        bootstrapServers = bootstrapServers == null ? "" : bootstrapServers.strip();
        security = Map.copyOf(security);
        ConfigKey.CLUSTER_KAFKA_PARTITIONS.checkInt(partitions);
        if (role != Role.ALL) {
            if (bootstrapServers.isEmpty()) {
                // Reported against the role, the key the file sets, with its line.
                throw new ConfigKey.Invalid(ConfigKey.CLUSTER_ROLE, role.key() + " needs cluster.kafka.bootstrap-servers"
                        + " (host:port,...) / " + role.key() + " exige cluster.kafka.bootstrap-servers");
            }
            try {
                // The parameters, not kafka(): the fields are assigned only after this constructor's body.
                new KafkaSettings(bootstrapServers, topic, partitions, security);
            } catch (IllegalArgumentException e) {
                throw new ConfigKey.Invalid(ConfigKey.CLUSTER_KAFKA_BOOTSTRAP_SERVERS, e.getMessage());
            }
        }
    }

    /** Parses {@code cluster.role} and builds the section. */
    static ClusterConfig of(String role, String bootstrapServers, String topic, int partitions, Map<String, String> security) {
        Role parsed;
        try {
            parsed = Role.valueOf(role.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigKey.Invalid(ConfigKey.CLUSTER_ROLE, "expected all, edge or worker / attendu all, edge ou worker, got \""
                    + role + '"');
        }
        return new ClusterConfig(parsed, bootstrapServers, topic, partitions, security);
    }

    /** The Kafka client properties of the set security keys. */
    static Map<String, String> security(String protocol, String saslMechanism, String jaas, String truststore,
            String truststorePassword) {
        Map<String, String> set = new LinkedHashMap<>();
        put(set, "security.protocol", protocol);
        put(set, "sasl.mechanism", saslMechanism);
        put(set, "sasl.jaas.config", jaas);
        put(set, "ssl.truststore.location", truststore);
        put(set, "ssl.truststore.password", truststorePassword);
        return set;
    }

    private static void put(Map<String, String> set, String key, String value) {
        if (value != null && !value.isBlank()) {
            set.put(key, value.strip());
        }
    }

    /** The settings of the Kafka clients (validated). */
    public KafkaSettings kafka() {
        return new KafkaSettings(bootstrapServers, topic, partitions, security);
    }
}
