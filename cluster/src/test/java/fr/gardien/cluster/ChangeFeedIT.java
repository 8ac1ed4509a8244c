package fr.gardien.cluster;

import static fr.gardien.cluster.Packs.await;
import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.storage.db.Database;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two processes' feeds on one database: what one publishes the other receives within a second, once committed. */
@Timeout(60)
class ChangeFeedIT {

    @Test
    void aCommittedNotificationReachesTheOtherProcessWithinASecond() throws Exception {
        try (Database db = Packs.freshDatabase(); ChangeFeed publisher = new ChangeFeed(db.dataSource());
                ChangeFeed follower = new ChangeFeed(db.dataSource())) {
            List<String> received = new CopyOnWriteArrayList<>();
            List<String> other = new CopyOnWriteArrayList<>();
            follower.subscribe("gardien_alerts", received::add);
            follower.subscribe("gardien_tokens", other::add);
            follower.start();
            publisher.start();
            Thread.sleep(500); // the follower's LISTEN is issued

            try (Connection c = db.dataSource().getConnection()) {
                c.setAutoCommit(false);
                ChangeFeed.publish(c, "gardien_alerts", "rolled-back");
                c.rollback();
                ChangeFeed.publish(c, "gardien_alerts", "alert 42 raised");
                Thread.sleep(300);
                assertThat(received).as("nothing before the commit").isEmpty();
                c.commit();
            }
            long committed = System.nanoTime();
            await(Duration.ofSeconds(1), () -> !received.isEmpty(), "the notification within a second");
            assertThat(System.nanoTime() - committed).isLessThan(Duration.ofSeconds(1).toNanos());
            publisher.publish("gardien_tokens", "token 7 revoked");
            await(Duration.ofSeconds(1), () -> !other.isEmpty(), "the other channel's notification");
            assertThat(received).containsExactly("alert 42 raised");
            assertThat(other).containsExactly("token 7 revoked");
        }
    }
}
