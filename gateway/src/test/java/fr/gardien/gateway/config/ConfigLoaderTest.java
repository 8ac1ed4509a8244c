package fr.gardien.gateway.config;

import fr.gardien.rules.yaml.YamlNode;
import fr.gardien.storage.write.WriterConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path write(String name, String yaml) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        return file;
    }

    private static ConfigException failure(Path file, Map<String, String> env) {
        try {
            ConfigLoader.load(file, env);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected a ConfigException");
    }

    /** Without a file every key has its documented default and is described as such. */
    @Test
    void noFileGivesTheDocumentedDefaults() {
        GardienConfig c = ConfigLoader.load(null, Map.of());

        assertThat(c.db()).isEqualTo(new DbConfig("", "", "", 8));
        assertThat(c.db().embedded()).isTrue();
        assertThat(c.data().dir()).isEqualTo(Path.of("data").toAbsolutePath());
        assertThat(c.http()).isEqualTo(new HttpConfig("0.0.0.0", 8080));
        assertThat(c.mqtt()).isEqualTo(new MqttConfig("0.0.0.0", 1883, 64));
        assertThat(c.coap()).isEqualTo(new CoapConfig("0.0.0.0", 5683, 5684, false));
        assertThat(c.portfolio()).isEmpty();
        assertThat(c.rules()).isEmpty();
        assertThat(c.ingest()).isEqualTo(new IngestConfig(262_144, 1000, 256, Duration.ofMinutes(10)));
        assertThat(c.writer()).isEqualTo(new WriterConfig(5000, Duration.ofMillis(25), 200_000, 2));
        assertThat(c.storage()).isEqualTo(new StorageConfig(Duration.ofDays(400), Duration.ofDays(1), 3, Duration.ofDays(30)));
        assertThat(c.health()).isEqualTo(new HealthConfig(Duration.ofSeconds(5)));
        assertThat(c.audit()).isEqualTo(new AuditConfig(Duration.ofDays(400), 10_000));
        assertThat(c.api()).isEqualTo(new ApiConfig(5));
        assertThat(c.rollup()).isEqualTo(new RollupConfig(Duration.ofSeconds(5)));
        assertThat(c.ticketing()).isEmpty();
        assertThat(c.file()).isEmpty();
        assertThat(c.describe().lines())
            .hasSize(ConfigKey.values().length)
            .allMatch(l -> l.endsWith("(default)"))
            .contains("http.port = 8080 (default)", "storage.retention = 400d (default)",
                "writer.batch-max-delay = 25ms (default)", "writer.batch-gap = 2ms (default)", "api.occupancy-min-count = 5 (default)",
                "rollup.interval = 5s (default)");
    }

    /** Nested and dotted keys mean the same; relative paths resolve against the file's folder. */
    @Test
    void fileAcceptsNestedAndDottedKeys() throws IOException {
        Files.createDirectories(dir.resolve("conf/rules.d"));
        Files.writeString(dir.resolve("conf/portfolio.yaml"), "sites: []\n");
        Path file = write("conf/gardien.yaml", String.join("\n",
            "db:",
            "  url: jdbc:postgresql://db:5432/gardien",
            "  pool-size: 4",
            "http.port: 9090",
            "mqtt:",
            "  max-pending-per-connection: 10",
            "coap.dtls-port: 0",
            "portfolio: portfolio.yaml",
            "rules: ./rules.d",
            "writer:",
            "  batch-max-delay: 25ms",
            "ticketing:",
            "  default: heating-contractor",
            ""));

        GardienConfig c = ConfigLoader.load(file, Map.of());

        assertThat(c.db().url()).isEqualTo("jdbc:postgresql://db:5432/gardien");
        assertThat(c.db().poolSize()).isEqualTo(4);
        assertThat(c.http().port()).isEqualTo(9090);
        assertThat(c.mqtt().maxPendingPerConnection()).isEqualTo(10);
        assertThat(c.coap().dtlsPort()).isZero();
        assertThat(c.portfolio()).contains(dir.resolve("conf/portfolio.yaml").toAbsolutePath());
        assertThat(c.rules()).contains(dir.resolve("conf/rules.d").toAbsolutePath());
        assertThat(c.writer().batchMaxDelay()).isEqualTo(Duration.ofMillis(25));
        assertThat(c.ticketing()).get().isInstanceOf(YamlNode.Mapping.class);
        assertThat(c.file()).contains(file);
        assertThat(c.describe().lines()).contains(
            "db.pool-size = 4 (file:3)", "http.port = 9090 (file:4)", "coap.dtls-port = 0 (file:7)",
            "mqtt.port = 1883 (default)", "ticketing = <section> (file:12)");
    }

    /** An environment variable wins over the file and is described as coming from env. */
    @Test
    void environmentOverridesTheFile() throws IOException {
        Files.writeString(dir.resolve("p.yaml"), "sites: []\n");
        Path file = write("gardien.yaml", "http:\n  port: 9090\ncoap.dtls-port: 6000\n");
        Map<String, String> env = Map.of(
            "GARDIEN_HTTP_PORT", "7070",
            "GARDIEN_COAP_DTLS_PORT", "7071",
            "GARDIEN_STORAGE_PARTITIONS_AHEAD", "5",
            "GARDIEN_PORTFOLIO", dir.resolve("p.yaml").toString(),
            "GARDIEN_TEST_DB_URL", "jdbc:postgresql://ignored/db",
            "PATH", "/usr/bin");

        GardienConfig c = ConfigLoader.load(file, env);

        assertThat(c.http().port()).isEqualTo(7070);
        assertThat(c.coap().dtlsPort()).isEqualTo(7071);
        assertThat(c.storage().partitionsAhead()).isEqualTo(5);
        assertThat(c.portfolio()).contains(dir.resolve("p.yaml"));
        assertThat(c.db().url()).isEmpty();
        assertThat(c.describe().lines()).contains("http.port = 7070 (env)", "coap.dtls-port = 7071 (env)",
            "storage.partitions-ahead = 5 (env)", "db.url =  (default)");
    }

    /** Every problem of a file is reported in one exception, each with its line and key. */
    @Test
    void reportsEveryErrorAtOnceWithItsLine() throws IOException {
        Path file = write("config.yaml", String.join("\n",
            "db:",
            "  pool-size: 0",
            "htp.port: 80",
            "http:",
            "  port: abc",
            "mqtt.port: 70000",
            "portfolio: /x/y.yaml",
            "ingest:",
            "  max-future: soon",
            "writer: 3",
            "http.port: 81",
            ""));

        ConfigException e = failure(file, Map.of("GARDIEN_COAP_PORT", "-1"));

        assertThat(e.errors()).containsExactly(
            file + ":2: db.pool-size: expected an integer from 1 to 1000, got \"0\"",
            file + ":3: unknown key \"htp.port\" (did you mean \"http.port\"?)",
            file + ":5: http.port: expected an integer from 0 to 65535, got \"abc\"",
            file + ":6: mqtt.port: expected an integer from 0 to 65535, got \"70000\"",
            file + ":7: portfolio: file not found: /x/y.yaml",
            file + ":9: ingest.max-future: expected a duration from 0ms to 365d (such as 10ms, 5s, 10m, 1h, 400d"
                + " or PT10M), got \"soon\"",
            file + ":10: writer: expected a section of keys such as writer.batch-max-rows, got \"3\"",
            file + ":11: http.port: set twice (first at line 5)",
            "GARDIEN_COAP_PORT: expected an integer from 0 to 65535, got \"-1\"");
        assertThat(e.getMessage()).isEqualTo(String.join("\n", e.errors()));
    }

    /** The plain CoAP switch takes true or false only, and its bind address comes with it. */
    @Test
    void plainCoapSwitchIsABoolean() throws IOException {
        Path file = write("coap.yaml", "coap:\n  host: 127.0.0.1\n  plain-enabled: true\n");
        assertThat(ConfigLoader.load(file, Map.of()).coap()).isEqualTo(new CoapConfig("127.0.0.1", 5683, 5684, true));

        Path bad = write("bad-coap.yaml", "coap.plain-enabled: yes please\n");
        assertThat(failure(bad, Map.of()).errors())
            .containsExactly(bad + ":1: coap.plain-enabled: expected true or false, got \"yes please\"");
    }

    /**
     * The role defaults to all without Kafka; edge and worker need bootstrap servers; a wrong role
     * or server is named in both languages; the SASL secret is masked (issue 13).
     */
    @Test
    void clusterRoleAndKafkaAreChecked() throws IOException {
        assertThat(ConfigLoader.load(null, Map.of()).cluster()).isEqualTo(ClusterConfig.SINGLE);
        Path edge = write("edge.yaml", "cluster:\n  role: edge\n  kafka:\n    bootstrap-servers: k1:9092,k2:9092\n"
            + "    sasl-jaas-config: secret-jaas\n");
        GardienConfig config = ConfigLoader.load(edge, Map.of());
        assertThat(config.cluster().role()).isEqualTo(ClusterConfig.Role.EDGE);
        assertThat(config.cluster().kafka().topic()).isEqualTo("gardien.readings");
        assertThat(config.cluster().kafka().partitions()).isEqualTo(24);
        assertThat(config.cluster().security()).containsEntry("sasl.jaas.config", "secret-jaas");
        assertThat(config.describe()).contains("cluster.kafka.sasl-jaas-config = ****").doesNotContain("secret-jaas");

        Path noServers = write("worker.yaml", "cluster.role: worker\n");
        assertThat(failure(noServers, Map.of()).errors()).containsExactly(noServers
            + ":1: cluster.role: worker needs cluster.kafka.bootstrap-servers (host:port,...) / worker exige"
            + " cluster.kafka.bootstrap-servers");
        Path badRole = write("role.yaml", "cluster.role: both\n");
        assertThat(failure(badRole, Map.of()).errors()).containsExactly(badRole
            + ":1: cluster.role: expected all, edge or worker / attendu all, edge ou worker, got \"both\"");
        assertThat(failure(null, Map.of("GARDIEN_CLUSTER_ROLE", "edge", "GARDIEN_CLUSTER_KAFKA_BOOTSTRAP_SERVERS", "kafka"))
            .errors()).singleElement().asString().contains("'kafka' is not host:port").contains("n'est pas hôte:port");
    }

    /** Keys that check each other are reported against the key the file sets. */
    @Test
    void reportsCrossKeyErrorsAgainstTheirLine() throws IOException {
        Path file = write("config.yaml", "writer:\n  batch-max-rows: 100\n  queue-capacity: 50\nstorage.retention: 2h\n");

        assertThat(failure(file, Map.of()).errors()).containsExactly(
            file + ":3: writer.queue-capacity: must be at least writer.batch-max-rows (100), got 50",
            file + ":4: storage.retention: must be at least storage.partition-interval (1d), got 2h");
    }

    /** A queue smaller than one pack, or a pool too small for the writer threads, is refused at start. */
    @Test
    void reportsCrossSectionErrors() throws IOException {
        Path file = write("config.yaml", "db.pool-size: 3\nwriter:\n  batch-max-rows: 100\n  queue-capacity: 500\n");

        assertThat(failure(file, Map.of()).errors()).containsExactly(
            file + ":1: db.pool-size: must be at least writer.threads + 2 (4), got 3",
            file + ":4: writer.queue-capacity: must be at least ingest.max-records-per-pack (1000), got 500");
    }

    /** A value that is not a scalar, a duplicate YAML key and a non-mapping root are errors too. */
    @Test
    void reportsStructuralErrors() throws IOException {
        Path file = write("config.yaml", "http:\n  port: [1, 2]\n  port: 3\n");
        assertThat(failure(file, Map.of()).errors()).containsExactly(
            file + ":2: http.port: expected a single value, got a list",
            file + ":3: duplicate key \"port\" (first at line 2)");

        Path list = write("list.yaml", "- a\n- b\n");
        assertThat(failure(list, Map.of()).errors()).containsExactly(
            list + ":1: expected a mapping of configuration keys, got a list");
    }

    /** A YAML syntax error is one error naming the file and line. */
    @Test
    void badYamlSyntaxNamesFileAndLine() throws IOException {
        Path file = write("config.yaml", "http:\n  port: 8080\n mqtt: [1883\ncoap: 1\n");

        ConfigException e = failure(file, Map.of());

        assertThat(e.errors()).hasSize(1);
        assertThat(e.errors().get(0)).isEqualTo(file + ":3: invalid YAML: expected <block end>, but found"
            + " '<block mapping start>' (while parsing a block mapping started at line 1)");
    }

    /** A missing file is one clear error naming it. */
    @Test
    void missingFileIsOneError() {
        Path file = dir.resolve("nope.yaml");
        assertThat(failure(file, Map.of()).errors()).containsExactly(file + ": file not found");
    }

    /** An empty file means defaults. */
    @Test
    void emptyFileGivesDefaults() throws IOException {
        assertThat(ConfigLoader.load(write("empty.yaml", "# nothing\n"), Map.of()).http().port()).isEqualTo(8080);
    }

    /** Durations accept the short syntax and ISO-8601, from the file and the environment. */
    @Test
    void durationsInBothSyntaxes() throws IOException {
        Path file = write("config.yaml", String.join("\n",
            "ingest.max-future: PT10M",
            "writer.batch-max-delay: 250ms",
            "storage:",
            "  retention: P30D",
            "  partition-interval: 6h",
            "health.max-writer-lag: 2s",
            ""));

        GardienConfig c = ConfigLoader.load(file, Map.of("GARDIEN_HEALTH_MAX_WRITER_LAG", "pt1m30s"));

        assertThat(c.ingest().maxFuture()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.writer().batchMaxDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.storage().retention()).isEqualTo(Duration.ofDays(30));
        assertThat(c.storage().partitionInterval()).isEqualTo(Duration.ofHours(6));
        assertThat(c.health().maxWriterLag()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.describe().lines()).contains("ingest.max-future = 10m (file:1)",
            "storage.retention = 30d (file:4)", "health.max-writer-lag = 90s (env)");
    }

    /** A duration without a unit, negative or out of range is refused. */
    @Test
    void refusesDurationsWithoutUnitOrOutOfRange() {
        ConfigException e = failure(null, Map.of(
            "GARDIEN_INGEST_MAX_FUTURE", "10",
            "GARDIEN_WRITER_BATCH_MAX_DELAY", "-PT1S",
            "GARDIEN_HEALTH_MAX_WRITER_LAG", "2d"));

        assertThat(e.errors()).hasSize(3).allMatch(m -> m.contains("expected a duration"));
        assertThat(e.errors()).anyMatch(m -> m.startsWith("GARDIEN_INGEST_MAX_FUTURE:") && m.endsWith("got \"10\""));
    }

    /** describe() never shows db.password nor a password inside db.url. */
    @Test
    void describeMasksSecrets() throws IOException {
        Path file = write("config.yaml", String.join("\n",
            "db:",
            "  url: jdbc:postgresql://db:5432/gardien?user=gardien&password=s3cr3t-url&ssl=true",
            "  user: gardien",
            "  password: hunter2-pw",
            ""));

        GardienConfig c = ConfigLoader.load(file, Map.of());
        String described = c.describe();

        assertThat(described).doesNotContain("s3cr3t-url").doesNotContain("hunter2-pw");
        assertThat(described.lines()).contains(
            "db.url = jdbc:postgresql://db:5432/gardien?user=gardien&password=****&ssl=true (file:2)",
            "db.password = **** (file:4)", "db.user = gardien (file:3)");
        assertThat(c.toString()).doesNotContain("s3cr3t-url").doesNotContain("hunter2-pw");

        GardienConfig userInfo = ConfigLoader.load(null,
            Map.of("GARDIEN_DB_URL", "jdbc:postgresql://gardien:pa55word@db/gardien"));
        assertThat(userInfo.describe().lines()).contains("db.url = jdbc:postgresql://gardien:****@db/gardien (env)");
    }

    /** An invalid db.url is reported without echoing the password it may hold. */
    @Test
    void invalidUrlErrorIsMasked() {
        ConfigException e = failure(null, Map.of("GARDIEN_DB_URL", "postgres://u:topsecret@db/x"));
        assertThat(e.getMessage()).contains("GARDIEN_DB_URL: expected a JDBC URL").doesNotContain("topsecret");
    }

    /** The records check their ranges when built in code, too. */
    @Test
    void recordsValidateInTheirConstructors() {
        assertThatThrownBy(() -> new HttpConfig("0.0.0.0", 65_536))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http.port");
        assertThatThrownBy(() -> new WriterConfig(10, Duration.ZERO, 5, 1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("writer.queue-capacity");
        assertThatThrownBy(() -> new ApiConfig(0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("api.occupancy-min-count");
        assertThat(new GardienConfig(new DbConfig("", "", "", 1), new DataConfig(Path.of("d")), new HttpConfig("h", 0),
            new MqttConfig("h", 0, 1), new CoapConfig("h", 0, 0, false), Optional.empty(), Optional.empty(),
            new IngestConfig(1, 1, 1, Duration.ZERO), new WriterConfig(1, Duration.ZERO, 1, 1),
            new StorageConfig(Duration.ofDays(1), Duration.ofDays(1), 0, Duration.ofDays(1)), new HealthConfig(Duration.ofSeconds(1)),
            new RuleEngineConfig(Duration.ofMinutes(5), 1000), new AuditConfig(Duration.ofDays(400), 10_000),
            new ApiConfig(5), new RollupConfig(Duration.ofSeconds(5)), AuthConfig.defaults(), ClusterConfig.SINGLE,
            Optional.empty(), Optional.empty(), Map.of()).describe()).contains("http.port = 0 (default)");
        assertThatThrownBy(() -> new AuditConfig(Duration.ofHours(1), 10_000))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("audit.retention");
    }
}
