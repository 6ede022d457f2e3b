package dev.switchboard.store;

/** The store cannot be reached or refused a write; the HTTP layer answers 503. Nothing was changed. */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    static StoreUnavailableException wrap(RuntimeException e) {
        return new StoreUnavailableException("store unavailable: " + Store.rootMessage(e), e);
    }
}
