package dev.switchboard.events;

import java.util.Optional;
import java.util.Set;

/**
 * In a cluster: another instance saved providers' status without an event (a refresh that changed nothing, a
 * repeated failure). Called on the writer, after the log is caught up; re-reads that status from the store, so
 * every instance shows the same times and failure counts, and follows the same schedule.
 */
@FunctionalInterface
public interface RemoteStatus {
    /** @param providerIds the providers whose status to re-read; empty for all (notifications may have been missed) */
    void reload(Optional<Set<String>> providerIds);
}
