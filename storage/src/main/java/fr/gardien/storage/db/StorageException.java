package fr.gardien.storage.db;

/** A storage operation failed: the database is unreachable, or refused the statement. */
public class StorageException extends RuntimeException {

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
