package dev.switchboard.catalog;

import org.jdbi.v3.core.Handle;

/**
 * Checked inside the transaction that applies a scheduled refresh's result, before anything is written: the
 * schedule's term that started the refresh must still be the current one. A leader that stalled past its lease
 * and resumed thus applies nothing, though it fetched while it still led. Manual refreshes are not fenced: they
 * are not the schedule's.
 */
@FunctionalInterface
public interface RefreshFence {
    RefreshFence NONE = transaction -> {
    };

    /** @throws TermEnded when another instance took the schedule over since; the transaction then rolls back */
    void check(Handle transaction);

    /** The schedule's term that started a refresh has ended: its result is not applied. */
    final class TermEnded extends RuntimeException {
        public TermEnded(String message) {
            super(message);
        }
    }
}
