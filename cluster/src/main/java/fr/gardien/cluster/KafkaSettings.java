package fr.gardien.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How a process reaches the readings log (issue 13): {@code cluster.kafka.bootstrap-servers},
 * {@code cluster.kafka.topic} [gardien.readings], {@code cluster.kafka.partitions} [24] and the
 * client security settings passed through to Kafka. Validated in the constructor; every problem
 * is reported at once.
 *
 * @param bootstrapServers {@code host:port[,host:port…]}
 * @param topic the readings topic, created with {@code partitions} when missing
 * @param partitions partitions of the topic when this process creates it; the unit of work a
 *     worker owns, so the most workers that can share the load
 * @param security Kafka client properties for TLS and SASL, only the keys {@link #SECURITY_KEYS}
 *     allows ({@code security.protocol}, {@code ssl.*}, {@code sasl.*}): nothing else of the
 *     clients' behaviour (acks, idempotence, isolation) can be changed by configuration
 */
public record KafkaSettings(String bootstrapServers, String topic, int partitions, Map<String, String> security) {

    public static final String DEFAULT_TOPIC = "gardien.readings";
    public static final int DEFAULT_PARTITIONS = 24;
    /** Security properties passed to the Kafka clients as they are. */
    public static final Pattern SECURITY_KEYS = Pattern.compile("security\\.protocol|ssl\\.[a-z.]+|sasl\\.[a-z.]+");
    /** Keys whose values are never logged. */
    private static final Set<String> SECRET_WORDS = Set.of("password", "jaas", "secret", "key");
    private static final Pattern SERVER = Pattern.compile("[A-Za-z0-9._\\-\\[\\]:]+:[0-9]{1,5}");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._\\-]{1,249}");

    public KafkaSettings {
        security = Map.copyOf(security == null ? Map.of() : security);
        List<String> problems = new ArrayList<>();
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            problems.add("cluster.kafka.bootstrap-servers is empty / est vide");
        } else {
            for (String server : bootstrapServers.split(",")) {
                if (!SERVER.matcher(server.trim()).matches()) {
                    problems.add("cluster.kafka.bootstrap-servers: '" + server.trim() + "' is not host:port / n'est pas hôte:port");
                }
            }
        }
        if (topic == null || !TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            problems.add("cluster.kafka.topic: '" + topic + "' is not a Kafka topic name (letters, digits, . _ -)"
                    + " / n'est pas un nom de topic Kafka");
        }
        if (partitions < 1 || partitions > 10_000) {
            problems.add("cluster.kafka.partitions: " + partitions + " is not between 1 and 10000 / n'est pas entre 1 et 10000");
        }
        for (String key : security.keySet()) {
            if (!SECURITY_KEYS.matcher(key).matches()) {
                problems.add("cluster.kafka.client." + key + ": only security.protocol, ssl.* and sasl.* may be set"
                        + " / seuls security.protocol, ssl.* et sasl.* sont permis");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** Settings with the default topic and partitions and no security (plain text). */
    public static KafkaSettings plain(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, DEFAULT_TOPIC, DEFAULT_PARTITIONS, Map.of());
    }

    /** The same settings on another topic (tests isolate themselves so). */
    public KafkaSettings withTopic(String other, int otherPartitions) {
        return new KafkaSettings(bootstrapServers, other, otherPartitions, security);
    }

    /** The properties every client of ours starts from: servers and security. */
    Properties clientProperties(String clientId) {
        Properties p = new Properties();
        p.putAll(security);
        p.put("bootstrap.servers", bootstrapServers);
        p.put("client.id", clientId);
        return p;
    }

    /** For the effective-configuration log: secrets masked. */
    public String describe() {
        Map<String, String> shown = new TreeMap<>();
        security.forEach((k, v) -> shown.put(k, SECRET_WORDS.stream().anyMatch(k::contains) ? "****" : v));
        return "bootstrap-servers: " + bootstrapServers + ", topic: " + topic + ", partitions: " + partitions
                + (shown.isEmpty() ? "" : ", client: " + shown);
    }

    @Override
    public String toString() {
        return "KafkaSettings[" + describe() + "]";
    }
}
