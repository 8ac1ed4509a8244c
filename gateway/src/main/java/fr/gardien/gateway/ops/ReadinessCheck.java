package fr.gardien.gateway.ops;

import fr.gardien.cluster.PackConsumer;
import fr.gardien.cluster.PackProducer;
import fr.gardien.storage.write.BatchWriter;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;

/**
 * One part of {@code /health/ready} besides the database: what the process's role depends on to
 * take work. Checked on the event loop: {@link #up} and {@link #state} read counters, never block.
 */
public interface ReadinessCheck {

    /** The key of this check in the readiness answer. */
    String name();

    boolean up();

    /** The status shown when not up ({@code DOWN}, {@code LAGGING}). */
    default String downStatus() {
        return "DOWN";
    }

    /** What an operator needs to judge it (a fresh object, the status is added to it). */
    JsonObject state();

    /** The writer keeps up: its oldest queued batch is younger than {@code health.max-writer-lag}. */
    static ReadinessCheck writer(BatchWriter writer, Duration maxLag) {
        return new ReadinessCheck() {
            @Override
            public String name() {
                return "writer";
            }

            @Override
            public boolean up() {
                return writer.oldestQueuedAge().compareTo(maxLag) <= 0;
            }

            @Override
            public String downStatus() {
                return "LAGGING";
            }

            @Override
            public JsonObject state() {
                return new JsonObject().put("oldestQueuedMillis", writer.oldestQueuedAge().toMillis())
                        .put("queuedReadings", writer.queuedRows()).put("capacityReadings", writer.capacityRows());
            }
        };
    }

    /** An edge's Kafka answers: while it does not, the edge acknowledges nothing and a balancer should send devices elsewhere. */
    static ReadinessCheck kafka(PackProducer producer) {
        return new ReadinessCheck() {
            @Override
            public String name() {
                return "kafka";
            }

            @Override
            public boolean up() {
                return producer.available();
            }

            @Override
            public JsonObject state() {
                return new JsonObject().put("unacknowledgedReadings", producer.queuedRows())
                        .put("capacityReadings", producer.capacityRows());
            }
        };
    }

    /** A worker's consumer runs; its partitions and their lag (records not stored yet). */
    static ReadinessCheck partitions(PackConsumer worker) {
        return new ReadinessCheck() {
            @Override
            public String name() {
                return "partitions";
            }

            @Override
            public boolean up() {
                return worker.running();
            }

            @Override
            public JsonObject state() {
                JsonObject lag = new JsonObject();
                long total = 0;
                for (Map.Entry<Integer, Long> e : new java.util.TreeMap<>(worker.lag()).entrySet()) {
                    lag.put(Integer.toString(e.getKey()), e.getValue());
                    total += e.getValue();
                }
                return new JsonObject().put("held", new io.vertx.core.json.JsonArray(java.util.List.copyOf(worker.partitions())))
                        .put("lagRecords", lag).put("totalLagRecords", total);
            }
        };
    }
}
