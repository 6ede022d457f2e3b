package dev.switchboard.events;

import org.jdbi.v3.core.Handle;

/**
 * Hands out catalog revisions inside a write transaction. The row lock serializes writers,
 * including writers on other instances, so revisions are gap-free and in commit order.
 */
public final class RevisionCounter {
    public long current(Handle handle) {
        return handle.createQuery("SELECT revision FROM sb_state WHERE id = 1").mapTo(Long.class).one();
    }

    /** Locks the counter until the transaction ends and returns the revision committed last (by any instance). */
    public long lock(Handle handle) {
        return handle.createQuery("SELECT revision FROM sb_state WHERE id = 1 FOR UPDATE").mapTo(Long.class).one();
    }

    /** Locks the counter until the transaction ends and returns the next revision. */
    public long next(Handle handle) {
        long current = handle.createQuery("SELECT revision FROM sb_state WHERE id = 1 FOR UPDATE").mapTo(Long.class).one();
        handle.createUpdate("UPDATE sb_state SET revision = :revision WHERE id = 1").bind("revision", current + 1).execute();
        return current + 1;
    }
}
