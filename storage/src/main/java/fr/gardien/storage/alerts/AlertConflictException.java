package fr.gardien.storage.alerts;

/** The alert's state forbids the operation, e.g. acknowledging a resolved alert. */
public class AlertConflictException extends RuntimeException {

    public AlertConflictException(String message) {
        super(message);
    }
}
