package fr.gardien.gateway.ops;

import fr.gardien.gateway.alerts.AlertMetrics;
import fr.gardien.gateway.ingest.IngestMetrics;
import fr.gardien.gateway.rules.RulesMetrics;
import fr.gardien.gateway.ticketing.DeliveryMetrics;
import fr.gardien.storage.write.WriterMetrics;
import fr.gardien.gateway.access.AuditMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Micrometer with the Prometheus registry, served at {@code /metrics}. Implements the metrics
 * interfaces of ingestion, of the storage writer and of the alert lifecycle; meters are looked up once per tag set and
 * cached, so the hot path costs a map read and an add.
 */
public final class GatewayMetrics implements IngestMetrics, fr.gardien.gateway.auth.AuthBrake.Metrics, WriterMetrics, AlertMetrics, AutoCloseable, RulesMetrics,
        DeliveryMetrics, AuditMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    /** Counters with two tags: by name, first tag value, second tag value. */
    private final Map<String, Map<String, Map<String, Counter>>> tagged = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();
    private final DistributionSummary batchReadings;
    private final DistributionSummary batchMessages;
    private final Timer commitLatency;
    private final Counter failedTransactions;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

    public GatewayMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        batchReadings = DistributionSummary.builder("gardien.writer.batch.readings")
                .description("Readings per committed transaction (group commit)")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        batchMessages = DistributionSummary.builder("gardien.writer.batch.messages")
                .description("Messages (packs, requests) grouped in one committed transaction")
                .register(registry);
        commitLatency = Timer.builder("gardien.writer.commit")
                .description("Time to COPY and commit one transaction")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        failedTransactions = Counter.builder("gardien.writer.failed")
                .description("Transactions rolled back; their messages were not acknowledged")
                .register(registry);
    }

    /** The text served at {@code /metrics}. */
    public String scrape() {
        return registry.scrape();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Exposes a value sampled at each scrape, such as the writer's queue depth. */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).strongReference(true).register(registry);
    }

    @Override
    public void readings(String protocol, String outcome, int count) {
        counter("gardien.ingest.readings", "protocol", protocol, "outcome", outcome).increment(count);
    }

    @Override
    public void rejected(String protocol, String reason) {
        counter("gardien.ingest.rejected", "protocol", protocol, "reason", reason).increment();
    }

    @Override
    public void messages(String protocol, String outcome) {
        counter("gardien.ingest.messages", "protocol", protocol, "outcome", outcome).increment();
    }

    @Override
    public void authFailure(String protocol, String outcome) {
        counter("gardien.auth.failures", "protocol", protocol, "outcome", outcome).increment();
    }

    @Override
    public void evaluated(int readings) {
        counter("gardien.rules.readings", "outcome", "evaluated").increment(readings);
    }

    @Override
    public void notEvaluated(int readings) {
        counter("gardien.rules.readings", "outcome", "not-evaluated").increment(readings);
    }

    @Override
    public void signal(String kind) {
        counter("gardien.rules.signals", "kind", kind).increment();
    }

    @Override
    public void connectionOpened(String protocol) {
        connectionCount(protocol).incrementAndGet();
    }

    @Override
    public void connectionClosed(String protocol) {
        connectionCount(protocol).decrementAndGet();
    }

    @Override
    public void committed(int batches, int readings, long commitNanos) {
        batchReadings.record(readings);
        batchMessages.record(batches);
        commitLatency.record(commitNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void failed(int batches, int readings, Throwable cause) {
        failedTransactions.increment();
    }

    /**
     * A rollup pass wrote {@code hours} hour rows, {@code refolded} of them folded again from their
     * raw readings (late data, a reading stored twice) and the rest appended to.
     */
    public void rollupPass(int hours, int refolded) {
        counter("gardien.rollup.hours", "how", "appended").increment(hours - refolded);
        counter("gardien.rollup.hours", "how", "refolded").increment(refolded);
    }

    @Override
    public void transition(String kind) {
        Counter counter = counters.get("gardien.alerts.transitions|" + kind);
        if (counter == null) {
            counter = counters.computeIfAbsent("gardien.alerts.transitions|" + kind, k -> Counter.builder("gardien.alerts.transitions")
                    .description("Committed alert transitions").tag("kind", kind).register(registry));
        }
        counter.increment();
    }

    @Override
    public void delivery(String connector, String outcome) {
        String key = "gardien.ticketing.deliveries|" + connector + "|" + outcome;
        Counter counter = counters.get(key);
        if (counter == null) {
            counter = counters.computeIfAbsent(key, k -> Counter.builder("gardien.ticketing.deliveries")
                    .description("Recorded ticket delivery tries").tag("connector", connector).tag("outcome", outcome)
                    .register(registry));
        }
        counter.increment();
    }

    @Override
    public void written(int entries) {
        counter("gardien.audit.entries", "outcome", "written").increment(entries);
    }

    @Override
    public void dropped() {
        counter("gardien.audit.entries", "outcome", "dropped").increment();
    }

    @Override
    public void refused() {
        counter("gardien.audit.requests.refused", "reason", "queue-full").increment();
    }

    private AtomicInteger connectionCount(String protocol) {
        return connections.computeIfAbsent(protocol, p -> {
            AtomicInteger count = new AtomicInteger();
            Gauge.builder("gardien.connections", count, AtomicInteger::get)
                    .description("Open device connections")
                    .tag("protocol", p)
                    .register(registry);
            return count;
        });
    }

    private Counter counter(String name, String tag, String value) {
        String key = name + '|' + value;
        Counter counter = counters.get(key);
        if (counter == null) {
            counter = counters.computeIfAbsent(key, k -> Counter.builder(name).tags(tag, value).register(registry));
        }
        return counter;
    }

    private Counter counter(String name, String tag1, String value1, String tag2, String value2) {
        // On the ingest path for every message: looked up by the tag values themselves (constants,
        // whose hashes are cached), with no key string built per call.
        Map<String, Map<String, Counter>> byFirst = tagged.get(name);
        if (byFirst == null) {
            byFirst = tagged.computeIfAbsent(name, n -> new ConcurrentHashMap<>());
        }
        Map<String, Counter> bySecond = byFirst.get(value1);
        if (bySecond == null) {
            bySecond = byFirst.computeIfAbsent(value1, v -> new ConcurrentHashMap<>());
        }
        Counter counter = bySecond.get(value2);
        if (counter == null) {
            counter = bySecond.computeIfAbsent(value2, v -> Counter.builder(name).tags(tag1, value1, tag2, value2).register(registry));
        }
        return counter;
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
