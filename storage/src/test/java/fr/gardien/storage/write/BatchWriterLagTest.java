package fr.gardien.storage.write;

import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.model.Reading;
import fr.gardien.storage.db.PartitionManager;
import fr.gardien.storage.db.RetentionConfig;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The writer's lag while its database does not answer. */
@Timeout(30)
class BatchWriterLagTest {

    /**
     * A group the writer took and cannot commit (the database hangs) still counts as waiting: the
     * lag grows with it, instead of reading 0 because the queue itself is empty (issue 15).
     */
    @Test
    void lagCountsTheGroupBeingWrittenWhileTheDatabaseHangs() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        DataSource hanging = new HangingDataSource(release);
        PartitionManager partitions = new PartitionManager(hanging, RetentionConfig.of(Duration.ofDays(30)), true);
        BatchWriter writer = new BatchWriter(hanging, partitions, WriterConfig.DEFAULTS, WriterMetrics.NOOP);
        try {
            CompletableFuture<Void> ack = writer.offer(WriteBatch.of(List.of(Reading.numeric(1, 1_000_000L, 1.0))));
            Thread.sleep(400);
            assertThat(ack).isNotDone();
            assertThat(writer.queuedRows()).isEqualTo(1);
            assertThat(writer.oldestQueuedAge()).isGreaterThanOrEqualTo(Duration.ofMillis(350));
            release.countDown();
            assertThat(ack).failsWithin(10, TimeUnit.SECONDS);
            assertThat(writer.oldestQueuedAge()).isEqualTo(Duration.ZERO);
        } finally {
            release.countDown();
            writer.close();
        }
    }

    /** A database that does not answer until released, then refuses. */
    private record HangingDataSource(CountDownLatch release) implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new SQLException("the database is gone", "08006");
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
