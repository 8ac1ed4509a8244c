package fr.gardien.cluster;

import static fr.gardien.cluster.Packs.await;
import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.storage.db.Database;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two processes' feeds on one database: what one publishes the other receives, once committed. */
@Timeout(60)
class ChangeFeedIT {

    /** How a test handler records the {@code null} payload: reload what you follow. */
    private static final String RELOAD = "(reload)";

    @Test
    void aCommittedNotificationReachesTheOtherProcess() throws Exception {
        try (Database db = Packs.freshDatabase(); ChangeFeed publisher = new ChangeFeed(db.dataSource());
                ChangeFeed follower = new ChangeFeed(db.dataSource())) {
            List<String> received = new CopyOnWriteArrayList<>();
            List<String> other = new CopyOnWriteArrayList<>();
            follower.subscribe("gardien_alerts", p -> received.add(Objects.requireNonNullElse(p, RELOAD)));
            follower.subscribe("gardien_tokens", p -> other.add(Objects.requireNonNullElse(p, RELOAD)));
            assertThat(follower.start(Duration.ofSeconds(10))).as("the follower listens once started").isTrue();
            assertThat(publisher.start(Duration.ofSeconds(10))).isTrue();
            // What changed before the LISTEN is not carried: each handler is told to reload once listening.
            assertThat(received).containsExactly(RELOAD);
            assertThat(other).containsExactly(RELOAD);

            try (Connection c = db.dataSource().getConnection()) {
                c.setAutoCommit(false);
                ChangeFeed.publish(c, "gardien_alerts", "rolled-back");
                c.rollback();
                ChangeFeed.publish(c, "gardien_alerts", "alert 42 raised");
                Thread.sleep(300);
                assertThat(received).as("nothing before the commit").containsExactly(RELOAD);
                c.commit();
            }
            await(Duration.ofSeconds(10), () -> received.size() == 2, "the committed notification");
            publisher.publish("gardien_tokens", "token 7 revoked");
            await(Duration.ofSeconds(10), () -> other.size() == 2, "the other channel's notification");
            assertThat(received).containsExactly(RELOAD, "alert 42 raised");
            assertThat(other).containsExactly(RELOAD, "token 7 revoked");
        }
    }

    /** A feed whose database does not answer yet says so, and tells its handlers to reload once it listens. */
    @Test
    void aFeedStartedBeforeItsDatabaseAnswersListensOnceItCan() throws Exception {
        try (Database db = Packs.freshDatabase()) {
            StallingDataSource stalling = new StallingDataSource(db.dataSource());
            List<String> received = new CopyOnWriteArrayList<>();
            try (ChangeFeed follower = new ChangeFeed(stalling)) {
                follower.subscribe("gardien_registry", p -> received.add(Objects.requireNonNullElse(p, RELOAD)));
                stalling.stall();
                assertThat(follower.start(Duration.ofMillis(500))).as("not listening while the database does not answer")
                        .isFalse();
                assertThat(received).isEmpty();
                stalling.release();
                await(Duration.ofSeconds(10), () -> received.contains(RELOAD), "the reload once listening");
                try (Connection c = db.dataSource().getConnection()) {
                    c.setAutoCommit(true);
                    ChangeFeed.publish(c, "gardien_registry", "portfolio applied");
                }
                await(Duration.ofSeconds(10), () -> received.size() == 2, "a notification after");
                assertThat(received).containsExactly(RELOAD, "portfolio applied");
            }
        }
    }
}
