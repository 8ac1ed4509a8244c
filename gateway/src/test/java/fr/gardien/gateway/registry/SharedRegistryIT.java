package fr.gardien.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.storage.access.PortfolioStamps;
import fr.gardien.storage.access.RegistryStore;
import fr.gardien.storage.db.Database;
import fr.gardien.storage.db.RetentionConfig;
import fr.gardien.storage.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry shared by the processes of a cluster (issue 13), on a real PostgreSQL: the leader
 * applies its file when newer, the others serve the database and take from their own file only
 * the CoAP keys that match the stored secrets.
 */
class SharedRegistryIT {

    /** The contract's example, its device's secret unchanged, and a device whose secret changes between files. */
    private static String portfolio(String changedSecret) {
        return PortfolioLoaderTest.CONTRACT_EXAMPLE.replace("devices:\n",
                "devices:\n  - {id: gw-changed, site: tilleuls, secret: \"" + changedSecret + "\"}\n");
    }

    @TempDir
    Path dir;

    private static RegistryService process(Path file, RegistryStore store, PortfolioStamps stamps, AtomicBoolean leads,
            AtomicInteger announced) {
        return new RegistryService(file, store, new SecretHasher(1_000).remembering(), p -> List.of(),
                new RegistryService.Sharing(leads::get, stamps, file.getParent().getFileName().toString(),
                        announced::incrementAndGet));
    }

    /**
     * A follower started with an older file serves the leader's registry, keeps the DTLS key of
     * the device whose secret did not change and drops the one whose secret did; leading later,
     * it does not apply its older file; a newer file it then gets is applied and announced.
     */
    @Test
    void anOldFileGivesNeitherItsRegistryNorItsOldSecrets() throws Exception {
        try (Database db = Database.open(TestPostgres.shared().newDatabase(), RetentionConfig.of(Duration.ofDays(30)))) {
            RegistryStore store = new RegistryStore(db.dataSource());
            PortfolioStamps stamps = new PortfolioStamps(db.dataSource());
            Path newFile = Files.createDirectories(dir.resolve("leader")).resolve("portfolio.yaml");
            Files.writeString(newFile, portfolio("new-secret-2"));
            Path oldFile = Files.createDirectories(dir.resolve("follower")).resolve("portfolio.yaml");
            Files.writeString(oldFile, portfolio("old-secret-1"));
            Files.setLastModifiedTime(oldFile, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
            AtomicInteger announced = new AtomicInteger();

            RegistryService leader = process(newFile, store, stamps, new AtomicBoolean(true), announced);
            leader.start();
            assertThat(announced).hasValue(1);
            assertThat(stamps.read()).hasValueSatisfying(s -> assertThat(s.version()).isEqualTo(1));

            AtomicBoolean followerLeads = new AtomicBoolean(false);
            RegistryService follower = process(oldFile, store, stamps, followerLeads, announced);
            Registry served = follower.start();
            assertThat(served.device("gw-changed").secretHash()).isEqualTo(leader.current().device("gw-changed").secretHash());
            assertThat(served.coapAccess("gw-tilleuls").secret()).isEqualTo("change-me");
            assertThat(served.coapAccess("gw-changed")).as("the old secret of a device is no DTLS key").isNull();

            followerLeads.set(true);
            assertThat(follower.reloadIfChanged()).isFalse();
            assertThat(stamps.read()).hasValueSatisfying(s -> assertThat(s.version()).as("not applied").isEqualTo(1));

            Files.writeString(oldFile, portfolio("newest-secret-3"));
            Files.setLastModifiedTime(oldFile, FileTime.from(Instant.now().plusSeconds(5)));
            assertThat(follower.reloadIfChanged()).isTrue();
            assertThat(stamps.read()).hasValueSatisfying(s -> assertThat(s.version()).isEqualTo(2));
            assertThat(announced).hasValue(2);
            assertThat(follower.current().coapAccess("gw-changed").secret()).isEqualTo("newest-secret-3");
            assertThat(leader.follow()).as("the former leader follows the database").isTrue();
            assertThat(leader.current().coapAccess("gw-changed")).isNull();
        }
    }
}
