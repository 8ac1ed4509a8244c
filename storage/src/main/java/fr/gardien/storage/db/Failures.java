package fr.gardien.storage.db;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Describes a database failure without its data: pgjdbc's messages may quote a batch's bound
 * values or a failing row ("DETAIL: Failing row contains …"), i.e. payloads, which are never
 * logged above TRACE. Keeps the SQLState and the server's primary message.
 */
public final class Failures {

    private Failures() {
    }

    public static String describe(Throwable e) {
        if (e instanceof BatchUpdateException b && b.getNextException() != null) {
            return describe(b.getNextException());
        }
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage m = p.getServerErrorMessage();
            return m.getSQLState() + " " + m.getMessage();
        }
        if (e instanceof SQLException s) {
            return s.getSQLState() + " " + firstLine(s.getMessage());
        }
        return e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
