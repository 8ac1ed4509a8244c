package fr.gardien.storage;

/** The alert's state forbids the operation, e.g. acknowledging a resolved alert. */
public class AlertConflictException extends RuntimeException {

    public AlertConflictException(String message) {
        super(message);
    }
}
