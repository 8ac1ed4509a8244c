package fr.gardien.storage.access;

import static fr.gardien.storage.testing.Fixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.gardien.model.ApiToken;
import fr.gardien.model.Device;
import fr.gardien.model.Equipment;
import fr.gardien.model.PointSpec;
import fr.gardien.model.Portfolio;
import fr.gardien.model.RegisteredPoint;
import fr.gardien.model.Site;
import fr.gardien.storage.db.StorageException;
import fr.gardien.storage.testing.FreshDatabase;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class RegistryStoreIT {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    private RegistryStore store;

    @BeforeEach
    void open() {
        store = new RegistryStore(db.dataSource());
    }

    private static Portfolio version1() {
        return new Portfolio(
                List.of(new Site("tilleuls", "Résidence Les Tilleuls", PARIS, List.of(
                                new Equipment("boiler-1", "boiler", List.of(
                                        new PointSpec("supply_temp", "Cel", "heat"),
                                        new PointSpec("return_temp", "Cel", "heat"))),
                                new Equipment("lift-a", "lift", List.of(new PointSpec("in_service", null, "equipment", "En service")),
                                        "Ascenseur A"))),
                        new Site("acacias", "Les Acacias", ZoneId.of("America/Guadeloupe"), List.of(
                                new Equipment("meter", "water-meter", List.of(new PointSpec("volume", "m3", "water")))))),
                List.of(new Device("gw-tilleuls", "tilleuls", "hash-1"), new Device("gw-acacias", "acacias", "hash-2")),
                List.of(new ApiToken("energy-team", "thash-1", "energy-analyst", List.of("*")),
                        new ApiToken("gardienne", "thash-2", "building-manager", List.of("tilleuls", "acacias"))));
    }

    /**
     * What apply stores, load returns unchanged (human names and labels included, absent ones
     * absent), in declaration order, each point with its own id.
     */
    @Test
    void applyThenLoadRoundTrips() {
        Portfolio portfolio = version1();
        StoredRegistry applied = store.apply(portfolio);
        StoredRegistry loaded = store.load();
        assertThat(loaded).isEqualTo(applied);
        assertThat(loaded.sites()).isEqualTo(portfolio.sites());
        assertThat(loaded.devices()).isEqualTo(portfolio.devices());
        assertThat(loaded.apiTokens()).isEqualTo(portfolio.apiTokens());
        assertThat(loaded.points()).extracting(p -> p.key().toString()).containsExactly(
                "tilleuls/boiler-1/supply_temp", "tilleuls/boiler-1/return_temp", "tilleuls/lift-a/in_service",
                "acacias/meter/volume");
        assertThat(loaded.points()).extracting(RegisteredPoint::id).doesNotHaveDuplicates();
        assertThat(loaded.points().get(0)).extracting(RegisteredPoint::equipmentType, RegisteredPoint::unit,
                RegisteredPoint::category).containsExactly("boiler", "Cel", "heat");
    }

    /** Re-applying a changed portfolio updates what changed, retires removed points (ids kept, never reused) and deletes removed devices and tokens. */
    @Test
    void reapplyingAChangedPortfolioUpdatesRetiresAndDeletes() {
        Map<String, Integer> ids1 = ids(store.apply(version1()));

        Portfolio version2 = new Portfolio(
                List.of(new Site("tilleuls", "Les Tilleuls", PARIS, List.of(
                        new Equipment("boiler-1", "substation", List.of(
                                new PointSpec("supply_temp", "K", "heat"),
                                new PointSpec("outdoor_temp", "Cel", "heat")))))),
                List.of(new Device("gw-tilleuls", "tilleuls", "hash-1b")),
                List.of(new ApiToken("energy-team", "thash-1", "admin", List.of("*"))));
        StoredRegistry stored = store.apply(version2);

        assertThat(stored.sites()).isEqualTo(version2.sites());
        assertThat(stored.devices()).isEqualTo(version2.devices());
        assertThat(stored.apiTokens()).isEqualTo(version2.apiTokens());
        Map<String, Integer> ids2 = ids(stored);
        assertThat(ids2).containsOnlyKeys("tilleuls/boiler-1/supply_temp", "tilleuls/boiler-1/outdoor_temp");
        assertThat(ids2.get("tilleuls/boiler-1/supply_temp")).as("kept its id").isEqualTo(ids1.get("tilleuls/boiler-1/supply_temp"));
        assertThat(ids2.get("tilleuls/boiler-1/outdoor_temp")).as("a new id, never a retired one")
                .isGreaterThan(ids1.values().stream().mapToInt(Integer::intValue).max().orElseThrow());
        assertThat(stored.points().get(0).unit()).isEqualTo("K");
        assertThat(stored.points().get(0).equipmentType()).isEqualTo("substation");
        assertThat(queryLong(db.dataSource(), "SELECT count(*) FROM points WHERE retired_at IS NOT NULL")).isEqualTo(3);

        Map<String, Integer> ids3 = ids(store.apply(version1()));
        assertThat(ids3.get("tilleuls/boiler-1/return_temp")).as("a re-declared point gets its old id back")
                .isEqualTo(ids1.get("tilleuls/boiler-1/return_temp"));
        assertThat(ids3.get("acacias/meter/volume")).isEqualTo(ids1.get("acacias/meter/volume"));
        assertThat(store.load().points()).hasSize(4);
    }

    /** A portfolio the database refuses (a device of an undeclared site) changes nothing: apply is one transaction. */
    @Test
    void aRefusedApplyChangesNothing() {
        StoredRegistry before = store.apply(version1());
        Portfolio broken = new Portfolio(List.of(), List.of(new Device("stray", "nowhere", "h")), List.of());
        assertThatThrownBy(() -> store.apply(broken)).isInstanceOf(StorageException.class)
                .hasMessageNotContaining("\"h\"");
        assertThat(store.load()).isEqualTo(before);
    }

    private static Map<String, Integer> ids(StoredRegistry registry) {
        return registry.points().stream().collect(Collectors.toMap(p -> p.key().toString(), RegisteredPoint::id));
    }
}
