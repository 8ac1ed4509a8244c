package fr.gardien.storage.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.gardien.storage.testing.FreshDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class SilenceStoreIT {

    static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    private SilenceStore silences;

    @BeforeEach
    void open() {
        silences = new SilenceStore(db.dataSource(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** Silences are created, listed (not ended, per site), read and deleted. */
    @Test
    void silencesCrud() {
        Silence current = silences.create("tilleuls", null, null, NOW.minusSeconds(60), NOW.plusSeconds(3600), "alice", "works");
        Silence ended = silences.create("tilleuls", "boiler-1", null, NOW.minusSeconds(7200), NOW.minusSeconds(3600), "alice", "old");
        Silence other = silences.create("marronniers", "substation", "r", NOW, NOW.plusSeconds(60), "bob", "test");

        assertThat(silences.list(null)).extracting(Silence::id).containsExactly(other.id(), current.id());
        assertThat(silences.list(Set.of("tilleuls"))).containsExactly(current);
        assertThat(silences.get(ended.id())).contains(ended);
        assertThat(other).extracting(Silence::site, Silence::equipment, Silence::ruleId, Silence::startsAt, Silence::endsAt,
                Silence::createdBy, Silence::reason).containsExactly("marronniers", "substation", "r", NOW, NOW.plusSeconds(60),
                "bob", "test");
        assertThat(silences.delete(current.id())).isTrue();
        assertThat(silences.delete(current.id())).isFalse();
        assertThat(silences.list(Set.of("tilleuls"))).isEmpty();
        assertThatThrownBy(() -> silences.create("tilleuls", null, null, NOW, NOW, "alice", "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
