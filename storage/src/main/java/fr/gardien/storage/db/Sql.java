package fr.gardien.storage.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The transaction and statement helpers shared by the stores. */
public final class Sql {

    private Sql() {
    }

    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Maps the current row of a result set. */
    public interface Row<T> {
        T map(ResultSet r) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction.
     *
     * @throws StorageException when the database fails, naming {@code what}; nothing was changed
     */
    public static <T> T inTransaction(DataSource dataSource, String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return inTransaction(c, work);
        } catch (SQLException e) {
            throw new StorageException(what + ": " + Failures.describe(e), e);
        }
    }

    /** Runs {@code work} in one transaction on {@code c}: committed when it returns, rolled back when it throws. */
    public static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // The connection is broken; Hikari discards it, and the transaction died with it.
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * As {@link #inTransaction(Connection, Work)} at REPEATABLE READ: every statement of {@code work}
     * sees the database of one instant (the rollup log, the rollups and the readings together).
     * The connection's isolation is restored afterwards.
     */
    public static <T> T inSnapshot(Connection c, Work<T> work) throws SQLException {
        int isolation = c.getTransactionIsolation();
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try {
            return inTransaction(c, work);
        } finally {
            c.setTransactionIsolation(isolation);
        }
    }

    /** Runs the query of {@code s} and maps each row, in the order the database returns them. */
    public static <T> List<T> list(PreparedStatement s, Row<T> row) throws SQLException {
        List<T> rows = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                rows.add(row.map(r));
            }
        }
        return rows;
    }

    /**
     * The rows of {@code select} (which ends in a {@code WHERE} clause), newest first by
     * {@code timeColumn} then id, with optional filters.
     *
     * @param since only rows whose {@code timeColumn} is at or after it; {@code null}: no filter
     * @param column with {@code value}: only rows where {@code column = value}; {@code value} {@code null}: no filter
     */
    public static <T> List<T> newestFirst(Connection c, String select, String timeColumn, Instant since, String column,
                                          Object value, int limit, Row<T> row) throws SQLException {
        StringBuilder sql = new StringBuilder(select);
        List<Object> params = new ArrayList<>();
        if (since != null) {
            sql.append(" AND ").append(timeColumn).append(" >= ?");
            params.add(OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
        }
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            params.add(value);
        }
        sql.append(" ORDER BY ").append(timeColumn).append(" DESC, id DESC LIMIT ?");
        params.add(limit);
        return query(c, sql.toString(), row, params.toArray());
    }

    /** Prepares {@code sql}, binds {@code params} in order, runs it and maps each row. */
    public static <T> List<T> query(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, params);
            return list(s, row);
        }
    }

    /**
     * Runs one statement on a connection of its own.
     *
     * @return the rows it changed
     * @throws StorageException when the database fails, naming {@code what}
     */
    public static int update(DataSource dataSource, String what, String sql, Object... params) {
        try (Connection c = dataSource.getConnection()) {
            return update(c, sql, params);
        } catch (SQLException e) {
            throw new StorageException(what + ": " + Failures.describe(e), e);
        }
    }

    public static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, params);
            return s.executeUpdate();
        }
    }

    private static void bind(PreparedStatement s, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            s.setObject(i + 1, params[i]);
        }
    }
}
