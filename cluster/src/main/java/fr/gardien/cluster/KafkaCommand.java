package fr.gardien.cluster;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./gardien kafka [--port P] [--data DIR] [--host H]}: a single-node Kafka broker for
 * trying cluster mode (defaults: port 9092, data in {@code ./data/kafka}, host localhost). Runs
 * until interrupted (Ctrl-C), then shuts the broker down cleanly.
 */
public final class KafkaCommand {

    private KafkaCommand() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = 9092;
        Path data = Path.of("data", "kafka");
        String host = "localhost";
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                System.out.println("usage: gardien kafka [--port P (9092)] [--data DIR (data/kafka)] [--host H (localhost)]");
                System.out.println("  a single-node Kafka broker (KRaft) for trying cluster mode on one machine"
                        + " / un broker Kafka mono-nœud pour essayer le mode cluster");
                return;
            }
            if (i + 1 >= args.length) {
                fail(arg + " needs a value / attend une valeur");
            }
            String value = args[++i];
            switch (arg) {
                case "--port" -> {
                    try {
                        port = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        port = -1;
                    }
                    if (port < 0 || port > 65535) {
                        fail("--port: '" + value + "' is not a port / n'est pas un port");
                    }
                }
                case "--data" -> data = Path.of(value);
                case "--host" -> host = value;
                default -> fail("unknown option / option inconnue: " + arg);
            }
        }
        KafkaBroker broker = KafkaBroker.start(data, host, port);
        System.out.println("Kafka broker ready / prêt: cluster.kafka.bootstrap-servers: " + broker.bootstrapServers());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "gardien-kafka-stop"));
        stopped.await();
    }

    private static void fail(String message) {
        System.err.println("gardien kafka: " + message);
        System.exit(2);
    }
}
