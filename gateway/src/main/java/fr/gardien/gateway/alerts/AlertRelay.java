package fr.gardien.gateway.alerts;

import fr.gardien.storage.alerts.AlertEvent;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live alert streams across processes (issue 13). Each process tells the others the ids of the
 * transitions it committed ({@link #committedHere}); a process told of ids reads those
 * transitions back from the database and publishes them on its own event bus
 * ({@link AlertService#ADDRESS}), marked {@link #RELAYED}, where its {@link AlertStream}s take
 * them exactly as they take their own process's: each stream keeps only the sites of its token.
 * Only ids travel between processes, never an alert's content.
 */
public final class AlertRelay {

    /** Event bus header of a message relayed from another process: not to be sent back out. */
    public static final String RELAYED = "gardien-relayed";
    /** Transitions read back per query. */
    static final int PAGE = 500;
    private static final Logger log = LoggerFactory.getLogger(AlertRelay.class);
    private static final DeliveryOptions MARKED = new DeliveryOptions().addHeader(RELAYED, "true");

    private final Vertx vertx;
    private final AlertService alerts;
    private final ConcurrentLinkedQueue<Long> told = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean reading = new AtomicBoolean();

    public AlertRelay(Vertx vertx, AlertService alerts) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.alerts = Objects.requireNonNull(alerts, "alerts");
    }

    /**
     * Hands {@code sink} the id of each transition this process commits (not those it relays).
     *
     * @return the consumer, to unregister
     */
    public static MessageConsumer<JsonObject> committedHere(Vertx vertx, Consumer<Long> sink) {
        return vertx.eventBus().localConsumer(AlertService.ADDRESS, message -> {
            if (!relayed(message)) {
                sink.accept(message.body().getJsonObject("transition").getLong("id"));
            }
        });
    }

    /** Whether an event bus message came from another process. */
    public static boolean relayed(Message<?> message) {
        return message.headers().contains(RELAYED);
    }

    /** Publishes {@code body} on this process's event bus, marked as relayed. */
    public static void publishRelayed(Vertx vertx, String address, Object body) {
        vertx.eventBus().publish(address, body, MARKED);
    }

    /**
     * Reads the transitions of these ids (committed by another process) and publishes them here,
     * in id order; one read at a time, what arrives meanwhile is read next. Callable from any thread.
     */
    public void relay(Collection<Long> ids) {
        told.addAll(ids);
        readNext();
    }

    private void readNext() {
        if (told.isEmpty() || !reading.compareAndSet(false, true)) {
            return;
        }
        TreeSet<Long> ids = new TreeSet<>();
        for (Long id = told.poll(); id != null; id = told.poll()) {
            ids.add(id);
        }
        long first = ids.first();
        int span = (int) Math.min(PAGE, ids.last() - first + 1);
        alerts.eventsAfter(first - 1, null, span).onComplete(ar -> {
            if (ar.failed()) {
                // Streams miss these live; a client resuming with Last-Event-ID gets them from the table.
                log.warn("alert transitions of another process not relayed [count: {}, cause: {}]", ids.size(),
                        ar.cause().toString());
            } else {
                List<AlertEvent> events = ar.result();
                for (AlertEvent e : events) {
                    if (ids.remove(e.transition().id())) {
                        publishRelayed(vertx, AlertService.ADDRESS, AlertJson.event(e));
                    }
                }
                if (events.size() == span && !ids.isEmpty()) {
                    told.addAll(ids.tailSet(events.get(events.size() - 1).transition().id(), false));
                }
            }
            reading.set(false);
            readNext();
        });
    }
}
