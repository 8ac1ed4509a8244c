package fr.gardien.storage.testing;

import fr.gardien.storage.db.Database;
import fr.gardien.storage.db.PartitionManager;
import fr.gardien.storage.write.BatchWriter;
import fr.gardien.storage.write.WriteBatch;
import fr.gardien.storage.write.WriterConfig;
import fr.gardien.storage.write.WriterMetrics;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A migrated, empty database of its own for each test, registered with {@code @RegisterExtension}
 * on an instance field: opened before the test's {@code @BeforeEach} methods, closed after it.
 */
public final class FreshDatabase implements BeforeEachCallback, AfterEachCallback {

    private Database database;

    @Override
    public void beforeEach(ExtensionContext context) {
        database = Fixtures.freshDatabase();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (database != null) {
            database.close();
            database = null;
        }
    }

    public Database database() {
        return database;
    }

    public DataSource dataSource() {
        return database.dataSource();
    }

    public PartitionManager partitions() {
        return database.partitions();
    }

    /** Writes {@code batches} one after the other through a batch writer with the default settings, each committed. */
    public void write(WriteBatch... batches) throws Exception {
        try (BatchWriter writer = new BatchWriter(dataSource(), partitions(), WriterConfig.DEFAULTS, WriterMetrics.NOOP)) {
            for (WriteBatch batch : batches) {
                writer.offer(batch).get(10, TimeUnit.SECONDS);
            }
        }
    }
}
