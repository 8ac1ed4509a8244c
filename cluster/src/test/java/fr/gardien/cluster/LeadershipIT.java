package fr.gardien.cluster;

import static fr.gardien.cluster.Packs.await;
import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.storage.db.Database;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Three processes on one database: one leads at a time, and another takes over when it stops. */
@Timeout(60)
class LeadershipIT {

    @Test
    void oneLeadsAndAnotherTakesOverWhenItStops() {
        try (Database db = Packs.freshDatabase()) {
            Leadership a = new Leadership(db.dataSource(), "maintenance");
            Leadership b = new Leadership(db.dataSource(), "maintenance");
            Leadership other = new Leadership(db.dataSource(), "rollups");
            try {
                a.start();
                b.start();
                other.start();
                await(Duration.ofSeconds(10), () -> a.leader() || b.leader(), "a leader");
                await(Duration.ofSeconds(10), other::leader, "the other work's leader, independent");
                for (int i = 0; i < 5; i++) {
                    assertThat(a.leader() && b.leader()).as("two leaders").isFalse();
                    sleep(Leadership.CHECK.toMillis());
                }
                Leadership first = a.leader() ? a : b;
                Leadership second = first == a ? b : a;
                first.close();
                assertThat(first.leader()).isFalse();
                await(Leadership.CHECK.multipliedBy(3), second::leader, "the other process takes over");
            } finally {
                a.close();
                b.close();
                other.close();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
