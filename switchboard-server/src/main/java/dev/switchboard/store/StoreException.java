package dev.switchboard.store;

/**
 * A store operation failed, by kind: what the caller can do about it decides the answer. {@link StoreErrors}
 * tells the kind from the database's SQLState, for a failed statement and a failed COMMIT alike; the HTTP
 * layer maps each kind to its status in one place. In every case the transaction was rolled back.
 */
public abstract sealed class StoreException extends RuntimeException
        permits StoreUnavailableException, StoreException.Conflict, StoreException.Busy, StoreException.Failed {

    StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An integrity constraint refused the write (SQLState class 23): a concurrent write got there first (409). */
    public static final class Conflict extends StoreException {
        Conflict(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A serialization failure, deadlock or lock timeout: the same request may well succeed when retried (503). */
    public static final class Busy extends StoreException {
        Busy(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Anything else the database refused: a bug or a damaged schema, not the client's doing (500). */
    public static final class Failed extends StoreException {
        Failed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
