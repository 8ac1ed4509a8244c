package fr.gardien.storage.alerts;

import static fr.gardien.storage.alerts.AlertStoreIT.T;
import static fr.gardien.storage.alerts.AlertStoreIT.cleared;
import static fr.gardien.storage.alerts.AlertStoreIT.raised;
import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.storage.db.Database;
import fr.gardien.storage.testing.Fixtures;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Alert transitions and rule checkpoints of a cluster worker (issue 13), fenced by the lease of
 * the partition of their site in {@code partition_lease}.
 */
@Timeout(60)
class FencedAlertsIT {

    private static final String TOPIC = "gardien.readings";

    private Database db;
    private AlertStore store;
    private RuleStateStore states;

    @BeforeEach
    void open() {
        db = Fixtures.freshDatabase();
        store = new AlertStore(db.dataSource());
        states = new RuleStateStore(db.dataSource());
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** Another worker took the partition over (its epoch raised, as a takeover does). */
    private void leaseTakenWithEpoch(long epoch) {
        Fixtures.execute(db.dataSource(), "INSERT INTO partition_lease (topic, partition, epoch, holder) VALUES ('" + TOPIC
                + "', 3, " + epoch + ", 'worker') ON CONFLICT (topic, partition) DO UPDATE SET epoch = EXCLUDED.epoch");
    }

    private long transitions() {
        return Fixtures.queryLong(db.dataSource(), "SELECT count(*) FROM alert_transitions");
    }

    /** A worker whose lease epoch is no longer the partition's writes no transition; the holder does. */
    @Test
    void aTransitionCommitsOnlyUnderTheCurrentEpoch() {
        LeaseFence first = new LeaseFence(TOPIC, 3, 1);
        LeaseFence second = new LeaseFence(TOPIC, 3, 2);
        assertThat(store.apply(raised(T), first).kind()).as("no lease at all").isEqualTo(AlertChange.Kind.FENCED);
        leaseTakenWithEpoch(1);
        AlertChange opened = store.apply(raised(T), first);
        assertThat(opened.kind()).isEqualTo(AlertChange.Kind.OPENED);

        leaseTakenWithEpoch(2);
        AlertChange stale = store.apply(cleared(T.plusSeconds(900)), first);
        assertThat(stale.kind()).isEqualTo(AlertChange.Kind.FENCED);
        assertThat(stale.transitioned()).isFalse();
        assertThat(store.get(opened.alert().id()).orElseThrow().state()).isEqualTo(Alert.State.OPEN);
        assertThat(transitions()).isEqualTo(1);
        assertThat(Fixtures.queryLong(db.dataSource(), "SELECT count(*) FROM outbox")).isEqualTo(1);

        assertThat(store.apply(cleared(T.plusSeconds(900)), second).kind()).isEqualTo(AlertChange.Kind.RESOLVED);
    }

    /**
     * Signals replayed by a worker that took the partition over (raise, clear, reopening) repeat
     * no transition; the first signal after them does its usual work.
     */
    @Test
    void aReplayRepeatsNoTransition() {
        leaseTakenWithEpoch(1);
        LeaseFence fence = new LeaseFence(TOPIC, 3, 1);
        Instant raisedAt = T;
        Instant clearedAt = T.plusSeconds(600);
        Instant reopenedAt = T.plusSeconds(1200);
        assertThat(store.apply(raised(raisedAt), fence).kind()).isEqualTo(AlertChange.Kind.OPENED);
        assertThat(store.apply(cleared(clearedAt), fence).kind()).isEqualTo(AlertChange.Kind.RESOLVED);
        AlertChange reopened = store.apply(raised(reopenedAt), fence);
        assertThat(reopened.kind()).isEqualTo(AlertChange.Kind.REOPENED);
        assertThat(transitions()).isEqualTo(3);

        leaseTakenWithEpoch(2);
        LeaseFence successor = new LeaseFence(TOPIC, 3, 2);
        assertThat(store.apply(raised(raisedAt), successor).kind()).isEqualTo(AlertChange.Kind.UNCHANGED);
        assertThat(store.apply(cleared(clearedAt), successor).kind()).isEqualTo(AlertChange.Kind.UNCHANGED);
        assertThat(store.apply(raised(reopenedAt), successor).kind()).isEqualTo(AlertChange.Kind.UNCHANGED);
        assertThat(transitions()).isEqualTo(3);
        assertThat(store.get(reopened.alert().id()).orElseThrow())
                .extracting(Alert::state, Alert::occurrences, Alert::firstSeen, Alert::lastSeen)
                .containsExactly(Alert.State.OPEN, 2, raisedAt, reopenedAt);

        assertThat(store.apply(cleared(T.plusSeconds(1800)), successor).kind()).isEqualTo(AlertChange.Kind.RESOLVED);
        assertThat(transitions()).isEqualTo(4);
    }

    /** A partition's rule checkpoint is saved with its offset by the lease's holder only. */
    @Test
    void aCheckpointIsSavedByTheHolderOnly() {
        assertThat(states.checkpoint(TOPIC, 3)).isEmpty();
        leaseTakenWithEpoch(1);
        assertThat(states.checkpoint(TOPIC, 3)).as("a lease without checkpoint").isEmpty();
        assertThat(states.saveCheckpoint(TOPIC, 3, 1, 42, "{\"instances\": []}")).isTrue();
        leaseTakenWithEpoch(2);
        assertThat(states.saveCheckpoint(TOPIC, 3, 1, 50, "{\"instances\": [1]}")).isFalse();
        assertThat(states.checkpoint(TOPIC, 3)).hasValueSatisfying(c -> {
            assertThat(c.offset()).isEqualTo(42);
            assertThat(c.json()).isEqualTo("{\"instances\": []}");
        });
        assertThat(states.checkpoint(TOPIC, 2)).isEmpty();
    }
}
