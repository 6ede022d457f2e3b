package dev.switchboard.store;

/** The store cannot be reached or its connection was lost; the HTTP layer answers 503. Nothing was changed. */
public final class StoreUnavailableException extends StoreException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
