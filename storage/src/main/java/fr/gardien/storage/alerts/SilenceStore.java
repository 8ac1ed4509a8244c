package fr.gardien.storage.alerts;

import static fr.gardien.storage.alerts.AlertRows.SILENCE_COLUMNS;
import static fr.gardien.storage.alerts.AlertRows.ts;

import fr.gardien.rules.RuleSignal;
import fr.gardien.storage.db.Sql;
import fr.gardien.storage.db.StorageException;
import fr.gardien.storage.db.Text;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The silences (maintenance windows, issue 3): while one covers a (site, equipment, rule), the
 * alert lifecycle opens no alert for it.
 *
 * <p>Every method is blocking and runs one transaction; run them on the database worker pool.
 * Every method throws {@link StorageException} when the database fails, having changed nothing.
 */
public final class SilenceStore {

    private static final String WHAT = "silence store";

    private final DataSource dataSource;
    private final Clock clock;

    public SilenceStore(DataSource dataSource) {
        this(dataSource, Clock.systemUTC());
    }

    /** @param clock what "not ended yet" is measured against */
    public SilenceStore(DataSource dataSource, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Creates a silence.
     *
     * @param equipment {@code null}: every equipment of the site
     * @param ruleId {@code null}: every rule
     * @throws IllegalArgumentException when {@code startsAt} is not before {@code endsAt}
     */
    public Silence create(String site, String equipment, String ruleId, Instant startsAt, Instant endsAt,
            String createdBy, String reason) {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(reason, "reason");
        if (!startsAt.isBefore(endsAt)) {
            throw new IllegalArgumentException("a silence must start before it ends");
        }
        return Sql.inTransaction(dataSource, WHAT, c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO silences (site, equipment, rule_id, starts_at,"
                    + " ends_at, created_by, reason) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING " + SILENCE_COLUMNS)) {
                Object[] params = {site, equipment, ruleId, ts(startsAt), ts(endsAt), createdBy,
                        Text.storable(Text.cut(reason, 2000))};
                for (int i = 0; i < params.length; i++) {
                    s.setObject(i + 1, params[i]);
                }
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return AlertRows.silence(r);
                }
            }
        });
    }

    /**
     * The silences not ended yet (current and future), soonest end first.
     *
     * @param sites only these sites; {@code null}: all
     */
    public List<Silence> list(Set<String> sites) {
        if (sites != null && sites.isEmpty()) {
            return List.of();
        }
        String sql = "SELECT " + SILENCE_COLUMNS + " FROM silences WHERE ends_at > ?"
                + (sites != null ? " AND site = ANY (?)" : "") + " ORDER BY ends_at, id";
        return Sql.inTransaction(dataSource, WHAT, c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setObject(1, ts(clock.instant()));
                if (sites != null) {
                    s.setArray(2, c.createArrayOf("text", sites.toArray()));
                }
                return silences(s);
            }
        });
    }

    /** One silence, ended or not, or empty. */
    public Optional<Silence> get(long id) {
        return Sql.inTransaction(dataSource, WHAT, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + SILENCE_COLUMNS + " FROM silences WHERE id = ?")) {
                s.setLong(1, id);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(AlertRows.silence(r)) : Optional.empty();
                }
            }
        });
    }

    /** Deletes a silence; false when there was none with that id. */
    public boolean delete(long id) {
        return Sql.inTransaction(dataSource, WHAT, c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM silences WHERE id = ?")) {
                s.setLong(1, id);
                return s.executeUpdate() == 1;
            }
        });
    }

    /**
     * The silences that may cover {@code signal}: those of its site in force at its time, on the
     * caller's connection and transaction (the alert store's). Which of them cover its equipment
     * and rule is the lifecycle's to decide.
     */
    static List<Silence> inForce(Connection c, RuleSignal signal) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + SILENCE_COLUMNS + " FROM silences WHERE site = ?"
                + " AND starts_at <= ? AND ends_at > ? ORDER BY id")) {
            s.setString(1, signal.site());
            s.setObject(2, ts(signal.at()));
            s.setObject(3, ts(signal.at()));
            return silences(s);
        }
    }

    private static List<Silence> silences(PreparedStatement s) throws SQLException {
        return Sql.list(s, AlertRows::silence);
    }
}
