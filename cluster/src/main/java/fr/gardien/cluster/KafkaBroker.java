package fr.gardien.cluster;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Apache Kafka (KRaft, broker and controller in one process, no ZooKeeper), for
 * trying cluster mode on one machine ({@code ./gardien kafka}) and for the tests. Its log
 * directory is formatted on first start and reused afterwards, so a restart on the same
 * directory and port finds every record again. Not a production cluster: one replica, so a pack
 * is as durable as this one disk.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);
    private static final int NODE_ID = 1;

    private final KafkaRaftServer server;
    private final String host;
    private final int port;

    private KafkaBroker(KafkaRaftServer server, String host, int port) {
        this.server = server;
        this.host = host;
        this.port = port;
    }

    /**
     * Starts a broker; blocking (a few seconds).
     *
     * @param dataDir its log directory, formatted when it holds no {@code meta.properties}
     * @param port the client port; 0 picks a free one
     */
    public static KafkaBroker start(Path dataDir, String host, int port) {
        int clientPort = port == 0 ? freePort(host) : port;
        int controllerPort = freePort("127.0.0.1");
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + host + ":" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + clientPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dataDir.toAbsolutePath().toString());
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // A short-lived trial broker: small segments, and no day-long fsync assumptions.
        p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
        KafkaConfig config = KafkaConfig.fromProps(p);
        try {
            Files.createDirectories(dataDir);
            if (!Files.exists(dataDir.resolve("meta.properties"))) {
                format(config, dataDir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Kafka log directory " + dataDir, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the Kafka log directory " + dataDir + ": " + e.getMessage(), e);
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        log.info("Kafka broker started [bootstrap: {}:{}, data: {}]", host, clientPort, dataDir.toAbsolutePath());
        return new KafkaBroker(server, host, clientPort);
    }

    private static void format(KafkaConfig config, Path dataDir) throws Exception {
        String dir = dataDir.toAbsolutePath().toString();
        new Formatter()
                .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                .setClusterId(Uuid.randomUuid().toString())
                .setNodeId(NODE_ID)
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(dir)
                .setDirectories(java.util.Set.of(dir))
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .run();
    }

    /** {@code host:port}, for {@code cluster.kafka.bootstrap-servers}. */
    public String bootstrapServers() {
        return host + ":" + port;
    }

    public int port() {
        return port;
    }

    /** Stops the broker and waits for it; blocking. */
    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        log.info("Kafka broker stopped [port: {}]", port);
    }

    private static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + host, e);
        }
    }
}
